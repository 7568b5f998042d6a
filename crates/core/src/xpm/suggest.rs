//! Suggested links from client files to XPM clients: by name once the differences people type
//! (legal suffixes, punctuation, case, `&`/`and`, spacing, "as trustee for") are set aside, then
//! by tax number and email where both sides have them. Each suggestion carries a score (0–100)
//! and the reason it matched. Suggestions are only ever *shown*: a person confirms each link.
//!
//! A name that cannot say which is which is not suggested: two XPM clients matching one file
//! equally, or two files going by the name of one XPM client — unless the tax numbers (XPM shows
//! the last three digits) tell them apart. Names in another word order ("Smith & Jones" /
//! "Jones & Smith") are different partnerships as often as not, so they are not suggested.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;

use super::XpmClientRecord;
use crate::model::FileId;

/// Suggestions scoring below this are not shown.
pub const MIN_SCORE: u8 = 50;
/// At most this many suggestions per file.
pub const MAX_PER_FILE: usize = 5;

/// What is known about a file for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    pub id: FileId,
    /// The name staff see first, then the name the accounting software gives it.
    pub names: Vec<String>,
    pub tax_number: Option<String>,
    pub email: Option<String>,
    /// The XPM client the file is linked to now.
    pub linked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct XpmSuggestion {
    pub file_id: FileId,
    pub file_name: String,
    pub xpm_uuid: String,
    pub xpm_name: String,
    /// 0–100; the first suggestion of a file has the highest.
    pub score: u8,
    /// Why it matched, for the person deciding.
    pub reason: String,
}

const LEGAL_WORDS: &[&str] = &[
    "pty",
    "ltd",
    "limited",
    "proprietary",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "llp",
    "plc",
    "lp",
];

/// The name with the differences people type set aside: lower case, `&`/`+` as "and", no
/// punctuation, single spaces, no leading "the", no trailing legal suffixes, and only the trust's
/// name from "X Pty Ltd as trustee for The Y Trust".
pub fn normalise(name: &str) -> String {
    let lower = name.to_lowercase();
    let lower = match lower.find(" as trustee for ").or_else(|| lower.find(" atf ")) {
        Some(i) => lower[i..]
            .split_once(" for ")
            .or_else(|| lower[i..].split_once(" atf "))
            .map(|(_, t)| t.to_owned())
            .unwrap_or(lower),
        None => lower,
    };
    let mut cleaned = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            '&' | '+' => cleaned.push_str(" and "),
            '\'' | '’' | '`' => {}
            c if c.is_alphanumeric() => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    while words.len() > 1 && LEGAL_WORDS.contains(words.last().expect("non-empty")) {
        words.pop();
    }
    words.join(" ")
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Same, different, or cannot tell (XPM masks all but the last three digits).
fn tax_agreement(file: &str, xpm: &str) -> Option<bool> {
    let (f, x) = (digits(file), digits(xpm));
    if f.len() < 3 || x.len() < 3 {
        return None;
    }
    if xpm.contains('*') { Some(f.ends_with(&x[x.len() - 3..])) } else { Some(f == x) }
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().map(str::to_lowercase).eq(b.split_whitespace().map(str::to_lowercase))
}

struct Index<'a> {
    clients: &'a [XpmClientRecord],
    by_name: HashMap<String, Vec<usize>>,
    by_tax: HashMap<String, Vec<usize>>,
    by_email: HashMap<String, Vec<usize>>,
}

impl<'a> Index<'a> {
    /// Deleted clients are never suggested.
    fn new(clients: &'a [XpmClientRecord]) -> Self {
        let mut index = Index { clients, by_name: HashMap::new(), by_tax: HashMap::new(), by_email: HashMap::new() };
        for (i, c) in clients.iter().enumerate().filter(|(_, c)| !c.deleted) {
            let n = normalise(&c.name);
            if n.is_empty() {
                continue;
            }
            index.by_name.entry(n).or_default().push(i);
            if let Some(t) = c.tax_number.as_deref().filter(|t| !t.contains('*')).map(digits).filter(|d| d.len() >= 8) {
                index.by_tax.entry(t).or_default().push(i);
            }
            if let Some(e) = c.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| e.contains('@')) {
                index.by_email.entry(e).or_default().push(i);
            }
        }
        index
    }
}

