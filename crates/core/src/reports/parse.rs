//! Reading a Reports answer (`{"Status":"OK","Reports":[{"ReportID",…,"Rows":[…]}]}`) into
//! [`Report`]. The body is untrusted: anything that is not a report gives a sentence saying what
//! was wrong (and the caller keeps its cached copy); text is kept as text, bounded in size.
//!
//! Amounts: Xero writes `1234.50` and `-1234.50`; other exports and older answers use
//! `1,234.50`, `(1,234.50)` for negatives, or a lone `-` for nothing. Each becomes cents (or no
//! amount), rounded half away from zero past two decimals.

use serde_json::Value;

use super::model::{Cell, Report, ReportRow};
use crate::model::UnixMillis;

/// A report bigger than this is not what Xero sends for one organisation's summary reports.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Sections nest two or three deep at Xero; more is a hostile or broken body.
const MAX_DEPTH: usize = 8;
const MAX_ROWS: usize = 50_000;
const MAX_CELLS: usize = 64;
const MAX_TEXT: usize = 300;

/// Why an answer could not be read as a report (a sentence for a person).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

pub(super) fn bad(what: impl Into<String>) -> ParseError {
    ParseError(what.into())
}

/// Reads an untrusted Accounting API answer as JSON: no larger than `max_bytes`, complete, and
/// not an error status. `what` names what the answer should be ("a report").
pub(super) fn read_answer(body: &[u8], max_bytes: usize, what: &str) -> Result<Value, ParseError> {
    if body.len() > max_bytes {
        return Err(bad(format!("the answer is {} MB, far larger than {what}", body.len() / (1024 * 1024))));
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        bad(if e.is_eof() {
            "the answer was cut off".to_owned()
        } else {
            format!("the answer is not {what} from Xero (not JSON)")
        })
    })?;
    if let Some(status) = value.get("Status").and_then(Value::as_str).filter(|s| !s.eq_ignore_ascii_case("OK")) {
        return Err(bad(format!("Xero answered with status {}", text(status))));
    }
    Ok(value)
}

/// Reads the first report of a Reports answer.
pub fn parse_report(body: &[u8]) -> Result<Report, ParseError> {
    let value = read_answer(body, MAX_BODY_BYTES, "a report")?;
    let report = value
        .get("Reports")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("the answer has no Reports"))?
        .first()
        .filter(|r| r.is_object())
        .ok_or_else(|| bad("the answer's Reports list is empty"))?;
    let string = |key: &str| report.get(key).and_then(Value::as_str).map(text);
    let rows_value = match report.get("Rows") {
        None | Some(Value::Null) => &Value::Array(Vec::new()),
        Some(rows) => rows,
    };
    let mut budget = MAX_ROWS;
    let mut columns = Vec::new();
    let rows = read_rows(rows_value, 0, &mut budget, &mut columns)?;
    Ok(Report {
        report_id: string("ReportID").unwrap_or_default(),
        name: string("ReportName").unwrap_or_default(),
        titles: report
            .get("ReportTitles")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).take(8).map(text).collect())
            .unwrap_or_default(),
        report_date: string("ReportDate"),
        updated_at: report.get("UpdatedDateUTC").and_then(Value::as_str).and_then(ms_date),
        columns,
        rows,
    })
}

/// Reads rows; the first `Header` row met (at any depth) gives the column titles.
fn read_rows(
    value: &Value,
    depth: usize,
    budget: &mut usize,
    columns: &mut Vec<String>,
) -> Result<Vec<ReportRow>, ParseError> {
    if depth > MAX_DEPTH {
        return Err(bad("the report's sections nest too deeply to be a Xero report"));
    }
    let list = value.as_array().ok_or_else(|| bad("the report's Rows is not a list"))?;
    let mut rows = Vec::with_capacity(list.len());
    for row in list {
        *budget = budget.checked_sub(1).ok_or_else(|| bad("the report has too many rows"))?;
        let row_type =
            row.get("RowType").and_then(Value::as_str).ok_or_else(|| bad("a row of the report has no RowType"))?;
        match row_type {
            "Header" => {
                let cells = read_cells(row, 0)?;
                if columns.is_empty() {
                    *columns = cells.into_iter().map(|c| c.text).collect();
                }
            }
            "Section" => {
                let title = row.get("Title").and_then(Value::as_str).map(text).unwrap_or_default();
                let inner = match row.get("Rows") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(inner) => read_rows(inner, depth + 1, budget, columns)?,
                };
                rows.push(ReportRow::Section { title, rows: inner });
            }
            "Row" => rows.push(ReportRow::Row { cells: read_cells(row, 1)? }),
            "SummaryRow" => rows.push(ReportRow::Summary { cells: read_cells(row, 1)? }),
            other => rows.push(ReportRow::Other { row_type: text(other), cells: read_cells(row, 1)? }),
        }
    }
    Ok(rows)
}

