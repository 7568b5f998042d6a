//! What Switchboard may open in the system browser: a verdict table of hostile and valid links,
//! and the Xero links it builds from a short code.

use switchboard_core::ErrorKind;
use switchboard_core::browser::link_allowlist::{check_url, xero_dashboard_url, xero_users_url};

/// (link, may it be opened?)
const VERDICTS: &[(&str, bool)] = &[
    // Xero's own pages.
    ("https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&redirecturl=/Dashboard/", true),
    ("https://go.xero.com/Dashboard/", true),
    ("https://go.xero.com", true),
    ("https://go.xero.com/app/!mBdtL/dashboard", true),
    ("https://practicemanager.xero.com/Client/123/Detail", true),
    ("https://practicemanager.xero.com/app/clients", true),
    ("https://reporting.xero.com/!mBdtL/v1/Run/1016", true),
    ("https://go.xero.com/Dashboard/#section", true),
    ("https://go.xero.com?x=1", true),
    // Other schemes.
    ("http://go.xero.com/Dashboard/", false),
    ("javascript:alert(1)", false),
    ("JavaScript:alert(document.cookie)", false),
    ("file:///etc/passwd", false),
    ("data:text/html,<script>alert(1)</script>", false),
    ("ftp://go.xero.com/", false),
    ("HTTPS://go.xero.com/Dashboard/", false),
    ("//go.xero.com/Dashboard/", false),
    ("go.xero.com/Dashboard/", false),
    // Other hosts and look-alikes.
    ("https://evil.example/", false),
    ("https://xero.com/", false),
    ("https://login.xero.com/identity/connect/authorize", false),
    ("https://go.xero.com.evil.example/Dashboard/", false),
    ("https://evil.example/go.xero.com/", false),
    ("https://go-xero.com/", false),
    ("https://go.xero.co/", false),
    ("https://go.xerο.com/", false), // Greek omicron
    ("https://go.xero.com./Dashboard/", false),
    ("https://GO.XERO.COM/Dashboard/", false),
    // User info, ports and encoded tricks.
    ("https://go.xero.com@evil.example/", false),
    ("https://user:pass@go.xero.com/", false),
    ("https://go.xero.com:443/Dashboard/", false),
    ("https://go.xero.com:8443/", false),
    ("https://go%2Exero.com/", false),
    ("https://go.xero.com%2F@evil.example/", false),
    ("https://go.xero.com%40evil.example/", false),
    ("https://go.xero.com\\@evil.example/", false),
    ("https:\\\\go.xero.com\\Dashboard", false),
    ("https://evil.example\\.go.xero.com/", false),
    ("https://127.0.0.1/", false),
    ("https://[::1]/", false),
    // Whitespace and control characters.
    (" https://go.xero.com/", false),
    ("https://go.xero.com/ ", false),
    ("https://go.xero.com/\n", false),
    ("https://go.xero.com/\tDashboard", false),
    ("https://go.xero.com/\u{0}", false),
    ("https://go.xero.com/Dash board/", false),
    ("", false),
];

#[test]
fn the_verdict_table_of_hostile_and_valid_links() {
    assert!(VERDICTS.len() >= 30, "the table has {} cases", VERDICTS.len());
    let mut wrong = Vec::new();
    for (link, allowed) in VERDICTS {
        match check_url(link) {
            Ok(url) if *allowed => {
                assert_eq!(url.scheme(), "https");
            }
            Err(e) if !*allowed => {
                assert_eq!(e.kind(), ErrorKind::InvalidInput, "{link:?}");
                assert!(e.to_string().starts_with("Switchboard did not open that link:"), "{e}");
            }
            verdict => wrong.push(format!("{link:?}: expected allowed={allowed}, got {verdict:?}")),
        }
    }
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}

#[test]
fn a_very_long_link_is_refused() {
    let long = format!("https://go.xero.com/{}", "a".repeat(3000));
    assert!(check_url(&long).is_err());
}

#[test]
fn the_dashboard_link_is_the_short_code_deep_link_with_the_code_percent_encoded() {
    assert_eq!(
        xero_dashboard_url("!mBdtL").unwrap().as_str(),
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&redirecturl=/Dashboard/"
    );
    // Whatever a short code holds, it stays inside the shortcode parameter.
    assert_eq!(
        xero_dashboard_url("!a&redirecturl=//evil.example#").unwrap().as_str(),
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21a%26redirecturl%3D%2F%2Fevil.example%23&redirecturl=/Dashboard/"
    );
    assert_eq!(
        xero_users_url("!mBdtL").unwrap().as_str(),
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&redirecturl=/Settings/Users/"
    );
}

#[test]
fn a_short_code_that_is_empty_or_holds_spaces_or_controls_builds_no_link() {
    for bad in ["", "   ", "!a b", "!a\nb", "!ab\u{7f}", "!ÄÖ", &"x".repeat(40)] {
        let error = xero_dashboard_url(bad).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
}