/// Suggestions for each file (with `include_linked`, also for files that have a link, e.g. for
/// the pop-up of a file being changed), best first within a file.
pub fn suggest(files: &[FileFacts], clients: &[XpmClientRecord], include_linked: bool) -> Vec<XpmSuggestion> {
    let index = Index::new(clients);
    let linked_to: HashMap<&str, &FileFacts> =
        files.iter().filter_map(|f| f.linked.as_deref().map(|u| (u, f))).collect();
    // How many files go by each (normalised) name: a name two files share cannot say which of
    // them an XPM client of that name belongs to.
    let mut files_named: HashMap<String, usize> = HashMap::new();
    for f in files {
        let names: HashSet<String> = f.names.iter().map(|n| normalise(n)).filter(|n| !n.is_empty()).collect();
        let mut starts = HashSet::new();
        for n in &names {
            let words: Vec<&str> = n.split(' ').collect();
            starts.extend((2..words.len()).map(|len| words[..len].join(" ")));
        }
        // A name counts once per file, whether whole or as the start of the file's name.
        for n in names.into_iter().chain(starts) {
            *files_named.entry(n).or_default() += 1;
        }
    }
    let ctx = Context { index: &index, linked_to: &linked_to, files_named: &files_named };
    files.iter().filter(|f| include_linked || f.linked.is_none()).flat_map(|f| suggest_one(f, &ctx)).collect()
}

struct Context<'a> {
    index: &'a Index<'a>,
    linked_to: &'a HashMap<&'a str, &'a FileFacts>,
    files_named: &'a HashMap<String, usize>,
}

/// Enough to push an ambiguous match below [`MIN_SCORE`]: shown in search, never suggested.
const AMBIGUOUS: i32 = 55;

fn suggest_one(file: &FileFacts, ctx: &Context<'_>) -> Vec<XpmSuggestion> {
    let (index, linked_to) = (ctx.index, ctx.linked_to);
    // candidate → (score, reason)
    let mut found: HashMap<usize, (i32, String)> = HashMap::new();
    let mut offer = |i: usize, score: i32, reason: &str| {
        let entry = found.entry(i).or_insert((0, String::new()));
        if score > entry.0 {
            *entry = (score, reason.to_owned());
        }
    };
    let names: Vec<&str> = file.names.iter().map(String::as_str).filter(|n| !n.trim().is_empty()).collect();
    for name in &names {
        let n = normalise(name);
        if n.is_empty() {
            continue;
        }
        for &i in index.by_name.get(&n).into_iter().flatten() {
            if same_text(name, &index.clients[i].name) {
                offer(i, 100, "Same name");
            } else {
                offer(i, 95, "Same name once legal suffixes, punctuation, case and & / and are set aside");
            }
        }
        // A sole trader's XPM client is often just the owner's name: "Olivia Smith" for the
        // file "Olivia Smith Bakery". Only whole leading words, at least two of them.
        let words: Vec<&str> = n.split(' ').collect();
        for len in (2..words.len()).rev() {
            for &i in index.by_name.get(&words[..len].join(" ")).into_iter().flatten() {
                offer(i, 65, "The XPM name is the start of the file's name");
            }
        }
    }
    if let Some(t) = file.tax_number.as_deref().map(digits).filter(|d| d.len() >= 8) {
        for &i in index.by_tax.get(&t).into_iter().flatten() {
            offer(i, 90, "Same tax number");
        }
    }
    if let Some(e) = file.email.as_deref().map(|e| e.trim().to_lowercase()) {
        for &i in index.by_email.get(&e).into_iter().flatten() {
            offer(i, 85, "Same email address");
        }
    }

    // (candidate, score, reason, tax numbers agree)
    let mut scored: Vec<(usize, i32, String, bool)> = found
        .into_iter()
        .map(|(i, (mut score, mut reason))| {
            let c = &index.clients[i];
            let mut agrees = false;
            if let (Some(f), Some(x)) = (file.tax_number.as_deref(), c.tax_number.as_deref()) {
                match tax_agreement(f, x) {
                    Some(true) => {
                        agrees = true;
                        if reason != "Same tax number" {
                            score += 4;
                            reason.push_str("; the tax numbers agree");
                        }
                    }
                    Some(false) => {
                        score -= 45;
                        reason.push_str("; but the tax numbers differ");
                    }
                    _ => {}
                }
            }
            if let (Some(f), Some(x)) = (file.email.as_deref(), c.email.as_deref())
                && f.trim().eq_ignore_ascii_case(x.trim())
                && reason != "Same email address"
            {
                score += 3;
                reason.push_str("; same email address");
            }
            if c.archived {
                score -= 15;
                reason.push_str(" (archived in XPM)");
            }
            if c.prospect {
                score -= 10;
                reason.push_str(" (a prospect in XPM)");
            }
            if let Some(other) = linked_to.get(c.uuid.as_str()).filter(|o| o.id != file.id) {
                score -= 20;
                let name = other.names.first().map(String::as_str).unwrap_or("another file");
                reason.push_str(&format!("; already linked to \"{}\"", crate::xero::printable(name, 80)));
            }
            let sharing = ctx.files_named.get(&normalise(&c.name)).copied().unwrap_or(0);
            if sharing > 1 && !agrees {
                score -= AMBIGUOUS;
                reason.push_str(&format!("; {sharing} client files have this name"));
            }
            (i, score.min(100), reason, agrees)
        })
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| index.clients[a.0].name.cmp(&index.clients[b.0].name)));
    // Different clients that match equally well (and no tax number tells them apart): say so,
    // and suggest none of them.
    if scored.len() > 1 && scored[0].1 == scored[1].1 {
        let top = scored[0].1;
        let tied = scored.iter().filter(|s| s.1 == top).count();
        for s in scored.iter_mut().filter(|s| s.1 == top && !s.3) {
            s.1 -= AMBIGUOUS;
            s.2.push_str(&format!("; {tied} XPM clients match equally well"));
        }
        scored.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| index.clients[a.0].name.cmp(&index.clients[b.0].name)));
    }
    let file_name = names.first().copied().unwrap_or_default().to_owned();
    scored
        .into_iter()
        .filter(|s| s.1 >= i32::from(MIN_SCORE))
        .take(MAX_PER_FILE)
        .map(|(i, score, reason, _)| XpmSuggestion {
            file_id: file.id,
            file_name: file_name.clone(),
            xpm_uuid: index.clients[i].uuid.clone(),
            xpm_name: index.clients[i].name.clone(),
            score: score.clamp(0, 100) as u8,
            reason,
        })
        .collect()
}

