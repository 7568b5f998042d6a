//! The per-user folders of the machine itself, as staff get them with no `SWITCHBOARD_DATA_DIR` or
//! `SWITCHBOARD_EXPORT_DIR`: the cache in `%APPDATA%\Switchboard` and exports in the Downloads
//! known folder. It writes into the real folders of the account that runs it, so it is ignored in
//! a plain `cargo test` and refuses to run outside scripts/test-windows, whose throwaway Wine
//! profile belongs to a user named with spaces, an apostrophe and non-ASCII letters.
#![cfg(windows)]

use std::path::Path;

use switchboard_core::exports::{EXPORT_DIR_VAR, export_dir};
use switchboard_core::model::ClientFileDraft;
use switchboard_core::paths::{DATA_DIR_VAR, cache_path};
use switchboard_core::{Cache, Session};

#[test]
#[ignore = "writes into the per-user folders: scripts/test-windows runs it in a throwaway Wine profile"]
fn the_cache_and_exports_live_in_the_known_folders_of_a_non_ascii_profile() {
    let profile_name = std::env::var("SWITCHBOARD_TEST_PROFILE_NAME")
        .expect("run this through scripts/test-windows: it writes into the account's own folders");
    assert!(std::env::var_os(DATA_DIR_VAR).is_none() && std::env::var_os(EXPORT_DIR_VAR).is_none());

    let appdata = std::env::var_os("APPDATA").expect("Windows sets APPDATA");
    let profile = std::env::var_os("USERPROFILE").expect("Windows sets USERPROFILE");
    assert_eq!(cache_path().unwrap(), Path::new(&appdata).join("Switchboard").join("cache.sqlite3"));
    assert_eq!(export_dir().unwrap(), Path::new(&profile).join("Downloads"));
    // Every other test's temporary folder is in this profile too.
    for path in [cache_path().unwrap(), export_dir().unwrap(), std::env::temp_dir()] {
        assert!(
            path.to_string_lossy().contains(&profile_name),
            "{} is not in {profile_name}'s profile",
            path.display()
        );
    }

    let name = format!("Zoë's Café {}", std::process::id());
    let id = {
        let session = Session::open(&cache_path().unwrap());
        let mut cache = session.cache().expect("the cache opens in the profile's app-data folder");
        cache.upsert_files(&[ClientFileDraft::named(&name)]).unwrap()[0]
    };
    let session = Session::open(&cache_path().unwrap());
    let export = session.export_csv(&[id]).unwrap();
    assert!(Path::new(&export.path).starts_with(export_dir().unwrap()), "{}", export.path);
    let text = std::fs::read_to_string(&export.path).unwrap();
    assert!(text.contains(&name), "{text}");
    drop(session);

    let reopened = Cache::open(&cache_path().unwrap()).unwrap();
    assert!(reopened.list_files().unwrap().iter().any(|f| f.display_name == name));
}
