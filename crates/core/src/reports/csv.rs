//! A cached report as CSV (`switchboard report <client> <report> --csv`): one line per row, the
//! section title first, then the cells as Xero wrote them. Cells a spreadsheet would run as a
//! formula are prefixed with `'` (as the client list export does).

use super::model::Report;

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