/// The files of a cache as [`FileFacts`]: names, tax number (from the last sync) and current
/// link. (Xero's Organisation has no email address to match on.)
pub fn facts_of(rows: &[crate::cache::FileLinkRow]) -> Vec<FileFacts> {
    rows.iter()
        .map(|r| {
            let mut names = vec![r.display_name.clone()];
            if let Some(remote) = r.remote_name.as_ref().filter(|n| **n != r.display_name) {
                names.push(remote.clone());
            }
            FileFacts {
                id: r.id,
                names,
                tax_number: r.tax_number.clone(),
                email: None,
                linked: r.xpm_client_uuid.clone(),
            }
        })
        .collect()
}

/// Keeps only the first suggestion of each file (for bulk review).
pub fn first_per_file(suggestions: Vec<XpmSuggestion>) -> Vec<XpmSuggestion> {
    let mut seen = HashSet::new();
    suggestions.into_iter().filter(|s| seen.insert(s.file_id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_sets_aside_what_people_type_differently() {
        for (a, b) in [
            ("Smith & Jones Pty Ltd", "SMITH AND JONES"),
            ("Blue Plumbing Pty. Ltd.", "blue  plumbing"),
            ("Kauri Joinery Limited", "Kauri Joinery Ltd."),
            ("O'Brien Motors, Inc.", "OBrien Motors"),
            ("Patel Pty Ltd as trustee for The Patel Family Trust", "Patel Family Trust"),
            ("The Ngata Family Trust", "Ngata Family Trust"),
        ] {
            assert_eq!(normalise(a), normalise(b), "{a} / {b}");
        }
        assert_ne!(normalise("Blue Plumbing"), normalise("Blue Roofing"));
        assert_eq!(normalise("Ltd"), "ltd", "a name is never emptied");
    }
}
