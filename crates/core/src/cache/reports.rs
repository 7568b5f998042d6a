//! The client reports table: the last good copy of each report, the one before it, and how the
//! last refresh went. A failed refresh records only the attempt and its reason; the cached copy
//! is never replaced by anything but a report that was read successfully.

use rusqlite::{OptionalExtension, params};

use super::{Cache, now};
use crate::error::Result;
use crate::model::{FileId, UnixMillis};
use crate::reports::model::{CachedReport, Report, ReportKind};

/// One report's key figure now and at the refresh before, as [`Cache::report_figures`] returns
/// them for the insights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFigures {
    pub file: FileId,
    pub display_name: String,
    pub currency: Option<String>,
    pub now: (i64, UnixMillis),
    pub before: Option<(i64, UnixMillis)>,
}

impl Cache {
    /// Keeps a freshly read report and its key figure; the figure it replaces becomes the
    /// "previous" one.
    pub fn store_report(
        &mut self,
        file: FileId,
        kind: ReportKind,
        report: &Report,
        currency: Option<&str>,
    ) -> Result<()> {
        let document = serde_json::to_string(report).expect("reports serialise");
        let figure = crate::reports::key_figure(kind, report);
        let at = now();
        self.conn.execute(
            "INSERT INTO client_reports (file_id, kind, document, currency, fetched_at, figure, last_attempt_at, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, NULL)
             ON CONFLICT (file_id, kind) DO UPDATE SET
                 previous_figure = client_reports.figure,
                 previous_fetched_at = client_reports.fetched_at,
                 document = excluded.document, currency = excluded.currency,
                 fetched_at = excluded.fetched_at, figure = excluded.figure,
                 last_attempt_at = excluded.last_attempt_at, last_error = NULL",
            params![file.0, kind.code(), document, currency, at, figure],
        )?;
        Ok(())
    }

    /// A refresh of this report failed: remember when and why, keep the cached copy.
    pub fn record_report_failure(&mut self, file: FileId, kind: ReportKind, reason: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO client_reports (file_id, kind, last_attempt_at, last_error) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (file_id, kind) DO UPDATE SET
                 last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error",
            params![file.0, kind.code(), now(), reason],
        )?;
        Ok(())
    }

    /// Every report kind for the file, in [`ReportKind::ALL`] order (never fetched: empty).
    pub fn cached_reports(&self, file: FileId) -> Result<Vec<CachedReport>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT document, fetched_at, currency, last_attempt_at, last_error
             FROM client_reports WHERE file_id = ?1 AND kind = ?2",
        )?;
        ReportKind::ALL
            .into_iter()
            .map(|kind| {
                let row = stmt
                    .query_row(params![file.0, kind.code()], |row| {
                        Ok((
                            row.get::<_, Option<String>>(0)?,
                            row.get::<_, Option<i64>>(1)?,
                            row.get::<_, Option<String>>(2)?,
                            row.get::<_, Option<i64>>(3)?,
                            row.get::<_, Option<String>>(4)?,
                        ))
                    })
                    .optional()?;
                let (document, fetched_at, currency, attempt, error) = row.unwrap_or_default();
                Ok(CachedReport {
                    kind,
                    title: kind.title().to_owned(),
                    report: document.as_deref().and_then(read_document),
                    fetched_at: fetched_at.map(UnixMillis),
                    currency,
                    last_attempt_at: attempt.map(UnixMillis),
                    last_error: error,
                })
            })
            .collect()
    }

    /// The key figure of one kind of report, now and at the refresh before, for every file that
    /// has one (no document is read: the insight strip stays fast for a whole practice).
    pub fn report_figures(&self, kind: ReportKind) -> Result<Vec<ReportFigures>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.file_id, f.display_name, r.currency, r.figure, r.fetched_at, r.previous_figure, r.previous_fetched_at
             FROM client_reports r JOIN client_files f ON f.id = r.file_id
             WHERE r.kind = ?1 AND r.figure IS NOT NULL ORDER BY f.display_name, f.id",
        )?;
        let rows = stmt.query_map([kind.code()], |row| {
            let before = match (row.get::<_, Option<i64>>(5)?, row.get::<_, Option<i64>>(6)?) {
                (Some(figure), Some(at)) => Some((figure, UnixMillis(at))),
                _ => None,
            };
            Ok(ReportFigures {
                file: FileId(row.get(0)?),
                display_name: row.get(1)?,
                currency: row.get(2)?,
                now: (row.get(3)?, UnixMillis(row.get::<_, Option<i64>>(4)?.unwrap_or_default())),
                before,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// A stored document this version cannot read (written by a newer one) is treated as absent.
fn read_document(text: &str) -> Option<Report> {
    serde_json::from_str(text).ok()
}
