//! A cached report as CSV (`switchboard report <client> <report> --csv`, or saved with `--save`
//! and from the Reports page): one line per row, the section title first, then the cells as Xero
//! wrote them, guarded against formulas like every export ([`crate::exports::csv_file`]).

use std::path::{Path, PathBuf};

use super::model::{Report, ReportKind};
use crate::error::{Error, Result};
use crate::exports::csv_file::{figure_cell, write_csv_file};
use crate::exports::{file_stem_from, unused_csv_path};

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
    header.extend(report.columns.iter().map(|c| figure_cell(c)));
    w.write_record(&header)?;
    for (section, row) in report.lines() {
        let mut record = vec![figure_cell(section)];
        record.extend(row.cells().iter().map(|c| figure_cell(&c.text)));
        w.write_record(&record)?;
    }
    w.flush()
}
