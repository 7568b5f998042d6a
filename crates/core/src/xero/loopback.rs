//! The loopback redirect of RFC 8252: a listener on the loopback addresses that takes exactly one
//! OAuth callback and closes.
//!
//! Xero accepts no wildcard and no ephemeral redirect port, so the listener takes the first free
//! port of a list the practice registered with its Xero app (`http://localhost:<port>/callback`).
//! Xero compares redirect URIs exactly, so the URI keeps the name `localhost`; as a browser may
//! resolve it to 127.0.0.1 or to ::1, the port is held on both.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// The path every registered redirect URI ends in.
pub const CALLBACK_PATH: &str = "/callback";

/// The page for a callback that carries another state: it may be a stale tab of an earlier
/// sign-in, so the person is told where the live one is.
const IGNORED_PAGE: &str = "This response does not belong to the sign-in Switchboard is waiting for, so it was ignored. \
     If you are signing in, finish in the newest tab Switchboard opened.";

/// A request larger than this is not a browser following a redirect.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// How long a connection may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Loopback {
    v4: TcpListener,
    /// `None` only on a computer without an IPv6 loopback, where nobody can listen on ::1.
    v6: Option<TcpListener>,
    port: u16,
}

/// Binding ::1 failed because the computer has no IPv6 loopback (none configured, or IPv6
/// switched off at boot, EAFNOSUPPORT): then nobody can listen there either.
fn no_ipv6_loopback(error: &io::Error) -> bool {
    const EAFNOSUPPORT: i32 = if cfg!(windows) {
        10047
    } else if cfg!(target_os = "macos") {
        47
    } else {
        97
    };
    error.kind() == io::ErrorKind::AddrNotAvailable || error.raw_os_error() == Some(EAFNOSUPPORT)
}

impl Loopback {
    /// Listens on 127.0.0.1 and ::1 (never another interface) on the first of `ports` that is free
    /// on both.
    pub async fn bind(ports: &[u16]) -> Result<Loopback> {
        if ports.is_empty() {
            return Err(Error::InvalidInput(
                "No redirect ports are configured for the Xero app. Add the ports registered with your Xero app in Settings.".to_owned(),
            ));
        }
        for &port in ports {
            let Ok(v4) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await else { continue };
            // If another process holds the port on ::1, a browser that resolves localhost to ::1
            // would hand it the code: the port is not free.
            let v6 = match TcpListener::bind((Ipv6Addr::LOCALHOST, port)).await {
                Ok(v6) => Some(v6),
                Err(e) if no_ipv6_loopback(&e) => None,
                Err(_) => continue,
            };
            return Ok(Loopback { v4, v6, port });
        }
        Err(Error::NoFreePort { ports: ports.to_vec() })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The redirect URI to send to Xero; it must match one registered with the app exactly.
    pub fn redirect_uri(&self) -> String {
        format!("http://localhost:{}{CALLBACK_PATH}", self.port)
    }

    /// Waits for the callback that carries `expected_state`, answers the browser with a page that
    /// says what happened, and closes. Stops early on `timeout` or when `cancelled` completes.
    pub async fn wait_for_code(
        self,
        expected_state: &Secret,
        timeout: Duration,
        cancelled: impl Future<Output = ()>,
    ) -> Result<Secret> {
        tokio::select! {
            result = self.accept_callback(expected_state) => result,
            () = tokio::time::sleep(timeout) => Err(Error::SignInTimedOut { minutes: timeout.as_secs().div_ceil(60) }),
            () = cancelled => Err(Error::SignInCancelled),
        }
        // In every case the listeners and the connection tasks are dropped here: the port closes.
    }

    /// The next connection, over either address.
    async fn accept(&self) -> io::Result<TcpStream> {
        let (stream, _) = match &self.v6 {
            Some(v6) => tokio::select! {
                accepted = self.v4.accept() => accepted,
                accepted = v6.accept() => accepted,
            },
            None => self.v4.accept().await,
        }?;
        Ok(stream)
    }

    async fn accept_callback(&self, expected_state: &Secret) -> Result<Secret> {
        // Each connection is read in its own task, so one that never sends (a browser's
        // speculative connection, or another process) cannot hold up the callback. Each task waits
        // at most READ_TIMEOUT for at most MAX_REQUEST_BYTES. Dropping the set, when the
        // wait ends for any reason, aborts the tasks and closes their connections.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.accept() => {
                    if let Ok(stream) = accepted {
                        connections.spawn(answer(stream, expected_state.clone()));
                    }
                }
                Some(answered) = connections.join_next() => {
                    if let Ok(Some(outcome)) = answered {
                        return outcome;
                    }
                }
            }
        }
    }
}

