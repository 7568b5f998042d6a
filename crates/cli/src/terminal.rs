//! Text from Xero, XPM or a person (client names, reasons, report titles) on a terminal. Control
//! characters could move the cursor or clear the screen, and bidirectional overrides make a name
//! read as another (`\u{202E}gnp.exe` shows as "exe.png"), so the table and summary output shows
//! each such character as a visible escape instead. `--json` and `--csv` stay exact.

use std::fmt::Write;

/// Bidirectional formatting characters: marks, embeddings, overrides and isolates.
const BIDI: &[char] = &[
    '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}',
    '\u{2067}', '\u{2068}', '\u{2069}',
];

/// `text` with every control and bidirectional formatting character written as `\u{…}`.
pub fn shown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || BIDI.contains(&c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn controls_and_direction_overrides_are_shown_not_obeyed() {
        assert_eq!(shown("Bell\u{7}\u{1b}[2JRinger"), "Bell\\u{7}\\u{1b}[2JRinger");
        assert_eq!(shown("\u{202E}gnp.exe"), "\\u{202e}gnp.exe");
        assert_eq!(shown("a\u{2066}b\u{2069}\nc"), "a\\u{2066}b\\u{2069}\\u{a}c");
        // Names in any script, and emoji joined with zero-width joiners, are left as they are.
        for plain in ["Alpha Ōtautahi", "شركة المحاسبة", "👩\u{200D}💻 Ltd"] {
            assert_eq!(shown(plain), plain);
        }
    }
}
