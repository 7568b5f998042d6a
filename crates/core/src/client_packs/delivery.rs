//! When a console user is due a pack, and what an attempt to send one did.

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::model::{FileId, UnixMillis};
use crate::settings::console::PackCadence;

/// Why a pack was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PackTrigger {
    /// The file's cadence, during `switchboard sync`.
    Cadence,
    /// A person clicked Send now.
    SendNow,
}

impl PackTrigger {
    pub fn code(self) -> &'static str {
        match self {
            Self::Cadence => "cadence",
            Self::SendNow => "send_now",
        }
    }

    pub fn from_code(code: &str) -> Self {
        if code == "send_now" { Self::SendNow } else { Self::Cadence }
    }
}

/// One attempt to send a console user their pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackDelivery {
    #[ts(type = "number")]
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub at: UnixMillis,
    pub sent: bool,
    /// Why the mail server did not take it (retried on the next sync when the cadence is due).
    pub failure: Option<String>,
    pub trigger: PackTrigger,
}

/// What sending the due packs did, for the sync's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PackRun {
    pub sent: u32,
    /// Attempts that failed, with the file, the person and why; each is tried again next sync.
    pub failed: Vec<(FileId, String, String)>,
    /// Files whose pack could not be made (e.g. the mail server is not set up), and why.
    pub skipped: Vec<(FileId, String)>,
}

/// Whether a user whose last pack reached them on `last_sent` is due one `today`. Never sent:
/// due. Weekly and fortnightly count days since the last one; monthly sends on the first run of
/// each calendar month (31 January, then 1 February, is two packs; 1 and 28 February is one).
/// A failed attempt is not a sent pack, so the next run tries again.
pub fn is_due(cadence: PackCadence, last_sent: Option<NaiveDate>, today: NaiveDate) -> bool {
    let Some(last) = last_sent else { return cadence != PackCadence::Never };
    let after_days = |days: u64| last.checked_add_days(Days::new(days)).is_some_and(|next| today >= next);
    match cadence {
        PackCadence::Never => false,
        PackCadence::Weekly => after_days(7),
        PackCadence::Fortnightly => after_days(14),
        PackCadence::Monthly => (today.year(), today.month()) > (last.year(), last.month()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn cadences_count_days_and_calendar_months() {
        use PackCadence::*;
        assert!(is_due(Monthly, None, d("2026-01-15")), "never sent: due");
        assert!(!is_due(Never, None, d("2026-01-15")));
        assert!(is_due(Monthly, Some(d("2026-01-31")), d("2026-02-01")), "a new month");
        assert!(!is_due(Monthly, Some(d("2026-02-01")), d("2026-02-28")), "same month");
        assert!(is_due(Monthly, Some(d("2026-12-31")), d("2027-01-01")), "a new year");
        assert!(!is_due(Weekly, Some(d("2026-02-26")), d("2026-03-04")), "six days, across a month end");
        assert!(is_due(Weekly, Some(d("2026-02-26")), d("2026-03-05")));
        assert!(!is_due(Fortnightly, Some(d("2026-02-20")), d("2026-03-05")));
        assert!(is_due(Fortnightly, Some(d("2026-02-20")), d("2026-03-06")));
    }
}
