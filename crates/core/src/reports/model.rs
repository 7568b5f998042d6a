//! A client's key reports as Switchboard keeps them: Xero's `Reports[].Rows[]` tree (`Header`,
//! `Section`, `Row`, `SummaryRow`, cells with a value and attributes), read into plain types with
//! amounts in cents, plus what the cache knows about each (when it was fetched, the last error).
//!
//! Row types are an *open* set: a row type this version does not know is kept as
//! [`ReportRow::Other`], never an error.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{FileId, UnixMillis};

/// Which of a client's key reports (design: "Profit and Loss this month, last month, year to
/// date; Balance Sheet today; Aged Receivables and Payables; Bank Summary").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// This month and the eleven before it, one column each (this month, last month, the trend).
    ProfitAndLossMonths,
    /// From the start of the organisation's financial year to today.
    ProfitAndLossYearToDate,
    BalanceSheet,
    AgedReceivables,
    AgedPayables,
    BankSummary,
}

/// Xero's broad report scope (apps created before 2 March 2026 may still use it).
pub const BROAD_REPORTS_SCOPE: &str = "accounting.reports.read";
/// Other scopes that read invoices: the broad ones of apps created before 2 March 2026, and the
/// granular scope that also writes them.
const OTHER_INVOICE_SCOPES: &[&str] =
    &["accounting.transactions", "accounting.transactions.read", "accounting.invoices"];

/// The granular scopes Switchboard asks for when a person chooses "Allow reports". The aged
/// summaries are built from the outstanding invoices (see `aged.rs`), hence the invoice scope.
pub const REPORT_SCOPES: &[&str] = &[
    "accounting.reports.profitandloss.read",
    "accounting.reports.balancesheet.read",
    "accounting.invoices.read",
    "accounting.reports.banksummary.read",
];

impl ReportKind {
    pub const ALL: [ReportKind; 6] = [
        ReportKind::ProfitAndLossMonths,
        ReportKind::ProfitAndLossYearToDate,
        ReportKind::BalanceSheet,
        ReportKind::AgedReceivables,
        ReportKind::AgedPayables,
        ReportKind::BankSummary,
    ];

    /// The stored code, also the CLI's name for the report.
    pub fn code(self) -> &'static str {
        match self {
            ReportKind::ProfitAndLossMonths => "profit-and-loss",
            ReportKind::ProfitAndLossYearToDate => "profit-and-loss-ytd",
            ReportKind::BalanceSheet => "balance-sheet",
            ReportKind::AgedReceivables => "aged-receivables",
            ReportKind::AgedPayables => "aged-payables",
            ReportKind::BankSummary => "bank-summary",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn title(self) -> &'static str {
        match self {
            ReportKind::ProfitAndLossMonths => "Profit and Loss by month",
            ReportKind::ProfitAndLossYearToDate => "Profit and Loss, year to date",
            ReportKind::BalanceSheet => "Balance Sheet",
            ReportKind::AgedReceivables => "Aged Receivables",
            ReportKind::AgedPayables => "Aged Payables",
            ReportKind::BankSummary => "Bank Summary",
        }
    }

    /// The granular scope that reads it.
    pub fn scope(self) -> &'static str {
        match self {
            ReportKind::ProfitAndLossMonths | ReportKind::ProfitAndLossYearToDate => REPORT_SCOPES[0],
            ReportKind::BalanceSheet => REPORT_SCOPES[1],
            ReportKind::AgedReceivables | ReportKind::AgedPayables => REPORT_SCOPES[2],
            ReportKind::BankSummary => REPORT_SCOPES[3],
        }
    }

    /// Whether a token set with these scopes may read it (its granular scope or a broad one).
    pub fn allowed_by(self, scopes: &[String]) -> bool {
        let broad: &[&str] = match self {
            ReportKind::AgedReceivables | ReportKind::AgedPayables => OTHER_INVOICE_SCOPES,
            _ => &[BROAD_REPORTS_SCOPE],
        };
        scopes.iter().any(|s| s == self.scope() || broad.contains(&s.as_str()))
    }
}

/// One report as Xero sent it, read into Switchboard's types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Report {
    /// `ReportID`, e.g. `ProfitAndLoss`.
    pub report_id: String,
    pub name: String,
    /// `ReportTitles`: the report, the organisation, the period.
    pub titles: Vec<String>,
    /// `ReportDate` as Xero wrote it (e.g. `25 November 2026`).
    pub report_date: Option<String>,
    /// `UpdatedDateUTC`.
    pub updated_at: Option<UnixMillis>,
    /// The header row's cells: the column titles (the first is usually empty).
    pub columns: Vec<String>,
    pub rows: Vec<ReportRow>,
}

/// A row of the report tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReportRow {
    /// A titled group of rows (the title may be empty, as Xero's "Gross Profit" sections are).
    Section { title: String, rows: Vec<ReportRow> },
    /// An account, contact or computed line.
    Row { cells: Vec<Cell> },
    /// A section's total.
    Summary { cells: Vec<Cell> },
    /// A row type this version does not know, kept as sent.
    Other { row_type: String, cells: Vec<Cell> },
}

