//! `switchboard connect --file`: one consent for one client file not yet linked to an
//! organisation, as a separate process against the Xero simulator (this test plays the browser).
//! The organisation picked becomes the file; one that already is another file changes nothing
//! unless `--merge` is given; other software and unclear names are refused before any sign-in.

use std::process::Output;

use switchboard_core::Cache;
use switchboard_core::model::{AccountingSoftware, ClientFileDraft};
use xero_sim::config::{AutoConsent, SimConfig};

mod support;
use support::practice::Practice;

/// Files the practice added by hand (or imported).
fn add(p: &Practice, files: &[(&str, AccountingSoftware)]) {
    let drafts: Vec<_> = files
        .iter()
        .map(|(name, software)| ClientFileDraft { software: software.clone(), ..ClientFileDraft::named(*name) })
        .collect();
    Cache::open(&p.cache_path()).unwrap().upsert_files(&drafts).unwrap();
}

/// `switchboard connect <args>` with the person ticking organisation `org` in the browser.
fn connect(p: &Practice, args: &[&str], org: usize) -> (Option<i32>, String) {
    let tenant = p.sim.orgs()[org].organisation_id;
    p.sim.set_auto_consent(Some(AutoConsent::ids(vec![tenant])));
    let connected = p.connect_with(args);
    (connected.code, connected.said)
}

/// (name, connection state, tenant id) of every file, by id.
fn files(p: &Practice) -> Vec<(String, String, Option<String>)> {
    let cache = Cache::open(&p.cache_path()).unwrap();
    let files = cache.list_files().unwrap();
    files.into_iter().map(|f| (f.display_name, f.connection.code().to_owned(), f.xero.map(|x| x.tenant_id))).collect()
}

fn refused(p: &Practice, args: &[&str]) -> String {
    let out: Output = p.run(args);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("http"), "no consent address is printed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn connect_one_file_then_merge_its_twin_from_the_command_line() {
    let p = Practice::new(SimConfig::default().orgs(3).seed(4), "connect-file");
    add(
        &p,
        &[
            ("Hand Made Ltd", AccountingSoftware::Xero),
            ("Twin Ltd", AccountingSoftware::Xero),
            ("Books Co", AccountingSoftware::QuickbooksOnline),
            ("Same Name", AccountingSoftware::Xero),
            ("Same Name", AccountingSoftware::Xero),
        ],
    );
    let tenant = p.sim.orgs()[0].organisation_id.to_string();

    let (code, said) = connect(&p, &["--file", "Hand Made Ltd"], 0);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Connected Hand Made Ltd to Xero."), "{said}");
    assert_eq!(files(&p)[0], ("Hand Made Ltd".into(), "connected".into(), Some(tenant.clone())));

    // The same organisation for another file: nothing changes without --merge.
    let before = files(&p);
    let (code, said) = connect(&p, &["--file", "2"], 0);
    assert_eq!(code, Some(3), "{said}");
    assert!(said.contains("is already the client file Hand Made Ltd (id 1)."), "{said}");
    assert!(
        said.contains("Nothing changed. To make them one file, run: switchboard connect --file 2 --merge"),
        "{said}"
    );
    assert_eq!(files(&p), before);

    let (code, said) = connect(&p, &["--file", "Twin Ltd", "--merge"], 0);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Merged: Twin Ltd and Hand Made Ltd are now one client file, Twin Ltd (id 1)"), "{said}");
    let files = files(&p);
    assert_eq!(files.len(), 4);
    assert_eq!(files[0], ("Twin Ltd".into(), "connected".into(), Some(tenant)));
    assert!(files.iter().all(|f| f.0 != "Hand Made Ltd"));

    // Refused before any sign-in.
    let said = refused(&p, &["connect", "--file", "Books Co"]);
    assert!(said.contains("Books Co is a QuickBooks Online file. Switchboard connects Xero files only"), "{said}");
    let said = refused(&p, &["connect", "--file", "Same Name"]);
    assert!(said.contains("2 client files are named Same Name (ids 4, 5); give the id instead."), "{said}");
    let said = refused(&p, &["connect", "--file", "Nobody"]);
    assert!(said.contains("No client file has the id or the exact name Nobody."), "{said}");
    let said = refused(&p, &["connect", "--file", "1"]);
    assert!(said.contains("already linked to a Xero organisation"), "{said}");
    assert_eq!(p.sim.stats().authorization_code_grants, 3);
}