/// Cells from `first_amount` on may hold amounts (the first cell is the row's label).
fn read_cells(row: &Value, first_amount: usize) -> Result<Vec<Cell>, ParseError> {
    let list = match row.get("Cells") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(bad("a row's Cells is not a list")),
    };
    if list.len() > MAX_CELLS {
        return Err(bad("a row of the report has too many columns"));
    }
    list.iter()
        .enumerate()
        .map(|(i, cell)| {
            let raw = match cell.get("Value") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => text(s),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(_) => return Err(bad("a cell's Value is neither text nor a number")),
            };
            let link_id = cell
                .get("Attributes")
                .and_then(Value::as_array)
                .and_then(|attrs| attrs.iter().find_map(|a| a.get("Value").and_then(Value::as_str)))
                .map(text);
            let cents = if i >= first_amount { parse_amount(&raw) } else { None };
            Ok(Cell { text: raw, cents, link_id })
        })
        .collect()
}

/// Untrusted text: no control characters, bounded length.
pub(super) fn text(s: &str) -> String {
    crate::xero::printable(s, MAX_TEXT)
}

/// `/Date(1573755038314)/` or `/Date(1573755038314+0000)/` → milliseconds.
pub(crate) fn ms_date(s: &str) -> Option<UnixMillis> {
    let inner = s.trim().strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits = inner.split(['+', '-']).find(|p| !p.is_empty())?;
    let ms: i64 = digits.parse().ok()?;
    Some(UnixMillis(if inner.starts_with('-') { -ms } else { ms }))
}

/// An amount in cents, or `None` when the text is not one (labels, blanks, a lone `-`).
pub fn parse_amount(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => match t.strip_prefix('-') {
            Some(rest) => (true, rest.trim()),
            None => (false, t),
        },
    };
    let digits: String = t.chars().filter(|c| *c != ',').collect();
    let (whole, fraction) = digits.split_once('.').unwrap_or((&digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) || whole.len() > 15 {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let mut frac = fraction.bytes().map(|b| i64::from(b - b'0'));
    let tenths = frac.next().unwrap_or(0);
    let hundredths = frac.next().unwrap_or(0);
    let round_up = frac.next().is_some_and(|d| d >= 5);
    let cents = whole * 100 + tenths * 10 + hundredths + i64::from(round_up);
    Some(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_every_written_form() {
        assert_eq!(parse_amount("1234.50"), Some(123_450));
        assert_eq!(parse_amount("-1234.50"), Some(-123_450));
        assert_eq!(parse_amount("(1,234.50)"), Some(-123_450));
        assert_eq!(parse_amount("1,234,567.8"), Some(123_456_780));
        assert_eq!(parse_amount("0.00"), Some(0));
        assert_eq!(parse_amount(".5"), Some(50));
        assert_eq!(parse_amount("12.345"), Some(1235));
        assert_eq!(parse_amount("-12.344"), Some(-1234));
        assert_eq!(parse_amount("7"), Some(700));
        for not_amount in ["", "-", "()", "Sales", "12%", "1.2.3", "1e5", "--5", "$5"] {
            assert_eq!(parse_amount(not_amount), None, "{not_amount}");
        }
    }

    #[test]
    fn ms_dates() {
        assert_eq!(ms_date("/Date(1573755038314)/"), Some(UnixMillis(1_573_755_038_314)));
        assert_eq!(ms_date("/Date(1546214400000+0000)/"), Some(UnixMillis(1_546_214_400_000)));
        assert_eq!(ms_date("2019-01-01"), None);
    }
}
