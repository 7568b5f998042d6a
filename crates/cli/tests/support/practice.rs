//! A practice the CLI tests drive against the Xero simulator: a simulator of its own, a cache in a
//! temporary folder, a credential-store service of its own and the practice's Xero app set up (as
//! `switchboard xero-app` does). Its token sets leave the credential store when it is dropped.
#![allow(dead_code)] // Each test binary uses part of it.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use xero_sim::config::{AutoConsent, DEFAULT_CLIENT_ID, DEFAULT_REDIRECT_PORTS, SimConfig};
use xero_sim::{SimHandle, Simulator};

use super::{forget_token_sets, switchboard_on_sim};

/// More token sets than any of these tests makes: all of them are forgotten on drop.
const TOKEN_SETS: i64 = 8;

pub struct Practice {
    pub sim: SimHandle,
    pub dir: tempfile::TempDir,
    pub service: String,
}

/// What `switchboard connect` did.
pub struct Connected {
    pub code: Option<i32>,
    /// What it printed after the consent address.
    pub after_address: String,
    /// Everything it printed: standard output, then standard error.
    pub said: String,
}

impl Practice {
    /// A simulator started with `config` that consents to every organisation (a test may pick
    /// others: [`SimHandle::set_auto_consent`]); `name` keeps the credential-store service apart
    /// from other tests'.
    pub fn new(config: SimConfig, name: &str) -> Practice {
        let sim = Simulator::start_blocking(config.auto_consent(AutoConsent::all())).unwrap();
        let practice = Practice {
            sim,
            dir: tempfile::tempdir().unwrap(),
            service: format!("app.switchboard.test.{name}.{}", std::process::id()),
        };
        let ports: Vec<_> = DEFAULT_REDIRECT_PORTS.iter().map(u16::to_string).collect();
        let out = practice.run(&["xero-app", "--client-id", DEFAULT_CLIENT_ID, "--ports", &ports.join(",")]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        practice
    }

    pub fn cache_path(&self) -> PathBuf {
        self.dir.path().join("cache.sqlite3")
    }

    /// `switchboard <args>` on this practice's cache, credential store and simulator.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = switchboard_on_sim(&self.cache_path(), &self.service, &self.sim);
        command.args(args);
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `switchboard connect <args>`, with this test playing the browser: open the printed address
    /// and follow Xero's redirect back to the loopback listener.
    pub fn connect_with(&self, args: &[&str]) -> Connected {
        let mut all = vec!["connect", "--timeout-secs", "120"];
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
        let mut after_address = String::new();
        stdout.read_to_string(&mut after_address).unwrap();
        said.push_str(&after_address);
        child.stderr.take().unwrap().read_to_string(&mut said).unwrap();
        Connected { code: child.wait().unwrap().code(), after_address, said }
    }

    /// `switchboard connect` consenting to every organisation, which must succeed; returns what
    /// it printed after the consent address.
    pub fn connect(&self) -> String {
        let connected = self.connect_with(&[]);
        assert_eq!(connected.code, Some(0), "connect failed: {}", connected.said);
        connected.after_address
    }
}

impl Drop for Practice {
    fn drop(&mut self) {
        forget_token_sets(&self.service, &self.cache_path(), TOKEN_SETS);
    }
}
