//! A [`ClientRow`] written as JSON by hand: byte for byte what its derived `Serialize` writes
//! (the tests below hold the two together), in fewer instructions. The screen loads all 10,000
//! rows at every start and reload; serde's general path escapes every key and tag of a row and
//! pays a call's overhead for each of its ~20 strings, most of them short and needing no escape.

use crate::clients::table::ClientRow;
use crate::model::{AccountingSoftware, ConnectionState, ServiceState, UnavailableReason, UnixMillis};

/// Appends `row` as the JSON array `serde_json::to_writer(row)` writes.
pub(super) fn write_row(json: &mut Vec<u8>, row: &ClientRow<'_>) {
    let ClientRow(id, name, remote_name, software, connection, payroll, assets, xero, xpm, sync) = row;
    json.push(b'[');
    integer(json, id.0);
    json.push(b',');
    string(json, name);
    json.push(b',');
    optional_string(json, *remote_name);
    json.push(b',');
    write_software(json, software);
    json.push(b',');
    write_connection(json, connection);
    json.push(b',');
    write_service(json, payroll);
    json.push(b',');
    write_service(json, assets);
    json.push(b',');
    match xero {
        None => json.extend_from_slice(b"null"),
        Some((tenant_id, connection_id, short_code)) => {
            json.push(b'[');
            string(json, tenant_id);
            json.push(b',');
            optional_string(json, *connection_id);
            json.push(b',');
            optional_string(json, *short_code);
            json.push(b']');
        }
    }
    json.push(b',');
    match xpm {
        None => json.extend_from_slice(b"null"),
        Some((uuid, name, web_url, archived, deleted)) => {
            json.push(b'[');
            string(json, uuid);
            json.push(b',');
            string(json, name);
            json.push(b',');
            optional_string(json, *web_url);
            json.push(b',');
            boolean(json, *archived);
            json.push(b',');
            boolean(json, *deleted);
            json.push(b']');
        }
    }
    json.push(b',');
    let (last_success, last_attempt, last_error) = sync;
    json.push(b'[');
    optional_time(json, *last_success);
    json.push(b',');
    optional_time(json, *last_attempt);
    json.push(b',');
    optional_string(json, *last_error);
    json.extend_from_slice(b"]]");
}

fn write_software(json: &mut Vec<u8>, software: &AccountingSoftware) {
    match software {
        AccountingSoftware::Other(name) => open_other(json, "name", name),
        known => open_tagged(json, "kind", known.code()),
    }
    json.push(b'}');
}

fn write_connection(json: &mut Vec<u8>, connection: &ConnectionState) {
    open_tagged(json, "state", connection.code());
    if let Some(reason) = connection.reason() {
        key(json, "reason");
        string(json, reason);
    }
    json.push(b'}');
}

fn write_service(json: &mut Vec<u8>, service: &ServiceState) {
    open_tagged(json, "state", service.code());
    if let ServiceState::Unavailable { reason } = service {
        key(json, "reason");
        match reason {
            UnavailableReason::Other(detail) => open_other(json, "detail", detail),
            known => open_tagged(json, "kind", known.code()),
        }
        json.push(b'}');
    }
    json.push(b'}');
}

/// Opens a tagged enum value, `{"<tag>":"<code>"`; the caller writes its fields and the `}`.
/// Tags and codes are the model's own snake_case names, with nothing to escape.
fn open_tagged(json: &mut Vec<u8>, tag: &str, code: &str) {
    json.extend_from_slice(b"{\"");
    json.extend_from_slice(tag.as_bytes());
    json.extend_from_slice(b"\":\"");
    json.extend_from_slice(code.as_bytes());
    json.push(b'"');
}

/// Opens the `Other` value of an open enum, `{"kind":"other","<field>":"<text>"`: its code is
/// the text itself (remote, so escaped as needed), not a name of the model's.
fn open_other(json: &mut Vec<u8>, field: &str, text: &str) {
    open_tagged(json, "kind", "other");
    key(json, field);
    string(json, text);
}

/// Starts the next field of an object: `,"<name>":`.
fn key(json: &mut Vec<u8>, name: &str) {
    json.extend_from_slice(b",\"");
    json.extend_from_slice(name.as_bytes());
    json.extend_from_slice(b"\":");
}

/// A JSON string. Most strings need no escape and are copied between quotes; the rest are
/// written by serde_json, so every escape is serde_json's own.
fn string(json: &mut Vec<u8>, text: &str) {
    if needs_escape(text.as_bytes()) {
        serde_json::to_writer(&mut *json, text).expect("serialising to memory");
    } else {
        json.reserve(text.len() + 2);
        json.push(b'"');
        json.extend_from_slice(text.as_bytes());
        json.push(b'"');
    }
}

/// Whether JSON needs any byte of `bytes` escaped: a quote, a backslash or a control character.
/// No early exit, so the compiler makes it a vector loop.
fn needs_escape(bytes: &[u8]) -> bool {
    bytes.iter().fold(false, |found, &b| found | (b < 0x20) | (b == b'"') | (b == b'\\'))
}

