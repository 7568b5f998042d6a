//! Sending one message through the practice's mail server: SMTP with STARTTLS, TLS, or (on this
//! computer only) no encryption, certificates checked by the operating system as for Xero.
//!
//! Each step of the conversation is taken here rather than by lettre's `SmtpTransport`, so that
//! a failure names what the server refused (the sign-in, the sender, the recipient or the
//! message) in a sentence a person can act on. A failed send closes the connection before the
//! message is complete, so the server never delivers half of one.

use std::error::Error as StdError;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::{Address, Message};

use super::settings::{MailSecurity, MailSettings, is_loopback};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// How long each step (connecting, each reply) may take before the send is given up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// How much of a server's reply an error quotes: enough to recognise it, not a page of it.
const REPLY_CHARS: usize = 300;

/// One message to send: the client's name and address, and the pack as text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// The practice's mail server, ready to send: settings checked, password loaded.
#[derive(Debug, Clone)]
pub struct MailSender {
    settings: MailSettings,
    password: Option<Secret>,
    timeout: Duration,
}

impl MailSender {
    /// A sender for these settings (checked again: they may come from an older cache) and the
    /// saved password. A user name without a password is refused here rather than at the server.
    pub fn new(settings: &MailSettings, password: Option<Secret>) -> Result<MailSender> {
        let settings = settings.validated()?;
        if settings.username.is_some() && password.is_none() {
            return Err(Error::Mail(
                "The mail server's password is not saved on this computer. Enter it in Settings → Client packs by \
                 email."
                    .to_owned(),
            ));
        }
        Ok(MailSender { settings, password, timeout: DEFAULT_TIMEOUT })
    }

    /// Another limit for each step (tests use a short one).
    pub fn with_timeout(mut self, timeout: Duration) -> MailSender {
        self.timeout = timeout;
        self
    }

    /// The practice's name as clients see it (the From name).
    pub fn practice_name(&self) -> &str {
        &self.settings.from_name
    }

    /// The address messages come from.
    pub fn from_address(&self) -> &str {
        &self.settings.from_address
    }

    /// Sends one message: text and HTML as alternatives of one another, from the practice to
    /// the client. Either the server accepted the whole message, or an error says why not.
    pub fn send(&self, mail: &OutgoingMail) -> Result<()> {
        let message = self.message(mail)?;
        let mut conn = self.connect()?;
        match self.deliver(&mut conn, &message) {
            Ok(()) => {
                // The server has taken the message; a failed goodbye changes nothing.
                let _ = conn.quit();
                Ok(())
            }
            Err(error) => {
                conn.abort();
                Err(error)
            }
        }
    }

    /// A short message so staff can check the settings.
    pub fn send_test(&self, to: &str) -> Result<()> {
        let s = &self.settings;
        let text = format!(
            "This is a test message from Switchboard.\n\nIt was sent through {}:{} as {} <{}>. If it arrived, \
             client packs can be sent by email.\n",
            s.host, s.port, s.from_name, s.from_address
        );
        let html = format!("<p>{}</p>", escape_html(&text).replace("\n\n", "</p><p>"));
        self.send(&OutgoingMail {
            to_name: String::new(),
            to_email: to.to_owned(),
            subject: format!("Test message from {}", s.from_name),
            html,
            text,
        })
    }

    /// The message as lettre writes it: names and the subject encoded (RFC 2047 for non-ASCII,
    /// quoted for specials), bodies in quoted-printable or base64 as needed.
    fn message(&self, mail: &OutgoingMail) -> Result<Message> {
        let to_email = crate::access::email::validate_email(&mail.to_email)?;
        let to_address: Address = to_email.parse().map_err(|e| {
            Error::InvalidInput(format!("{to_email:?} is not an email address the mail server would take ({e})."))
        })?;
        let from_address: Address = self.settings.from_address.parse().map_err(|e| {
            Error::InvalidInput(format!("The From address in Settings is not usable ({e}); correct it there."))
        })?;
        let to_name = one_line(&mail.to_name);
        let to = Mailbox::new(Some(to_name).filter(|n| !n.is_empty()), to_address);
        let from = Mailbox::new(Some(one_line(&self.settings.from_name)), from_address.clone());
        Message::builder()
            .from(from)
            .to(to)
            .subject(one_line(&mail.subject))
            .message_id(Some(message_id(from_address.domain())))
            .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
            .map_err(|e| Error::Mail(format!("The message could not be put together ({e}).")))
    }

