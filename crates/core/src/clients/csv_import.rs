//! Importing the practice's own client list from a CSV file.
//!
//! The file comes from a person (often saved by Excel), so it is untrusted: its size and row count
//! are capped, every line is checked and reported with its own error, and nothing is written
//! unless every line is fine — then all of it is written in one transaction.
//!
//! Accepted: UTF-8 with or without a byte-order mark; `,` or `;` between fields (whichever the
//! header line uses); quoted fields holding separators, quotes and line breaks; CRLF or LF.
//! Columns are found by their header, in any case and any order; columns it does not know are
//! ignored. A cell that looks like a spreadsheet formula (`=SUM(..)`, `+`, `-`, `@`) is a name
//! like any other and is kept exactly as written.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use super::{clean_remote_name, duplicate_warning, name_counts, name_key, software};
use crate::cache::{Cache, NewFile};
use crate::error::{Error, Result};
use crate::model::AccountingSoftware;
use crate::xpm::XpmClientRecord;

/// The largest file read (bytes). A practice's list of clients is far below this.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most client lines one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// How many lines of each list a preview carries (the counts cover them all).
pub const PREVIEW_ROWS: usize = 20;
/// How many lines with errors a preview lists.
pub const MAX_PROBLEMS: usize = 500;

const NAME_HEADERS: &[&str] = &["name", "client name", "client"];
const SOFTWARE_HEADERS: &[&str] = &["software", "accounting software"];
const CODE_HEADERS: &[&str] = &["xpm client code", "xpm code", "client code", "code"];
const EMAIL_HEADERS: &[&str] = &["email", "xpm email", "xpm client email"];

/// One line of the file as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CsvLine {
    /// The line of the file where the record starts (the header is line 1).
    #[ts(type = "number")]
    pub line: u64,
    pub name: String,
    pub software: Option<AccountingSoftware>,
    /// The name of the XPM client the line links to.
    pub xpm_client: Option<String>,
    /// Why the line cannot be imported.
    pub error: Option<String>,
    /// Something a person may want to check; the line is still imported.
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CsvImportPreview {
    /// `","` or `";"`, as found on the header line.
    pub separator: String,
    /// Client lines read (the header and empty lines not counted).
    pub lines: u32,
    pub ready: u32,
    pub with_errors: u32,
    pub with_warnings: u32,
    /// The first [`PREVIEW_ROWS`] lines, whatever their state.
    pub first_rows: Vec<CsvLine>,
    /// Every line with an error (up to [`MAX_PROBLEMS`]).
    pub problems: Vec<CsvLine>,
    /// Header names that were not used.
    pub ignored_columns: Vec<String>,
}

/// The files an import would add (only when no line has an error), and the preview.
pub struct CsvImportPlan {
    pub files: Vec<NewFile>,
    pub preview: CsvImportPreview,
}

