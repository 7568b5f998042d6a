//! `switchboard connect --xpm`, `sync` refreshing XPM, and `list` showing each file's XPM link,
//! as separate processes against the simulator (credential store: see `support::os_store`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use switchboard_core::Cache;
use switchboard_core::model::ClientFileDraft;
use xero_sim::config::{AutoConsent, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_PORTS, SimConfig};
use xero_sim::xpm::XpmEdit;
use xero_sim::{SimHandle, Simulator};

mod support;
use support::switchboard_on_sim;

struct Practice {
    sim: SimHandle,
    dir: tempfile::TempDir,
    service: String,
}

impl Practice {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = switchboard_on_sim(&self.dir.path().join("cache.sqlite3"), &self.service, &self.sim);
        command.args(args);
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn cache(&self) -> Cache {
        Cache::open(&self.dir.path().join("cache.sqlite3")).unwrap()
    }
}

impl Drop for Practice {
    fn drop(&mut self) {
        support::forget_token_sets(&self.service, &self.dir.path().join("cache.sqlite3"), 3);
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn connect_xpm_then_sync_refreshes_it_and_list_shows_the_links() {
    let p = Practice {
        sim: Simulator::start_blocking(SimConfig::default().orgs(4).xpm_clients(25).auto_consent(AutoConsent::all()))
            .unwrap(),
        dir: tempfile::tempdir().unwrap(),
        service: format!("app.switchboard.test.xpm.{}", std::process::id()),
    };
    let ports: Vec<_> = DEFAULT_REDIRECT_PORTS.iter().map(u16::to_string).collect();
    assert!(p.run(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--ports", &ports.join(",")]).status.success());

    // This test plays the browser: open the printed address, follow the redirect back.
    let mut child = p.command(&["connect", "--xpm", "--timeout-secs", "30"]).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let url = loop {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "no address printed");
        if line.starts_with("http") {
            break line.trim().to_owned();
        }
    };
    let browser = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let back = browser.get(&url).send().unwrap().headers()["location"].to_str().unwrap().to_owned();
    assert!(browser.get(&back).send().unwrap().status().is_success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    let active = p.sim.xpm_clients().iter().filter(|c| !c.is_archived && !c.is_deleted).count();
    assert!(rest.contains(&format!("XPM: loaded {active} clients")), "{rest}");

    // A file linked to an XPM client (through the core, as the app does).
    let records = p.cache().xpm_records().unwrap();
    let target = records.iter().find(|r| r.name.len() < 25).unwrap().clone();
    {
        let mut cache = p.cache();
        let ids = cache
            .upsert_files(&[ClientFileDraft::named("Linked Files Ltd"), ClientFileDraft::named("Unlinked Files")])
            .unwrap();
        cache.link_xpm_client(ids[0], Some(&target.uuid)).unwrap();
    }
    let list = out(&p.run(&["list"]));
    let linked = list.lines().find(|l| l.starts_with("Linked Files Ltd")).unwrap();
    assert!(linked.contains(&target.name), "{linked}");
    let unlinked = list.lines().find(|l| l.starts_with("Unlinked Files")).unwrap();
    assert!(unlinked.contains("  -  "), "{unlinked}");

    // XPM archives the client; `sync` refreshes XPM and the list flags the link.
    p.sim.xpm_edit(
        xero_sim::xpm::Uuid::parse_str(&target.uuid).unwrap(),
        &XpmEdit { archived: Some(true), ..Default::default() },
    );
    let sync = p.run(&["sync"]);
    assert_eq!(sync.status.code(), Some(0), "{}", String::from_utf8_lossy(&sync.stderr));
    assert!(out(&sync).contains("XPM: refreshed"), "{}", out(&sync));
    let list = out(&p.run(&["list"]));
    assert!(list.lines().any(|l| l.starts_with("Linked Files Ltd") && l.contains("(archived)")), "{list}");
}
