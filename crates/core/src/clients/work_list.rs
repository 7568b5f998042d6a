//! A client's work list: its open problems, derived from its states, most severe first.

use serde::Serialize;
use ts_rs::TS;

use crate::model::{AccountingSoftware, ClientFile, ConnectionState, ServiceState};

/// Declared from most to least severe; the derived order sorts the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    NeedsReconnect,
    Disconnected,
    NotConnected,
    LastSyncFailed,
    XpmClientGone,
    PayrollUnavailable,
    FixedAssetsUnavailable,
    NoXpmLink,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WorkItem {
    pub problem: Problem,
    pub severity: Severity,
    /// One sentence: what is wrong and what to do.
    pub summary: String,
    /// The reason recorded with the state, when there is one.
    pub detail: Option<String>,
}

pub fn work_list(file: &ClientFile) -> Vec<WorkItem> {
    let mut items = Vec::new();
    let mut add = |problem, severity, summary: &str, detail: Option<String>| {
        items.push(WorkItem { problem, severity, summary: summary.to_owned(), detail })
    };
    match &file.connection {
        ConnectionState::NeedsReconnect { reason } => add(
            Problem::NeedsReconnect,
            Severity::Critical,
            "The connection to the accounting software has lapsed. Reconnect it.",
            Some(reason.clone()),
        ),
        ConnectionState::Disconnected { reason } => add(
            Problem::Disconnected,
            Severity::Critical,
            "The organisation is no longer connected. Connect it again or delete the client file.",
            Some(reason.clone()),
        ),
        ConnectionState::NotConnected if file.software == AccountingSoftware::Xero => {
            add(Problem::NotConnected, Severity::High, "This Xero file has never been connected. Connect it.", None)
        }
        ConnectionState::NotConnected | ConnectionState::Connected => {}
    }
    if let Some(error) = &file.sync.last_error {
        add(
            Problem::LastSyncFailed,
            Severity::High,
            "The last sync failed; the row shows the last good data.",
            Some(error.clone()),
        );
    }
    if let Some(xpm) = file.xpm.as_ref().filter(|x| x.archived || x.deleted) {
        let state = if xpm.deleted { "deleted" } else { "archived" };
        add(
            Problem::XpmClientGone,
            Severity::Medium,
            "The linked XPM client is no longer active. Check the link.",
            Some(format!("{} is {state} in XPM", xpm.name)),
        );
    }
    if let ServiceState::Unavailable { reason } = &file.payroll {
        add(
            Problem::PayrollUnavailable,
            Severity::Medium,
            "Payroll cannot be reached for this file.",
            Some(reason.explanation().to_owned()),
        );
    }
    if let ServiceState::Unavailable { reason } = &file.fixed_assets {
        add(
            Problem::FixedAssetsUnavailable,
            Severity::Low,
            "Fixed assets cannot be reached for this file.",
            Some(reason.explanation().to_owned()),
        );
    }
    if file.xpm.is_none() {
        add(Problem::NoXpmLink, Severity::Low, "Not linked to an XPM client. Link it.", None);
    }
    items.sort_by_key(|item| (item.severity, item.problem));
    items
}
