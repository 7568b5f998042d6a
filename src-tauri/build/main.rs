//! The shell's build script. Each command is declared once, as a `#[tauri::command]` function in
//! `src/commands/<feature>.rs`; from those files this writes
//! - the handler list, `$OUT_DIR/invoke_handler.rs` (included by `src/main.rs`),
//! - one permission set per feature, `permissions/<feature>.toml`, and the main window's
//!   capability, `capabilities/main.json`, which grants those sets and nothing else,
//! - the window's typed functions and event listeners, `ui/src/lib/commands.ts`,
//!
//! then tauri-build makes the `allow-<command>` permissions, checks the capability against them
//! and reads the app config from the repository root. The written files are committed, so a
//! review shows what a new command grants; scripts/test fails when they are not current.

mod capability;
mod declarations;
mod typescript;

use std::path::{Path, PathBuf};

const COMMANDS_DIR: &str = "src/commands";
const BINDINGS_DIR: &str = "../ui/src/bindings";
const TYPESCRIPT_OUT: &str = "../ui/src/lib/commands.ts";

fn main() {
    println!("cargo:rerun-if-changed={COMMANDS_DIR}");
    println!("cargo:rerun-if-changed=build");
    let features = declarations::read(Path::new(COMMANDS_DIR)).unwrap_or_else(|e| panic!("{COMMANDS_DIR}: {e}"));

    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    write_if_changed(&out_dir.join("invoke_handler.rs"), &handler_list(&features));
    capability::write(&features, Path::new("permissions"), Path::new("capabilities/main.json"));
    let typescript = typescript::module(&features, Path::new(BINDINGS_DIR)).unwrap_or_else(|e| panic!("{e}"));
    write_if_changed(Path::new(TYPESCRIPT_OUT), &typescript);

    // tauri-build keeps the list for the whole build (`&'static`); a build script ends right after.
    let commands: Vec<&'static str> =
        features.into_iter().flat_map(|f| f.commands.into_iter().map(|c| &*String::leak(c.name))).collect();
    let commands: &'static [&'static str] = Vec::leak(commands);
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(commands));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}

fn handler_list(features: &[declarations::Feature]) -> String {
    let paths: Vec<String> = features
        .iter()
        .flat_map(|f| f.commands.iter().map(move |c| format!("    commands::{}::{},\n", f.name, c.name)))
        .collect();
    format!("tauri::generate_handler![\n{}]\n", paths.concat())
}

/// Leaves a file that is already current untouched, so its timestamp does not set off rebuilds
/// (of the shell, or of a running Vite).
fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return;
    }
    std::fs::write(path, contents).unwrap_or_else(|e| panic!("could not write {}: {e}", path.display()));
}