    /// Connected, secured as the settings say, and signed in.
    fn connect(&self) -> Result<SmtpConnection> {
        let s = &self.settings;
        let addresses = self.addresses()?;
        let hello = ClientId::default();
        let tls = || {
            TlsParameters::new(s.host.clone())
                .map_err(|e| Error::Mail(format!("A secure connection to {} could not be prepared ({e}).", s.host)))
        };
        let implicit = match s.security {
            MailSecurity::Tls => Some(tls()?),
            MailSecurity::Starttls | MailSecurity::Unencrypted => None,
        };
        let mut conn = SmtpConnection::connect(&addresses[..], Some(self.timeout), &hello, implicit.as_ref(), None)
            .map_err(|e| self.failed("connecting", &e))?;
        let secured = self.secure_and_sign_in(&mut conn, &hello, tls);
        if let Err(error) = secured {
            conn.abort();
            return Err(error);
        }
        Ok(conn)
    }

    fn secure_and_sign_in(
        &self,
        conn: &mut SmtpConnection,
        hello: &ClientId,
        tls: impl Fn() -> Result<TlsParameters>,
    ) -> Result<()> {
        let s = &self.settings;
        if s.security == MailSecurity::Starttls {
            if !conn.server_info().supports_feature(Extension::StartTls) {
                return Err(Error::Mail(format!(
                    "The mail server {}:{} does not offer STARTTLS, so Switchboard did not send anything over the \
                     unprotected connection. Check the port and security setting (port 465 usually uses TLS, port \
                     587 STARTTLS).",
                    s.host, s.port
                )));
            }
            conn.starttls(&tls()?, hello).map_err(|e| self.failed("securing the connection", &e))?;
        }
        let (Some(user), Some(password)) = (&s.username, &self.password) else { return Ok(()) };
        let credentials = Credentials::new(user.clone(), password.expose().to_owned());
        conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).map_err(|e| {
            if e.status().is_some() {
                Error::Mail(format!(
                    "The mail server did not accept the user name {user:?} and its password (it said: {}). Check \
                     them in Settings → Client packs by email; some providers need an app password.",
                    server_said(&e)
                ))
            } else if e.is_client() {
                Error::Mail(
                    "The mail server offers no sign-in Switchboard can use (PLAIN or LOGIN) on this connection. \
                     Check the security setting, or leave the user name empty if the server needs no sign-in."
                        .to_owned(),
                )
            } else {
                self.failed("signing in", &e)
            }
        })?;
        Ok(())
    }

    /// MAIL FROM, RCPT TO, DATA and the message, each refusal in its own words.
    fn deliver(&self, conn: &mut SmtpConnection, message: &Message) -> Result<()> {
        let envelope = message.envelope();
        let bytes = message.formatted();
        let mut options = Vec::new();
        // lettre encodes the bodies in 7 bits; this is only in case a future one does not.
        if !bytes.is_ascii() {
            if !conn.server_info().supports_feature(Extension::EightBitMime) {
                return Err(Error::Mail("The mail server does not accept 8-bit messages.".to_owned()));
            }
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let refused = |what: String, e: &lettre::transport::smtp::Error| {
            if e.status().is_some() {
                Error::Mail(format!("The mail server refused {what}. It said: {}", server_said(e)))
            } else {
                self.failed("sending", e)
            }
        };
        let from = envelope.from().cloned();
        let sender = from.as_ref().map_or_else(String::new, ToString::to_string);
        conn.command(Mail::new(from, options)).map_err(|e| refused(format!("the sender {sender}"), &e))?;
        for to in envelope.to() {
            conn.command(Rcpt::new(to.clone(), vec![])).map_err(|e| refused(format!("the recipient {to}"), &e))?;
        }
        conn.command(Data).map_err(|e| refused("the message".to_owned(), &e))?;
        conn.message(&bytes).map_err(|e| refused("the message".to_owned(), &e))?;
        Ok(())
    }

    /// Where to connect. Without encryption only this computer's own addresses are used, even
    /// if `localhost` resolved elsewhere.
    fn addresses(&self) -> Result<Vec<SocketAddr>> {
        let s = &self.settings;
        let port = u16::try_from(s.port).map_err(|_| Error::InvalidInput(format!("{} is not a port.", s.port)))?;
        let found: Vec<SocketAddr> = (s.host.as_str(), port)
            .to_socket_addrs()
            .map_err(|e| {
                Error::Mail(format!(
                    "The mail server {} could not be found ({e}). Check its name, and the internet connection.",
                    s.host
                ))
            })?
            .collect();
        if s.security != MailSecurity::Unencrypted {
            return Ok(found);
        }
        let local: Vec<SocketAddr> = found.into_iter().filter(|a| a.ip().is_loopback()).collect();
        if local.is_empty() || !is_loopback(&s.host) {
            return Err(Error::Mail(format!(
                "{} is not on this computer, and mail without encryption is sent only to a server on this computer.",
                s.host
            )));
        }
        Ok(local)
    }

    /// A failure that is not a refusal by the server, as a sentence: refused, silent, not
    /// trusted, not speaking TLS.
    fn failed(&self, doing: &str, error: &lettre::transport::smtp::Error) -> Error {
        let s = &self.settings;
        let server = format!("{}:{}", s.host, s.port);
        if let Some(tls) = crate::xero::http::tls_error(error) {
            return Error::Mail(match tls {
                rustls::Error::InvalidCertificate(problem) => format!(
                    "The certificate of the mail server {} is not trusted by this computer: {}. Nothing was sent.",
                    s.host,
                    crate::xero::http::why_refused(problem)
                ),
                other => format!(
                    "A secure connection to the mail server {server} could not be made ({other}). Check the \
                     security setting: port 465 usually uses TLS, port 587 STARTTLS."
                ),
            });
        }
        if error.status().is_some() {
            return Error::Mail(format!(
                "The mail server {server} refused while {doing}. It said: {}",
                server_said(error)
            ));
        }
        match io_error_kind(error) {
            Some(std::io::ErrorKind::ConnectionRefused) => Error::Mail(format!(
                "The mail server {server} refused the connection. Check the server name and port, and that the \
                 server is running."
            )),
            // A read timeout is WouldBlock on Unix and TimedOut on Windows.
            Some(std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock) => Error::Mail(format!(
                "The mail server {server} did not answer within {}. Check the server name, port and security \
                 setting, and that this network lets mail out.",
                seconds(self.timeout)
            )),
            _ => Error::Mail(format!("Sending through the mail server {server} failed while {doing} ({error}).")),
        }
    }
}

