//! Formatting helpers: Xero's date formats, XML and HTML escaping, problem bodies.

use serde::Serialize;
use uuid::Uuid;

/// `/Date(1552404447003)/` — MS-JSON date, Unix milliseconds.
pub fn ms_date(ms: i64) -> String {
    format!("/Date({ms})/")
}

/// `/Date(1546214400000+0000)/` — MS-JSON date with the offset Xero adds on some fields.
pub fn ms_date_offset(ms: i64) -> String {
    format!("/Date({ms}+0000)/")
}

/// `2019-12-07T18:46:19.5165400` — 7 fractional digits, no `Z` (connections, payroll 2.0).
/// `sub_ms` (0..10,000) fills the digits below the millisecond, as .NET ticks would.
pub fn ts7(ms: i64, sub_ms: u32) -> String {
    let dt = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let ticks = (ms.rem_euclid(1000) as u32) * 10_000 + sub_ms % 10_000;
    format!("{}.{:07}", dt.format("%Y-%m-%dT%H:%M:%S"), ticks)
}

/// `2016-01-01T00:00:00` — no fraction, no `Z` (assets, Accounting XML dates).
pub fn ts0(ms: i64) -> String {
    let dt = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    dt.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// `11/25/2026 19:30:07` — the form in Xero's `TokenExpired` detail.
pub fn us_datetime(ms: i64) -> String {
    let dt = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    dt.format("%m/%d/%Y %H:%M:%S").to_string()
}

/// Sub-millisecond digits derived from an id, so timestamps look like Xero's (`.1833130`).
pub fn sub_ms_of(id: &Uuid) -> u32 {
    let b = id.as_bytes();
    (u32::from(b[14]) << 8 | u32::from(b[15])) % 10_000
}

/// Serialize for the Accounting / Payroll 1.0 APIs, which (being .NET MS-JSON) escape the
/// slashes of dates: `"\/Date(1552404447003)\/"`, exactly as in Xero's example.
pub fn ms_json<T: Serialize>(value: &T) -> String {
    let s = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    s.replace("\"/Date(", "\"\\/Date(").replace(")/\"", ")\\/\"")
}

/// Escape text for XML element content or attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\r' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape text for HTML (content and quoted attributes).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A small XML writer producing Xero-style indented documents.
#[derive(Default)]
pub struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    pub fn new() -> Self {
        Xml::default()
    }
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
    pub fn open(&mut self, name: &str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(">\n");
        self.depth += 1;
        self
    }
    pub fn open_with(&mut self, name: &str, attrs: &str) -> &mut Self {
        self.indent();
        self.out.push_str(&format!("<{name} {attrs}>\n"));
        self.depth += 1;
        self
    }
    pub fn close(&mut self, name: &str) -> &mut Self {
        self.depth -= 1;
        self.indent();
        self.out.push_str(&format!("</{name}>\n"));
        self
    }
    pub fn el(&mut self, name: &str, value: &str) -> &mut Self {
        self.indent();
        if value.is_empty() {
            self.out.push_str(&format!("<{name} />\n"));
        } else {
            self.out.push_str(&format!("<{name}>{}</{name}>\n", xml_escape(value)));
        }
        self
    }
    pub fn opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.el(name, v);
        }
        self
    }
    pub fn empty(&mut self, name: &str) -> &mut Self {
        self.el(name, "")
    }
    pub fn finish(self) -> String {
        self.out
    }
}

/// Xero's API problem body: `{"Type":null,"Title":…,"Status":…,"Detail":…,"Instance":…,"Extensions":{}}`.
#[derive(Serialize)]
pub struct Problem {
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    #[serde(rename = "Title")]
    pub title: String,
    #[serde(rename = "Status")]
    pub status: u16,
    #[serde(rename = "Detail")]
    pub detail: String,
    #[serde(rename = "Instance")]
    pub instance: String,
    #[serde(rename = "Extensions")]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

pub fn problem_json(title: &str, status: u16, detail: &str) -> String {
    serde_json::to_string(&Problem {
        kind: None,
        title: title.into(),
        status,
        detail: detail.into(),
        instance: Uuid::new_v4().to_string(),
        extensions: serde_json::Map::new(),
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xero_date_formats() {
        assert_eq!(ms_date(1_552_404_447_003), "/Date(1552404447003)/");
        assert_eq!(ms_date_offset(1_546_214_400_000), "/Date(1546214400000+0000)/");
        // 2019-12-07T18:46:19.516 plus sub-millisecond ticks 5400
        assert_eq!(ts7(1_575_744_379_516, 5400), "2019-12-07T18:46:19.5165400");
        assert_eq!(ts0(1_451_606_400_000), "2016-01-01T00:00:00");
        assert_eq!(us_datetime(1_575_744_379_516), "12/07/2019 18:46:19");
    }

    #[test]
    fn ms_json_escapes_date_slashes_like_xero() {
        #[derive(Serialize)]
        struct D {
            #[serde(rename = "DateTimeUTC")]
            d: String,
        }
        assert_eq!(ms_json(&D { d: ms_date(5) }), r#"{"DateTimeUTC":"\/Date(5)\/"}"#);
    }

    #[test]
    fn escaping() {
        assert_eq!(xml_escape("O'Brien & <Sons> \"Ltd\""), "O&apos;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;");
        assert_eq!(html_escape("<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    }

    #[test]
    fn problem_body_has_xero_field_order() {
        let p = problem_json("Forbidden", 403, "AuthenticationUnsuccessful");
        assert!(p.starts_with(
            r#"{"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful","Instance":""#
        ));
        assert!(p.ends_with(r#"","Extensions":{}}"#));
    }
}