/// Reads and checks the file against the cache. An error here is about the whole file (too big,
/// no header, not UTF-8 at all); a bad line is reported in the preview instead.
pub fn plan(cache: &Cache, bytes: &[u8]) -> Result<CsvImportPlan> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::InvalidInput(format!(
            "The file is {:.1} MB; Switchboard imports client lists of up to {} MB. Split it into smaller files.",
            bytes.len() as f64 / 1_048_576.0,
            MAX_BYTES / 1_048_576
        )));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::InvalidInput(
            "The file is saved as UTF-16 text. Save it as \"CSV UTF-8\" and import it again.".to_owned(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let separator = detect_separator(bytes);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).has_headers(false).flexible(true).from_reader(bytes);
    let mut records = reader.byte_records();

    let header = loop {
        match records.next() {
            None => {
                return Err(Error::InvalidInput(
                    "The file is empty: it needs a header line such as \"name,software\" and one line per client."
                        .to_owned(),
                ));
            }
            Some(record) => {
                let record = record.map_err(unreadable)?;
                if !is_blank(&record) {
                    break record;
                }
            }
        }
    };
    let columns = Columns::find(&header)?;

    let xpm = XpmIndex::new(cache.xpm_records()?);
    let links = cache.file_link_rows()?;
    let in_list = name_counts(links.iter().map(|f| f.display_name.clone()));
    let linked: HashMap<&str, &str> =
        links.iter().filter_map(|f| f.xpm_client_uuid.as_deref().map(|u| (u, f.display_name.as_str()))).collect();

    let mut preview = CsvImportPreview {
        separator: char::from(separator).to_string(),
        lines: 0,
        ready: 0,
        with_errors: 0,
        with_warnings: 0,
        first_rows: Vec::new(),
        problems: Vec::new(),
        ignored_columns: columns.ignored.clone(),
    };
    let mut files = Vec::new();
    // Earlier lines, for "same line as line N": by (name, software, XPM client), by XPM client,
    // and by name alone (only a warning: two clients may share a name).
    let mut seen_lines: HashMap<(String, String, Option<String>), u64> = HashMap::new();
    let mut seen_xpm: HashMap<String, u64> = HashMap::new();
    let mut seen_names: HashMap<String, u64> = HashMap::new();

    // The line a record starts on, counted from the bytes themselves (a quoted cell may hold
    // line breaks; CRLF and LF count once each).
    let (mut counted_to, mut line_at) = (0usize, 1u64);
    for record in records {
        let record = record.map_err(unreadable)?;
        if is_blank(&record) {
            continue;
        }
        // After a CRLF the reader's position is the LF: the record itself starts past it.
        let mut start = record.position().map_or(counted_to, |p| p.byte() as usize).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            line_at += bytes[counted_to..start].iter().filter(|&&b| b == b'\n').count() as u64;
            counted_to = start;
        }
        preview.lines += 1;
        if preview.lines as usize > MAX_ROWS {
            return Err(Error::InvalidInput(format!(
                "The file has more than {MAX_ROWS} client lines. Split it into smaller files and import each."
            )));
        }
        let line_no = line_at;
        let cell = |index: Option<usize>| index.and_then(|i| record.get(i)).unwrap_or(b"");
        let mut line = CsvLine {
            line: line_no,
            name: String::from_utf8_lossy(cell(Some(columns.name))).trim().to_owned(),
            software: None,
            xpm_client: None,
            error: None,
            warning: None,
        };
        let checked = check_line(&record, &columns, &xpm);
        match checked {
            Err(message) => line.error = Some(message),
            Ok(file) => {
                line.name = file.name.clone();
                line.software = Some(file.software.clone());
                line.xpm_client = file.xpm_client_uuid.as_ref().map(|u| xpm.name_of(u).to_owned());
                let key = (name_key(&file.name), file.software.code().to_owned(), file.xpm_client_uuid.clone());
                if let Some(first) = seen_lines.get(&key) {
                    line.error = Some(format!("Duplicate of line {first}."));
                } else if let Some(first) = file.xpm_client_uuid.as_ref().and_then(|u| seen_xpm.get(u)) {
                    line.error = Some(format!("Line {first} already links to this XPM client."));
                } else {
                    seen_lines.insert(key, line_no);
                    if let Some(uuid) = &file.xpm_client_uuid {
                        seen_xpm.insert(uuid.clone(), line_no);
                    }
                    let mut warnings = Vec::new();
                    if let Some(count) = in_list.get(&name_key(&file.name)) {
                        warnings.push(duplicate_warning(&file.name, *count));
                    }
                    if let Some(first) = seen_names.get(&name_key(&file.name)) {
                        warnings.push(format!("Line {first} has the same name."));
                    }
                    if let Some(other) = file.xpm_client_uuid.as_deref().and_then(|u| linked.get(u)) {
                        warnings.push(format!("This XPM client is already linked to \"{other}\"."));
                    }
                    seen_names.entry(name_key(&file.name)).or_insert(line_no);
                    if !warnings.is_empty() {
                        line.warning = Some(warnings.join(" "));
                        preview.with_warnings += 1;
                    }
                    files.push(file);
                }
            }
        }
        if line.error.is_some() {
            preview.with_errors += 1;
            if preview.problems.len() < MAX_PROBLEMS {
                preview.problems.push(line.clone());
            }
        }
        if preview.first_rows.len() < PREVIEW_ROWS {
            preview.first_rows.push(line);
        }
    }
    if preview.lines == 0 {
        return Err(Error::InvalidInput("The file has a header line but no client lines.".to_owned()));
    }
    preview.ready = files.len() as u32;
    Ok(CsvImportPlan { files, preview })
}

/// Imports the file if every line is fine, in one transaction; otherwise writes nothing.
pub fn import(cache: &mut Cache, bytes: &[u8]) -> Result<super::xpm_import::ImportOutcome> {
    let plan = plan(cache, bytes)?;
    if plan.preview.with_errors > 0 {
        return Err(Error::InvalidInput(format!(
            "{} of the file's {} lines have errors, so nothing was imported. Correct them and import the file again.",
            plan.preview.with_errors, plan.preview.lines
        )));
    }
    let ids = cache.insert_new_files(&plan.files, "import_csv")?;
    Ok(super::xpm_import::ImportOutcome { added: ids.len() as u32 })
}

