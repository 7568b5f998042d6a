//! A cached report as CSV (`switchboard report <client> <report> --csv`, or saved with `--save`
//! and from the Reports page): one line per row, the section title first, then the cells as Xero
//! wrote them. Cells a spreadsheet would run as a formula are prefixed with `'` (as the client
//! list export does).

use std::path::{Path, PathBuf};

use super::model::{Report, ReportKind};
use crate::error::{Error, Result};
use crate::export_files::{file_stem_from, unused_csv_path, write_csv_file};

/// Saves a client's cached report in `dir` as `<client> - <report> <date time>.csv`, never over an
/// earlier file, and says where. The client's name comes from Xero or a person, so it is made
/// into a file name every system accepts first.
pub fn save_report_csv(client_name: &str, kind: ReportKind, report: &Report, dir: &Path) -> Result<PathBuf> {
    let stem = format!("{} - {}", file_stem_from(client_name, "Client"), kind.title());
    let path = unused_csv_path(dir, &stem)?;
    write_csv_file(&path, |out| report_csv(report, out).map_err(|source| Error::Write { path: path.clone(), source }))?;
    Ok(path)
}

pub fn report_csv(report: &Report, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["Section".to_owned()];
    header.extend(report.columns.iter().map(|c| safe(c)));
    w.write_record(&header)?;
    for (section, row) in report.lines() {
        let mut record = vec![safe(section)];
        record.extend(row.cells().iter().map(|c| safe(&c.text)));
        w.write_record(&record)?;
    }
    w.flush()
}

fn safe(text: &str) -> String {
    // Amounts such as -12.50 are numbers, not formulas.
    let is_number = super::parse::parse_amount(text).is_some() && !text.trim_start().starts_with('(');
    match text.chars().next() {
        Some('=' | '+' | '@' | '\t' | '\r') => format!("'{text}"),
        Some('-') if !is_number => format!("'{text}"),
        _ => text.to_owned(),
    }
}
