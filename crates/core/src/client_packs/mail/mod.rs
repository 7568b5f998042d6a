//! The practice's own mail server, through which client packs go out: its settings
//! ([`settings`], the password in the OS credential store) and sending one message over SMTP
//! ([`transport`]). The [`crate::Session`] methods are in `session.rs`.

mod session;
pub use session::NOT_SET_UP;
pub mod settings;
pub mod transport;

pub use settings::{MailSecurity, MailSettings, MailStatus};
pub use transport::{MailSender, OutgoingMail};
