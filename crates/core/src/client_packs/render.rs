//! A client pack addressed to one console user, as the email's HTML and plain-text parts. The
//! templates (`crates/core/templates/client_pack.*`) escape every value given to them in the HTML
//! part; names and figures come from Xero, XPM and staff, and are shown as text, never as markup.

use askama::Template;
use chrono::{DateTime, Local};

use super::contents::{Amount, ClientPack};
use crate::error::{Error, Result};
use crate::settings::console::ConsoleUser;

/// The email of one pack to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPack {
    pub subject: String,
    pub html: String,
    pub text: String,
}

struct FigureLine {
    label: &'static str,
    value: String,
    as_of: String,
}

struct ItemLine {
    title: String,
    detail: String,
    link: Option<String>,
}

/// What both templates show, already worded.
struct PackView {
    subject: String,
    practice_name: String,
    client_name: String,
    recipient_name: String,
    made_on: String,
    figures: Option<Vec<FigureLine>>,
    items: Option<Vec<ItemLine>>,
}

// One view, two templates: the HTML part and the plain-text part say the same.
#[derive(Template)]
#[template(path = "client_pack.html")]
struct HtmlPart<'a> {
    view: &'a PackView,
}

#[derive(Template)]
#[template(path = "client_pack.txt")]
struct TextPart<'a> {
    view: &'a PackView,
}

/// The pack as `user` gets it: a viewer gets the key figures only, never what to act on.
pub fn render_pack(pack: &ClientPack, user: &ConsoleUser) -> Result<RenderedPack> {
    let view = view_of(pack, user);
    let html = HtmlPart { view: &view }.render().map_err(template_error)?;
    let text = TextPart { view: &view }.render().map_err(template_error)?;
    Ok(RenderedPack { subject: view.subject, html, text })
}

fn template_error(error: askama::Error) -> Error {
    Error::InvalidInput(format!("The client pack could not be written: {error}"))
}

fn view_of(pack: &ClientPack, user: &ConsoleUser) -> PackView {
    let client_name = one_line(&pack.client_name);
    let practice_name = one_line(&pack.practice_name);
    let made_on = pack.made_on.format("%-d %B %Y").to_string();
    let figures = pack.key_figures.as_ref().map(|figures| {
        figures
            .iter()
            .map(|f| FigureLine {
                label: f.label,
                value: f.amount.as_ref().map_or_else(|| "Not available yet".to_owned(), money),
                as_of: f.amount.as_ref().map_or_else(
                    || "Your accountant has not fetched this report yet".to_owned(),
                    |a| format!("As of {}", local_time(a)),
                ),
            })
            .collect()
    });
    let items = pack.action_items.as_ref().filter(|_| user.role.gets_action_items()).map(|items| {
        items
            .iter()
            .map(|i| ItemLine {
                title: i.title.clone(),
                detail: one_line(&i.detail),
                link: i.link.as_ref().map(|l| l.to_string()),
            })
            .collect()
    });
    PackView {
        subject: format!("{client_name}: your pack from {practice_name}, {made_on}"),
        practice_name,
        client_name,
        recipient_name: one_line(&user.name),
        made_on,
        figures,
        items,
    }
}

/// Remote names may hold line breaks and other control characters; in a subject or a line of
/// text they would start a new line, so each becomes a space.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_owned()
}

/// An amount in its currency, with thousands separated: `AUD 12,345.67`, `AUD -80.00`.
pub fn money(amount: &Amount) -> String {
    let sign = if amount.cents < 0 { "-" } else { "" };
    let cents = amount.cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let number = format!("{sign}{grouped}.{:02}", cents % 100);
    match amount.currency.as_deref().map(one_line) {
        Some(currency) if !currency.is_empty() => format!("{currency} {number}"),
        _ => number,
    }
}

fn local_time(amount: &Amount) -> String {
    DateTime::from_timestamp_millis(amount.fetched_at.0)
        .map(|t| t.with_timezone(&Local).format("%-d %b %Y, %H:%M").to_string())
        .unwrap_or_else(|| "an unknown time".to_owned())
}
