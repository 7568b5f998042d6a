//! How much of a remote answer Switchboard reads: each kind of answer has a cap, and a body is
//! read chunk by chunk and abandoned at the cap, never held whole first. A sync has up to 32
//! calls in flight, so without caps one wrong or hostile endpoint could make the app hold
//! gigabytes.
//!
//! The caps are generous multiples of the largest answers Xero sends for real practices (a
//! rejected honest answer is worse than a few megabytes held for a moment), and small enough that
//! every call in flight at its cap together stays in the hundreds of megabytes at worst.

/// What an answer is, as a person reads it in the error, and the most bytes read of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyCap {
    /// E.g. "Xero's list of connections".
    pub what: &'static str,
    pub max_bytes: usize,
}

const KB: usize = 1024;
const MB: usize = 1024 * KB;

impl BodyCap {
    /// `GET /connections`: about 400 bytes a tenant; 16 MB is some 40,000 tenants for one sign-in,
    /// far beyond the largest practices.
    pub const CONNECTIONS: BodyCap = BodyCap { what: "Xero's list of connections", max_bytes: 16 * MB };
    /// `GET Organisation`: one organisation, a few kilobytes with its addresses and phones.
    pub const ORGANISATION: BodyCap = BodyCap { what: "Xero's organisation details", max_bytes: MB };
    /// The payroll and fixed-assets settings probes: a few kilobytes of settings.
    pub const SETTINGS: BodyCap = BodyCap { what: "Xero's payroll or assets settings", max_bytes: MB };
    /// `GET Users`: some hundred bytes a user; 4 MB is well over ten thousand users.
    pub const USERS: BodyCap = BodyCap { what: "Xero's list of users", max_bytes: 4 * MB };
    /// A report or a page of invoices: a large organisation's profit and loss with tracking is a
    /// few hundred kilobytes and a page of 100 invoices with their lines about a megabyte. Reports
    /// are fetched a handful at a time, so 16 MB each leaves room without risking the memory.
    pub const REPORT: BodyCap = BodyCap { what: "a Xero report", max_bytes: 16 * MB };
    /// XPM's client list (XML, about three kilobytes a client with its contacts). A page is 500
    /// clients, but "changed since" is one unpaged answer; 32 MB holds some 10,000 changed
    /// clients, and XPM is read for one practice at a time, so this cap can be the largest.
    pub const XPM_CLIENTS: BodyCap = BodyCap { what: "XPM's client list", max_bytes: 32 * MB };
    /// One XPM client.
    pub const XPM_CLIENT: BodyCap = BodyCap { what: "an XPM client", max_bytes: 2 * MB };
    /// Xero's token endpoint: an access token, a refresh token and an id token, a few kilobytes.
    pub const TOKEN: BodyCap = BodyCap { what: "Xero's sign-in answer", max_bytes: 256 * KB };
    /// An answer whose body is only looked at for an error's detail (e.g. a deleted connection).
    pub const ACKNOWLEDGEMENT: BodyCap = BodyCap { what: "Xero's answer", max_bytes: MB };

    /// The one sentence a person reads when an answer went over the cap.
    pub fn too_large(&self) -> String {
        format!(
            "{} was larger than {}, so Switchboard stopped reading it.",
            capitalised(self.what),
            size(self.max_bytes)
        )
    }
}

/// Why a capped read stopped; `read` is how many bytes arrived before it did.
#[derive(Debug)]
pub enum ReadError {
    TooLarge { cap: BodyCap, read: usize },
    Transport { error: reqwest::Error, read: usize },
}

/// The body of `response`, read chunk by chunk up to `cap`. A `Content-Length` over the cap is
/// refused before reading anything.
pub async fn read_capped(mut response: reqwest::Response, cap: BodyCap) -> Result<Vec<u8>, ReadError> {
    if response.content_length().is_some_and(|n| n > cap.max_bytes as u64) {
        return Err(ReadError::TooLarge { cap, read: 0 });
    }
    let mut body = Vec::with_capacity(response.content_length().map_or(0, |n| n as usize));
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(error) => return Err(ReadError::Transport { error, read: body.len() }),
        };
        if body.len() + chunk.len() > cap.max_bytes {
            return Err(ReadError::TooLarge { cap, read: body.len() + chunk.len() });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn size(bytes: usize) -> String {
    if bytes >= MB { format!("{} MB", bytes / MB) } else { format!("{} KB", bytes / KB) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_names_the_answer_and_its_cap() {
        assert_eq!(
            BodyCap::CONNECTIONS.too_large(),
            "Xero's list of connections was larger than 16 MB, so Switchboard stopped reading it."
        );
        assert_eq!(
            BodyCap::REPORT.too_large(),
            "A Xero report was larger than 16 MB, so Switchboard stopped reading it."
        );
        assert_eq!(
            BodyCap::TOKEN.too_large(),
            "Xero's sign-in answer was larger than 256 KB, so Switchboard stopped reading it."
        );
    }
}