/// The header line's separator: `;` when it has more of them than commas (Excel in much of
/// Europe), `,` otherwise. Quoted text on the header line is not counted.
fn detect_separator(bytes: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn is_blank(record: &csv::ByteRecord) -> bool {
    record.iter().all(|field| field.iter().all(u8::is_ascii_whitespace))
}

fn unreadable(e: csv::Error) -> Error {
    let line = e.position().map(|p| format!(" at line {}", p.line())).unwrap_or_default();
    Error::InvalidInput(format!("The file could not be read as CSV{line} ({e}). Save it again as CSV and retry."))
}

/// Where each known column is.
struct Columns {
    name: usize,
    software: usize,
    code: Option<usize>,
    email: Option<usize>,
    ignored: Vec<String>,
}

impl Columns {
    fn find(header: &csv::ByteRecord) -> Result<Columns> {
        let mut found: [Option<usize>; 4] = [None; 4];
        let mut ignored = Vec::new();
        for (index, raw) in header.iter().enumerate() {
            let Ok(text) = std::str::from_utf8(raw) else {
                return Err(Error::InvalidInput(
                    "The header line is not UTF-8 text. Save the file as \"CSV UTF-8\" and import it again.".to_owned(),
                ));
            };
            let key = text.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
            let slot = [NAME_HEADERS, SOFTWARE_HEADERS, CODE_HEADERS, EMAIL_HEADERS]
                .iter()
                .position(|names| names.contains(&key.as_str()));
            match slot {
                Some(slot) if found[slot].is_none() => found[slot] = Some(index),
                _ if text.trim().is_empty() => {}
                _ => ignored.push(text.trim().to_owned()),
            }
        }
        let (Some(name), Some(software)) = (found[0], found[1]) else {
            return Err(Error::InvalidInput(
                "The first line must name the columns, with at least \"name\" and \"software\" (and optionally \"xpm client code\" or \"email\").".to_owned(),
            ));
        };
        Ok(Columns { name, software, code: found[2], email: found[3], ignored })
    }
}

/// One line's file, or the sentence that says what is wrong with it.
fn check_line(record: &csv::ByteRecord, columns: &Columns, xpm: &XpmIndex) -> std::result::Result<NewFile, String> {
    if record.iter().any(|field| std::str::from_utf8(field).is_err()) {
        return Err("This line is not UTF-8 text (bad encoding). Save the file as \"CSV UTF-8\" and import it again."
            .to_owned());
    }
    let text = |index: Option<usize>| {
        index.and_then(|i| record.get(i)).map(|f| std::str::from_utf8(f).unwrap_or("")).unwrap_or("")
    };
    let raw_name = text(Some(columns.name));
    if raw_name.trim().is_empty() {
        return Err("Missing name.".to_owned());
    }
    let name = clean_remote_name(raw_name).map_err(|e| e.to_string())?;
    let software = software::from_cell(text(Some(columns.software))).map_err(|e| e.to_string())?;
    let code = text(columns.code).trim();
    let email = text(columns.email).trim();
    let xpm_client_uuid = if !code.is_empty() {
        Some(xpm.by_code(code).ok_or_else(|| {
            format!("Unknown XPM client code \"{code}\": no cached XPM client has it. Refresh XPM or correct the code.")
        })?)
    } else if !email.is_empty() {
        Some(xpm.by_email(email)?)
    } else {
        None
    };
    Ok(NewFile { name, software, xpm_client_uuid: xpm_client_uuid.map(str::to_owned) })
}

/// The cached XPM clients by code and by email (both compared without case).
struct XpmIndex {
    records: Vec<XpmClientRecord>,
    codes: HashMap<String, usize>,
    emails: HashMap<String, Vec<usize>>,
    uuids: HashMap<String, usize>,
}

impl XpmIndex {
    fn new(records: Vec<XpmClientRecord>) -> XpmIndex {
        let mut index =
            XpmIndex { records: Vec::new(), codes: HashMap::new(), emails: HashMap::new(), uuids: HashMap::new() };
        for (i, r) in records.iter().enumerate() {
            if let Some(code) = r.client_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                index.codes.entry(code.to_lowercase()).or_insert(i);
            }
            if let Some(email) = r.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                index.emails.entry(email.to_lowercase()).or_default().push(i);
            }
            index.uuids.insert(r.uuid.clone(), i);
        }
        index.records = records;
        index
    }

    fn by_code(&self, code: &str) -> Option<&str> {
        self.codes.get(&code.to_lowercase()).map(|&i| self.records[i].uuid.as_str())
    }

    fn by_email(&self, email: &str) -> std::result::Result<&str, String> {
        match self.emails.get(&email.to_lowercase()).map(Vec::as_slice) {
            Some([only]) => Ok(self.records[*only].uuid.as_str()),
            Some(many) if many.len() > 1 => {
                Err(format!("{} XPM clients have the email \"{email}\"; give the XPM client code instead.", many.len()))
            }
            _ => Err(format!("Unknown XPM client email \"{email}\": no cached XPM client has it.")),
        }
    }

    fn name_of(&self, uuid: &str) -> &str {
        self.uuids.get(uuid).map_or("", |&i| self.records[i].name.as_str())
    }
}
