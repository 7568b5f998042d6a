//! Staff edits going through the core while a `switchboard sync` of 1,000 files writes the same
//! cache from another process: every edit lands (or says clearly why not), and none is lost.

use std::process::Stdio;
use std::time::Duration;

use switchboard_core::Cache;
use switchboard_core::model::{FileId, ServiceState, UnixMillis};
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use switchboard_core::xpm::XpmClientRecord;
use xero_sim::config::SimConfig;

mod support;
use support::practice::Practice;

const FILES: usize = 1_000;
const EDITS: usize = 200;

/// What an edit that landed must still show at the end.
enum Landed {
    Renamed(FileId, String),
    Linked(FileId, String),
    Console(FileId, PackCadence),
    UserAdded(FileId, String),
    PayrollOff(FileId),
}

fn xpm_record(i: usize) -> XpmClientRecord {
    XpmClientRecord {
        uuid: format!("00000000-0000-4000-8000-{i:012}"),
        name: format!("XPM client {i}"),
        email: None,
        tax_number: None,
        client_code: None,
        prospect: false,
        archived: false,
        deleted: false,
        web_url: None,
    }
}

#[test]
fn staff_edits_during_a_sync_in_another_process_all_land() {
    let p = Practice::new(SimConfig::default().orgs(FILES).seed(31).latency(Duration::from_millis(10)), "edits");
    p.connect();

    let mut cache = Cache::open(&p.cache_path()).unwrap();
    cache.upsert_xpm_records(&(0..EDITS).map(xpm_record).collect::<Vec<_>>()).unwrap();
    let files: Vec<FileId> = cache.list_files().unwrap().into_iter().map(|f| f.id).collect();
    assert_eq!(files.len(), FILES);

    let sync_started = UnixMillis::now();
    let mut sync = p.command(&["sync"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    // The first edit waits until the sync has begun writing results; then the edits go as fast as
    // staff could click, so they fall among the sync's writes whatever this machine's speed.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !cache.list_files().unwrap().iter().any(|f| f.sync.last_attempt_at.is_some_and(|t| t > sync_started)) {
        assert!(std::time::Instant::now() < deadline, "the sync wrote nothing within a minute");
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut landed = Vec::new();
    let mut refused = Vec::new();
    for i in 0..EDITS {
        // A different file for each edit, spread over the whole practice.
        let file = files[(i * 7) % FILES];
        let outcome = match i % 5 {
            0 => cache
                .rename_file(file, &format!("Renamed by staff {i}"))
                .map(|_| Landed::Renamed(file, format!("Renamed by staff {i}"))),
            1 => {
                let uuid = xpm_record(i).uuid;
                switchboard_core::xpm::links::link(&mut cache, file, Some(&uuid)).map(|_| Landed::Linked(file, uuid))
            }
            2 => {
                let settings = ConsoleSettings {
                    enabled: true,
                    key_reports: true,
                    cadence: PackCadence::Fortnightly,
                    ..ConsoleSettings::default()
                };
                cache.save_console_settings(file, &settings).map(|_| Landed::Console(file, PackCadence::Fortnightly))
            }
            3 => {
                let email = format!("person{i}@client.example");
                let draft = ConsoleUserDraft {
                    name: format!("Person {i}"),
                    email: email.clone(),
                    role: ConsoleRole::Contributor,
                };
                cache.add_console_user(file, &draft).map(|_| Landed::UserAdded(file, email))
            }
            _ => cache.set_payroll_disconnected(file, true).map(|_| Landed::PayrollOff(file)),
        };
        match outcome {
            Ok(edit) => landed.push(edit),
            Err(error) => refused.push(error.to_string()),
        }
    }
    let still_syncing = sync.try_wait().unwrap().is_none();
    let out = sync.wait_with_output().unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        still_syncing,
        "the sync ended before the edits did, so they did not overlap: lower the pace ({:?}: {printed})",
        out.status
    );
    assert_eq!(out.status.code(), Some(0), "{printed}");
    assert!(printed.contains(&format!("Synced {FILES} client files; 0 failed")), "{printed}");

    // Each refusal would be a sentence a person can act on; with the write lock taken at the
    // start of each transaction there is none at all.
    assert!(refused.is_empty(), "{} of {EDITS} edits failed, first: {:?}", refused.len(), refused.first());
    assert_eq!(landed.len(), EDITS);

    drop(cache);
    let cache = Cache::open(&p.cache_path()).unwrap();
    assert_eq!(cache.integrity_check().unwrap(), "ok");
    for edit in &landed {
        match edit {
            Landed::Renamed(file, name) => assert_eq!(&cache.file(*file).unwrap().display_name, name),
            Landed::Linked(file, uuid) => {
                assert_eq!(cache.file(*file).unwrap().xpm.map(|x| x.uuid).as_ref(), Some(uuid))
            }
            Landed::Console(file, cadence) => {
                let settings = cache.console_settings(*file).unwrap();
                assert!(settings.enabled);
                assert_eq!(settings.cadence, *cadence);
            }
            Landed::UserAdded(file, email) => {
                assert!(cache.console_users(*file).unwrap().iter().any(|u| &u.email == email), "{email} lost");
            }
            Landed::PayrollOff(file) => {
                assert_eq!(cache.file(*file).unwrap().payroll, ServiceState::DisconnectedByStaff)
            }
        }
    }
}