fn optional_string(json: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(json, text),
        None => json.extend_from_slice(b"null"),
    }
}

fn integer(json: &mut Vec<u8>, n: i64) {
    json.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn optional_time(json: &mut Vec<u8>, time: Option<UnixMillis>) {
    match time {
        Some(UnixMillis(ms)) => integer(json, ms),
        None => json.extend_from_slice(b"null"),
    }
}

fn boolean(json: &mut Vec<u8>, value: bool) {
    json.extend_from_slice(if value { b"true" } else { b"false" });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FileId;

    fn by_hand(row: &ClientRow<'_>) -> String {
        let mut json = Vec::new();
        write_row(&mut json, row);
        String::from_utf8(json).unwrap()
    }

    fn by_serde(row: &ClientRow<'_>) -> String {
        serde_json::to_string(row).unwrap()
    }

    /// Every byte below 0x80 alone and amid text, and text JSON or HTML treats specially.
    fn hostile_strings() -> Vec<String> {
        let mut strings: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        strings.extend((0u8..0x80).map(|b| format!("Acme {} Ltd", char::from(b))));
        strings.extend(
            [
                "",
                "Acme \"Plumbing\" Ltd",
                r"C:\clients\acme",
                "line one\nline two\r\n\ttabbed",
                "\u{7f}\u{80}\u{9f}\u{a0}\u{2028}\u{2029}",
                "<img src=x onerror=alert(1)>",
                "</script><script>alert(1)</script>",
                "Robert'); DROP TABLE client_files;--",
                "מאפייה ירושלים \u{202e}gnp.exe",
                "Café Zürich 🍰👩‍👩‍👧",
                "\\u0041",
            ]
            .map(str::to_owned),
        );
        strings.push("x".repeat(10_000));
        strings
    }

    #[test]
    fn every_state_is_written_as_serde_writes_it() {
        let softwares = [
            AccountingSoftware::Xero,
            AccountingSoftware::QuickbooksOnline,
            AccountingSoftware::Myob,
            AccountingSoftware::None,
            AccountingSoftware::Other("Sage \"50\"".into()),
        ];
        let connections = [
            ConnectionState::Connected,
            ConnectionState::NotConnected,
            ConnectionState::NeedsReconnect { reason: "token expired".into() },
            ConnectionState::Disconnected { reason: "tenant \\ removed\n".into() },
        ];
        let reasons = [
            UnavailableReason::NotSubscribed,
            UnavailableReason::NotSetUp,
            UnavailableReason::ScopeNotGranted,
            UnavailableReason::WrongRegion,
            UnavailableReason::NotReachable,
            UnavailableReason::Other("HTTP 418 \u{1}".into()),
        ];
        let mut services = vec![ServiceState::NotChecked, ServiceState::Connected, ServiceState::DisconnectedByStaff];
        services.extend(reasons.into_iter().map(|reason| ServiceState::Unavailable { reason }));
        let xeros = [None, Some(("t-1", None, None)), Some(("t-2", Some("c-2"), Some("!abc")))];
        let xpms = [
            None,
            Some(("u-1", "Acme", None, false, false)),
            Some(("u-2", "Acme \"XPM\"", Some("https://practicemanager.xero.com/Client/1"), true, true)),
        ];
        let syncs = [
            (None, None, None),
            (Some(UnixMillis(1_700_000_000_000)), Some(UnixMillis(-1)), Some("HTTP 500")),
            (None, Some(UnixMillis(i64::MAX)), None),
        ];
        let mut rows = 0;
        for (i, software) in softwares.iter().enumerate() {
            for connection in &connections {
                for (j, service) in services.iter().enumerate() {
                    let row = ClientRow(
                        FileId(i64::MIN + (i * 100 + j) as i64),
                        "Acme Ltd",
                        (j % 2 == 0).then_some("ACME LIMITED"),
                        software.clone(),
                        connection.clone(),
                        service.clone(),
                        services[services.len() - 1 - j].clone(),
                        xeros[j % xeros.len()],
                        xpms[(i + j) % xpms.len()],
                        syncs[(i + 2 * j) % syncs.len()],
                    );
                    assert_eq!(by_hand(&row), by_serde(&row));
                    rows += 1;
                }
            }
        }
        assert_eq!(rows, 5 * 4 * 9);
    }

    #[test]
    fn every_string_is_escaped_as_serde_escapes_it() {
        for text in hostile_strings() {
            let text = text.as_str();
            let row = ClientRow(
                FileId(7),
                text,
                Some(text),
                AccountingSoftware::Other(text.into()),
                ConnectionState::NeedsReconnect { reason: text.into() },
                ServiceState::Unavailable { reason: UnavailableReason::Other(text.into()) },
                ServiceState::Connected,
                Some((text, Some(text), Some(text))),
                Some((text, text, Some(text), false, true)),
                (None, None, Some(text)),
            );
            let json = by_hand(&row);
            assert_eq!(json, by_serde(&row), "for {text:?}");
            // And it reads back as the same text.
            let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(parsed[1].as_str(), Some(text));
        }
    }
}