fn seconds(duration: Duration) -> String {
    match duration.as_secs_f32() {
        1.0 => "1 second".to_owned(),
        secs => format!("{secs} seconds"),
    }
}

/// The kind of the first I/O error under a lettre error, if any.
fn io_error_kind(error: &(dyn StdError + 'static)) -> Option<std::io::ErrorKind> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        next = error.source();
    }
    None
}

/// The server's reply code and text: untrusted, so on one line and cut short.
fn server_said(error: &lettre::transport::smtp::Error) -> String {
    let code = error.status().map(|c| c.to_string()).unwrap_or_default();
    let text = error.source().map(ToString::to_string).unwrap_or_default();
    let text = one_line(&text);
    let cut: String = text.chars().take(REPLY_CHARS).collect();
    let more = if cut.len() < text.len() { "…" } else { "" };
    format!("{code} {cut}{more}").trim().to_owned()
}

/// Names and subjects on one line: each run of control characters (a line break that could
/// start a header of its own) becomes one space. lettre encodes the rest.
fn one_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut in_control = false;
    for c in text.chars() {
        if c.is_control() {
            if !in_control {
                line.push(' ');
            }
            in_control = true;
        } else {
            line.push(c);
            in_control = false;
        }
    }
    line.trim().to_owned()
}

/// `<time.count.random@domain>`: unique per message, naming the practice's domain rather than
/// this computer.
fn message_id(domain: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let random = RandomState::new().hash_one((nanos, count, std::process::id()));
    format!("<{nanos:x}.{count}.{random:016x}@{domain}>")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_subjects_stay_on_one_line() {
        assert_eq!(one_line("A\r\nBcc: x@evil.example"), "A Bcc: x@evil.example");
        assert_eq!(one_line(" Ünïcode <b> \"q\" "), "Ünïcode <b> \"q\"");
    }

    #[test]
    fn message_ids_are_unique_and_name_the_practice_s_domain() {
        let (a, b) = (message_id("practice.example"), message_id("practice.example"));
        assert_ne!(a, b);
        assert!(a.starts_with('<') && a.ends_with("@practice.example>"), "{a}");
    }
}
