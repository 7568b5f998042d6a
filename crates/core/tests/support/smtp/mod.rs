//! A real SMTP server on loopback for the client-pack mail tests: `smtp_server.py` (aiosmtpd,
//! Debian's `python3-aiosmtpd`, installed by scripts/setup) run as a child process, and what it
//! received read back from its folder.
//!
//! Included with `#[path = "support/smtp/mod.rs"] mod smtp;`.

// Each test binary that includes it uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// How the server protects its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Plain,
    /// STARTTLS offered and required before anything else.
    Starttls,
    /// TLS from the first byte.
    Tls,
}

/// What the server is started with.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub mode: Mode,
    /// The certificate chain and key (PEM files), for STARTTLS and TLS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Sign-in required with this user name and password.
    pub user: Option<(String, String)>,
    /// Recipients matching this regular expression are refused with 550.
    pub refuse: Option<String>,
}

impl ServerOptions {
    pub fn new(mode: Mode) -> Self {
        ServerOptions { mode, tls: None, user: None, refuse: None }
    }

    /// The certificate `cert.pem` and key `key.pem` in `dir`.
    pub fn tls_from(mut self, dir: &Path) -> Self {
        self.tls = Some((dir.join("cert.pem"), dir.join("key.pem")));
        self
    }

    pub fn user(mut self, name: &str, password: &str) -> Self {
        self.user = Some((name.to_owned(), password.to_owned()));
        self
    }

    pub fn refuse(mut self, pattern: &str) -> Self {
        self.refuse = Some(pattern.to_owned());
        self
    }
}

/// One message the server accepted: its bytes as received, and what the session was.
#[derive(Debug)]
pub struct Received {
    pub raw: Vec<u8>,
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    pub encrypted: bool,
    /// The user name it signed in with.
    pub login: Option<String>,
}

/// The running server; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    out: tempfile::TempDir,
}

impl SmtpServer {
    pub fn start(options: &ServerOptions) -> SmtpServer {
        let out = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp/smtp_server.py");
        let mode = match options.mode {
            Mode::Plain => "plain",
            Mode::Starttls => "starttls",
            Mode::Tls => "tls",
        };
        let mut command = Command::new(python());
        command.arg(script).args(["--mode", mode, "--out"]).arg(out.path());
        if let Some((cert, key)) = &options.tls {
            command.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        if let Some((name, password)) = &options.user {
            command.args(["--user", name]).env("SMTP_TEST_PASSWORD", password);
        }
        if let Some(pattern) = &options.refuse {
            command.args(["--refuse", pattern]);
        }
        // stdin stays open: the server ends when it closes (if this process dies without Drop).
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the test SMTP server did not start (it printed {line:?})")
        });
        SmtpServer { child, port, out }
    }

    /// Every message received so far, in the order received.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|eml| {
                let meta: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(eml.with_extension("json")).unwrap()).unwrap();
                let text = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
                Received {
                    raw: std::fs::read(&eml).unwrap(),
                    mail_from: text(&meta["mail_from"]),
                    rcpt_tos: meta["rcpt_tos"].as_array().unwrap().iter().map(text).collect(),
                    encrypted: meta["encrypted"].as_bool().unwrap(),
                    login: meta["login"].as_str().map(str::to_owned),
                }
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Python 3 that has aiosmtpd: `SWITCHBOARD_TEST_PYTHON`, else the system's (a pyenv or venv
/// `python3` first on the PATH does not see Debian's packages), else `python3`.
fn python() -> PathBuf {
    let candidates = std::env::var_os("SWITCHBOARD_TEST_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/python3", "python3"].map(PathBuf::from));
    for candidate in candidates {
        let ok = Command::new(&candidate)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return candidate;
        }
    }
    panic!("no Python 3 with aiosmtpd: install python3-aiosmtpd (scripts/setup does), or set SWITCHBOARD_TEST_PYTHON");
}
