//! `switchboard connect --file`: one consent for one client file not yet linked to an
//! organisation, as a separate process against the Xero simulator (this test plays the browser).
//! The organisation picked becomes the file; one that already is another file changes nothing
//! unless `--merge` is given; other software and unclear names are refused before any sign-in.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use switchboard_core::Cache;
use switchboard_core::model::{AccountingSoftware, ClientFileDraft};
use xero_sim::config::{AutoConsent, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_PORTS, SimConfig};
use xero_sim::{SimHandle, Simulator};

mod support;
use support::{forget_token_sets, switchboard_on_sim};

struct Practice {
    sim: SimHandle,
    dir: tempfile::TempDir,
    service: String,
}

impl Practice {
    fn new() -> Practice {
        let sim = Simulator::start_blocking(SimConfig::default().orgs(3).seed(4)).unwrap();
        let practice = Practice {
            sim,
            dir: tempfile::tempdir().unwrap(),
            service: format!("app.switchboard.test.connect-file.{}", std::process::id()),
        };
        let ports: Vec<_> = DEFAULT_REDIRECT_PORTS.iter().map(u16::to_string).collect();
        let out = practice
            .command(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--ports", &ports.join(",")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        practice
    }

    fn cache_path(&self) -> PathBuf {
        self.dir.path().join("cache.sqlite3")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = switchboard_on_sim(&self.cache_path(), &self.service, &self.sim);
        command.args(args);
        command
    }

    /// Files the practice added by hand (or imported).
    fn add(&self, files: &[(&str, AccountingSoftware)]) {
        let drafts: Vec<_> = files
            .iter()
            .map(|(name, software)| ClientFileDraft { software: software.clone(), ..ClientFileDraft::named(*name) })
            .collect();
        Cache::open(&self.cache_path()).unwrap().upsert_files(&drafts).unwrap();
    }

    /// `switchboard connect <args>` with the person ticking organisation `org` in the browser.
    fn connect(&self, args: &[&str], org: usize) -> (Option<i32>, String) {
        let tenant = self.sim.orgs()[org].organisation_id;
        self.sim.set_auto_consent(Some(AutoConsent::ids(vec![tenant])));
        let mut all = vec!["connect", "--timeout-secs", "30"];
        all.extend_from_slice(args);
        let mut child = self.command(&all).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut said = String::new();
        let url = loop {
            let mut line = String::new();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "connect printed no address: {said}");
            said.push_str(&line);
            if line.starts_with("http") {
                break line.trim().to_owned();
            }
        };
        let browser = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let to_loopback = browser.get(&url).send().unwrap().headers()["location"].to_str().unwrap().to_owned();
        assert!(browser.get(&to_loopback).send().unwrap().status().is_success());
        stdout.read_to_string(&mut said).unwrap();
        let mut errors = String::new();
        child.stderr.take().unwrap().read_to_string(&mut errors).unwrap();
        (child.wait().unwrap().code(), format!("{said}{errors}"))
    }

    /// (name, connection state, tenant id) of every file, by id.
    fn files(&self) -> Vec<(String, String, Option<String>)> {
        let cache = Cache::open(&self.cache_path()).unwrap();
        let files = cache.list_files().unwrap();
        files
            .into_iter()
            .map(|f| (f.display_name, f.connection.code().to_owned(), f.xero.map(|x| x.tenant_id)))
            .collect()
    }

    fn refused(&self, args: &[&str]) -> String {
        let out: Output = self.command(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
        assert!(!String::from_utf8_lossy(&out.stdout).contains("http"), "no consent address is printed");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

impl Drop for Practice {
    fn drop(&mut self) {
        forget_token_sets(&self.service, &self.cache_path(), 6);
    }
}

#[test]
fn connect_one_file_then_merge_its_twin_from_the_command_line() {
    let p = Practice::new();
    p.add(&[
        ("Hand Made Ltd", AccountingSoftware::Xero),
        ("Twin Ltd", AccountingSoftware::Xero),
        ("Books Co", AccountingSoftware::QuickbooksOnline),
        ("Same Name", AccountingSoftware::Xero),
        ("Same Name", AccountingSoftware::Xero),
    ]);
    let tenant = p.sim.orgs()[0].organisation_id.to_string();

    let (code, said) = p.connect(&["--file", "Hand Made Ltd"], 0);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Connected Hand Made Ltd to Xero."), "{said}");
    assert_eq!(p.files()[0], ("Hand Made Ltd".into(), "connected".into(), Some(tenant.clone())));

    // The same organisation for another file: nothing changes without --merge.
    let before = p.files();
    let (code, said) = p.connect(&["--file", "2"], 0);
    assert_eq!(code, Some(3), "{said}");
    assert!(said.contains("is already the client file Hand Made Ltd (id 1)."), "{said}");
    assert!(
        said.contains("Nothing changed. To make them one file, run: switchboard connect --file 2 --merge"),
        "{said}"
    );
    assert_eq!(p.files(), before);

    let (code, said) = p.connect(&["--file", "Twin Ltd", "--merge"], 0);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Merged: Twin Ltd and Hand Made Ltd are now one client file, Twin Ltd (id 1)"), "{said}");
    let files = p.files();
    assert_eq!(files.len(), 4);
    assert_eq!(files[0], ("Twin Ltd".into(), "connected".into(), Some(tenant)));
    assert!(files.iter().all(|f| f.0 != "Hand Made Ltd"));

    // Refused before any sign-in.
    let said = p.refused(&["connect", "--file", "Books Co"]);
    assert!(said.contains("Books Co is a QuickBooks Online file. Switchboard connects Xero files only"), "{said}");
    let said = p.refused(&["connect", "--file", "Same Name"]);
    assert!(said.contains("2 client files are named Same Name (ids 4, 5); give the id instead."), "{said}");
    let said = p.refused(&["connect", "--file", "Nobody"]);
    assert!(said.contains("No client file has the id or the exact name Nobody."), "{said}");
    let said = p.refused(&["connect", "--file", "1"]);
    assert!(said.contains("already linked to a Xero organisation"), "{said}");
    assert_eq!(p.sim.stats().authorization_code_grants, 3);
}