impl ReportRow {
    pub fn cells(&self) -> &[Cell] {
        match self {
            ReportRow::Section { .. } => &[],
            ReportRow::Row { cells } | ReportRow::Summary { cells } | ReportRow::Other { cells, .. } => cells,
        }
    }
}

/// One cell: its text as Xero sent it, and the amount when the text is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Cell {
    pub text: String,
    /// In cents of the organisation's currency; `None` for labels and blanks.
    #[ts(type = "number | null")]
    pub cents: Option<i64>,
    /// The account (or contact) the cell belongs to, from its `Attributes`.
    pub link_id: Option<String>,
}

impl Report {
    /// Every row that is not a section, in order, with the title of the section it is in.
    pub fn lines(&self) -> Vec<(&str, &ReportRow)> {
        fn walk<'a>(rows: &'a [ReportRow], title: &'a str, out: &mut Vec<(&'a str, &'a ReportRow)>) {
            for row in rows {
                match row {
                    ReportRow::Section { title, rows } => walk(rows, title, out),
                    other => out.push((title, other)),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.rows, "", &mut out);
        out
    }

    /// The amounts of the first line labelled `label` (case-insensitive), one per column after
    /// the label.
    pub fn amounts_of(&self, label: &str) -> Option<Vec<Option<i64>>> {
        self.lines().into_iter().find_map(|(_, row)| {
            let cells = row.cells();
            (cells.first()?.text.trim().eq_ignore_ascii_case(label))
                .then(|| cells[1..].iter().map(|c| c.cents).collect())
        })
    }

    /// The amount in `column` (0 = the first after the label) of the line labelled `label`.
    pub fn amount(&self, label: &str, column: usize) -> Option<i64> {
        self.amounts_of(label)?.get(column).copied().flatten()
    }

    /// The column whose header is `name` (case-insensitive), counted after the label column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().skip(1).position(|c| c.trim().eq_ignore_ascii_case(name))
    }
}

/// A report as the cache holds it for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CachedReport {
    pub kind: ReportKind,
    pub title: String,
    /// The last good copy; kept when a later refresh fails.
    pub report: Option<Report>,
    /// When that copy was fetched ("as of").
    pub fetched_at: Option<UnixMillis>,
    /// The organisation's base currency when it was fetched (e.g. `AUD`).
    pub currency: Option<String>,
    pub last_attempt_at: Option<UnixMillis>,
    /// Why the last refresh of this report failed; `None` when it worked.
    pub last_error: Option<String>,
}

/// Whether the file's Xero connection may read reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReportAccess {
    /// Every report can be read.
    Granted,
    /// The practice has not (yet) allowed these reports for this connection: "Allow reports"
    /// asks Xero for the missing scopes.
    NotGranted { missing: Vec<ReportKind> },
    /// The file has no Xero connection (reports already cached stay readable).
    NotConnected,
}

/// Everything the client's Reports page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientReports {
    pub file: FileId,
    pub display_name: String,
    pub access: ReportAccess,
    /// Whether "Open in Xero" can work (the organisation's short code is known).
    pub can_open_in_xero: bool,
    pub reports: Vec<CachedReport>,
}

/// What one refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ReportsRefresh {
    pub fetched: u32,
    /// Reports whose refresh failed (their cached copy is kept), with the reason.
    pub failed: Vec<ReportFailure>,
    /// Reports the connection is not allowed to read.
    pub not_allowed: Vec<ReportKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReportFailure {
    pub kind: ReportKind,
    pub reason: String,
}

/// What refreshing every client's reports did ("Refresh every client", the nightly sync).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct AllReportsRefresh {
    /// Connected clients whose connection may read reports; each was refreshed.
    pub clients: u32,
    /// Reports fetched across them.
    pub fetched: u32,
    /// Clients with a report that could not be refreshed (cached copies kept), by name.
    pub failed: Vec<ClientReportFailure>,
}

/// A client whose refresh did not fully work, and the first reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientReportFailure {
    pub file: FileId,
    pub display_name: String,
    pub reason: String,
}

/// A practice-wide observation from the cached reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReportInsight {
    pub file: FileId,
    pub display_name: String,
    pub kind: InsightKind,
    pub currency: Option<String>,
    /// The figure at the refresh before the last one (cents).
    #[ts(type = "number")]
    pub before_cents: i64,
    /// The figure now (cents).
    #[ts(type = "number")]
    pub now_cents: i64,
    pub before_at: UnixMillis,
    pub now_at: UnixMillis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum InsightKind {
    /// Receivables outstanding for more than 90 days grew since the previous refresh.
    #[serde(rename = "receivables_over_90_grew")]
    ReceivablesOver90Grew,
    /// This month's net profit is a loss.
    LossThisMonth,
}
