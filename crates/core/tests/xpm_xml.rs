//! Reading XPM's XML: every shape the simulator sends, the quirks of XPM's documented examples,
//! and hostile or wrong answers (each a clear error).

use switchboard_core::xpm::xml::{MAX_DOCUMENT_BYTES, XmlError, parse_client, parse_client_list};
use xero_sim::xpm::{error_xml, generate_practice, get_xml, list_xml};

fn practice() -> xero_sim::xpm::Practice {
    let data = xero_sim::generate(5, 40, 1);
    generate_practice(5, &data.orgs, 80, 1_764_000_000_000)
}

#[test]
fn every_simulator_shape_is_read_field_for_field() {
    let p = practice();
    for (method, detailed) in [("List", false), ("List", true), ("Search", false)] {
        let body = list_xml(method, p.clients.iter(), detailed, None);
        let list = parse_client_list(body.as_bytes()).unwrap();
        assert_eq!(list.clients.len(), p.clients.len());
        assert_eq!(list.next_page, None);
        for (got, want) in list.clients.iter().zip(&p.clients) {
            assert_eq!(got.uuid, want.uuid.to_string());
            assert_eq!(got.name, want.name.trim());
            assert_eq!(got.email, want.email);
            assert_eq!(got.tax_number, want.masked_tax_number());
            assert_eq!(got.client_code, want.client_code);
            assert_eq!(
                (got.prospect, got.archived, got.deleted),
                (want.is_prospect, want.is_archived, want.is_deleted)
            );
            assert_eq!(got.web_url.as_deref(), Some(want.web_url().as_str()));
        }
    }
    let paged = list_xml(
        "PagedList",
        p.clients.iter().take(3),
        false,
        Some(("https://x/first".into(), Some("https://x/next?pageToken=abc".into()))),
    );
    assert_eq!(parse_client_list(paged.as_bytes()).unwrap().next_page.as_deref(), Some("https://x/next?pageToken=abc"));
    let last = list_xml("PagedList", p.clients.iter().take(3), false, Some(("https://x/first".into(), None)));
    assert_eq!(parse_client_list(last.as_bytes()).unwrap().next_page, None, "<Next /> ends the paging");

    let one = parse_client(get_xml(&p.clients[7]).as_bytes()).unwrap();
    assert_eq!(one.uuid, p.clients[7].uuid.to_string());
    assert_eq!(one.web_url.as_deref(), Some(p.clients[7].web_url().as_str()));
}

#[test]
fn xpm_quirks_missing_elements_stray_text_comments_and_response_level_web_url() {
    // Written in the style of XPM's documentation: comments, a masked tax number typed after an
    // empty element, elements this version does not know, optional ones left out, no WebUrl in
    // the client but one on the response.
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<Response api-method="Get">
  <Status>OK</Status>
  <WebUrl>https://practicemanager.xero.com/Client/77/Detail</WebUrl>
  <Client>
    <UUID> 3f1c1b5e-8a53-4c39-9b1e-2d8d1c0f0a11 </UUID>
    <Name>Kōwhai &amp; Sons Ltd.</Name>
    <Email />
    <Phone>(02) 1723 5265</Phone>
    <TaxNumber />   ******123  <!-- masked -->
    <IsArchived>yes</IsArchived>
    <SomethingNew><Nested>1</Nested></SomethingNew>
    <Groups><Group><UUID>x</UUID><Name>Family</Name></Group></Groups>
  </Client>
</Response>"#;
    let c = parse_client(body.as_bytes()).unwrap();
    assert_eq!(c.uuid, "3f1c1b5e-8a53-4c39-9b1e-2d8d1c0f0a11");
    assert_eq!(c.name, "Kōwhai & Sons Ltd.");
    assert_eq!(c.email, None, "an empty element is not given");
    assert!(c.archived && !c.deleted && !c.prospect);
    assert_eq!(c.web_url.as_deref(), Some("https://practicemanager.xero.com/Client/77/Detail"));

    let empty = "<Response><Status>OK</Status><Clients /></Response>";
    assert!(parse_client_list(empty.as_bytes()).unwrap().clients.is_empty());
}

#[test]
fn hostile_and_wrong_answers_are_refused_with_a_clear_reason() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Response><Status>OK</Status><Clients><Client><UUID>1</UUID><Name>&lol2;</Name></Client></Clients></Response>"#;
    assert_eq!(parse_client_list(laughs.as_bytes()), Err(XmlError::DocType));
    let external = r#"<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response><Status>OK</Status></Response>"#;
    assert_eq!(parse_client_list(external.as_bytes()), Err(XmlError::DocType));

    let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    assert_eq!(parse_client_list(html.as_bytes()), Err(XmlError::HtmlPage));
    let portal = "<html><body><form action=/login>Sign in to continue</form></body></html>";
    assert_eq!(parse_client_list(portal.as_bytes()), Err(XmlError::HtmlPage));

    let wrong = "<Invoices><Invoice/></Invoices>";
    assert_eq!(parse_client_list(wrong.as_bytes()), Err(XmlError::WrongRoot("Invoices".into())));
    assert_eq!(parse_client_list(b"   "), Err(XmlError::Empty));
    assert!(matches!(parse_client_list(br#"{"Status":"OK"}"#), Err(XmlError::Malformed(_))));
    assert!(matches!(
        parse_client_list(b"<Response><Status>OK</Status><Clients><Client><UUID>1"),
        Err(XmlError::Malformed(_))
    ));
    assert_eq!(
        parse_client_list(error_xml("Invalid tenant").as_bytes()),
        Err(XmlError::Status("Invalid tenant".into()))
    );
    let nameless =
        "<Response><Status>OK</Status><Clients><Client><UUID>1</UUID><Name> </Name></Client></Clients></Response>";
    assert_eq!(parse_client_list(nameless.as_bytes()), Err(XmlError::MissingField("a Name")));

    let huge = vec![b' '; MAX_DOCUMENT_BYTES + 1];
    assert!(matches!(parse_client_list(&huge), Err(XmlError::TooLarge(_))));
    // A large but legitimate answer is fine: 20,000 clients.
    let data = xero_sim::generate(9, 100, 1);
    let big = generate_practice(9, &data.orgs, 20_000, 0);
    let body = list_xml("List", big.clients.iter(), false, None);
    assert_eq!(parse_client_list(body.as_bytes()).unwrap().clients.len(), 20_000);

    // Every refusal reads as a sentence.
    for e in [XmlError::HtmlPage, XmlError::DocType, XmlError::WrongRoot("x".into())] {
        let text = e.to_string();
        assert!(text.len() > 20 && !text.contains("Error("), "{text}");
    }
}