/// Answers one connection. `None` when it is not the callback of this sign-in: the wait goes on.
async fn answer(mut stream: TcpStream, expected_state: Secret) -> Option<Result<Secret>> {
    let Some(target) = read_request_target(&mut stream).await else {
        respond(&mut stream, "400 Bad Request", "This page expected a sign-in response.").await;
        return None;
    };
    let Some(query) = callback_query(&target) else {
        // Browsers also ask for /favicon.ico and the like: not the callback.
        respond(&mut stream, "404 Not Found", "Nothing here.").await;
        return None;
    };
    let outcome = callback_outcome(&query, &expected_state);
    let page = match &outcome {
        // Any web page or local process can send a request here: one without this sign-in's
        // state is answered and ignored, never allowed to end the sign-in.
        Err(Error::SignInStateMismatch) => {
            respond(&mut stream, "400 Bad Request", IGNORED_PAGE).await;
            return None;
        }
        Ok(_) => "You are signed in to Xero. You can close this tab and return to Switchboard.",
        Err(Error::ConsentDenied { .. }) => {
            "Access was not granted, so nothing was connected. You can close this tab and return to Switchboard."
        }
        Err(_) => "This sign-in response could not be used. Close this tab and start again from Switchboard.",
    };
    let status = if outcome.is_ok() { "200 OK" } else { "400 Bad Request" };
    respond(&mut stream, status, page).await;
    Some(outcome)
}

/// Reads the request head and returns its target (`/callback?code=...`), or `None` for anything
/// that is not a well-formed `GET`.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    // One deadline for the whole head: a client sending a byte now and then cannot keep a
    // connection (and its task) alive.
    let deadline = Instant::now() + READ_TIMEOUT;
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await.ok()?.ok()?;
        if read == 0 || buffer.len() + read > MAX_REQUEST_BYTES {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let head = std::str::from_utf8(&buffer).ok()?;
    let mut parts = head.lines().next()?.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) => Some(target.to_owned()),
        _ => None,
    }
}

fn callback_query(target: &str) -> Option<Vec<(String, String)>> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    (path == CALLBACK_PATH).then(|| url::form_urlencoded::parse(query.as_bytes()).into_owned().collect())
}

fn callback_outcome(query: &[(String, String)], expected_state: &Secret) -> Result<Secret> {
    let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    // The state is checked first: a response for another sign-in is never acted on.
    if param("state") != Some(expected_state.expose()) {
        return Err(Error::SignInStateMismatch);
    }
    if let Some(error) = param("error") {
        return Err(Error::ConsentDenied { reason: describe_error(error, param("error_description")) });
    }
    match param("code") {
        Some(code) if !code.is_empty() => Ok(Secret::new(code)),
        _ => Err(Error::SignInFailed("Xero's response carried no authorization code.".to_owned())),
    }
}

fn describe_error(error: &str, description: Option<&str>) -> String {
    match description {
        Some(d) => format!("{} ({})", super::printable(error, 200), super::printable(d, 200)),
        None => super::printable(error, 200),
    }
}

async fn respond(stream: &mut TcpStream, status: &str, message: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Switchboard</title></head>\
         <body style=\"font-family: system-ui, sans-serif; margin: 4rem auto; max-width: 36rem\">\
         <h1>Switchboard</h1><p>{message}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}
