//! The committed TypeScript bindings must be exactly what the Rust types generate today.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings")
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeMap::new() };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ts"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn committed_typescript_bindings_are_fresh() {
    let generated = tempfile::tempdir().unwrap();
    switchboard_core::bindings::export_to(generated.path()).unwrap();
    let fresh = read_dir(generated.path());
    assert!(fresh.contains_key("ClientFile.ts"), "generation produced {:?}", fresh.keys());

    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let dir = committed_dir();
        for stale in read_dir(&dir).keys().filter(|k| !fresh.contains_key(*k)) {
            std::fs::remove_file(dir.join(stale)).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &fresh {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let committed = read_dir(&committed_dir());
    assert!(
        committed == fresh,
        "ui/src/bindings is stale; run `UPDATE_BINDINGS=1 cargo test -p switchboard-core --test bindings` and commit the result"
    );
}
