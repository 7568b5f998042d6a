//! A client's work list is derived from its states and sorted by severity.

use switchboard_core::clients::work_list::{Problem, Severity, work_list};
use switchboard_core::model::*;

fn file(draft: ClientFileDraft, xpm: Option<XpmClient>) -> ClientFile {
    ClientFile {
        id: FileId(1),
        display_name: draft.display_name,
        remote_name: draft.remote_name,
        software: draft.software,
        connection: draft.connection,
        payroll: draft.payroll,
        fixed_assets: draft.fixed_assets,
        xero: draft.xero,
        xpm,
        sync: draft.sync,
    }
}

fn linked() -> Option<XpmClient> {
    Some(XpmClient { uuid: "u".into(), name: "Linked".into(), web_url: None, archived: false, deleted: false })
}

#[test]
fn a_healthy_linked_file_has_nothing_to_do() {
    let healthy = ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection: ConnectionState::Connected,
        payroll: ServiceState::Connected,
        fixed_assets: ServiceState::DisconnectedByStaff,
        ..ClientFileDraft::named("Fine")
    };
    assert!(work_list(&file(healthy, linked())).is_empty());
}

#[test]
fn problems_come_most_severe_first_with_their_reasons() {
    let troubled = ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection: ConnectionState::NeedsReconnect { reason: "token revoked".into() },
        payroll: ServiceState::Unavailable { reason: UnavailableReason::NotSubscribed },
        fixed_assets: ServiceState::Unavailable { reason: UnavailableReason::ScopeNotGranted },
        sync: SyncRecord { last_error: Some("503 from Xero".into()), ..SyncRecord::default() },
        ..ClientFileDraft::named("Troubled")
    };
    let items = work_list(&file(troubled, None));
    let problems: Vec<_> = items.iter().map(|i| i.problem).collect();
    assert_eq!(
        problems,
        [
            Problem::NeedsReconnect,
            Problem::LastSyncFailed,
            Problem::PayrollUnavailable,
            Problem::FixedAssetsUnavailable,
            Problem::NoXpmLink,
        ]
    );
    assert!(items.windows(2).all(|w| w[0].severity <= w[1].severity));
    assert_eq!(items[0].severity, Severity::Critical);
    assert_eq!(items[0].detail.as_deref(), Some("token revoked"));
    assert_eq!(items[1].detail.as_deref(), Some("503 from Xero"));
    assert_eq!(items[2].detail.as_deref(), Some("the organisation is not subscribed"));
}

#[test]
fn an_archived_xpm_client_and_an_unconnected_xero_file_are_flagged() {
    let draft = ClientFileDraft { software: AccountingSoftware::Xero, ..ClientFileDraft::named("New") };
    let archived = XpmClient { archived: true, ..linked().unwrap() };
    let problems: Vec<_> = work_list(&file(draft, Some(archived))).iter().map(|i| i.problem).collect();
    assert_eq!(problems, [Problem::NotConnected, Problem::XpmClientGone]);
}

#[test]
fn a_file_kept_in_other_software_is_not_nagged_to_connect_xero() {
    let draft = ClientFileDraft { software: AccountingSoftware::Myob, ..ClientFileDraft::named("Elsewhere") };
    assert!(work_list(&file(draft, linked())).is_empty());
}

#[test]
fn a_file_kept_in_other_software_still_has_a_work_list() {
    // Not nagged to connect (Switchboard connects Xero files), but its other problems are listed.
    for software in
        [AccountingSoftware::QuickbooksOnline, AccountingSoftware::Myob, AccountingSoftware::Other("Sage".into())]
    {
        let draft = ClientFileDraft { software, ..ClientFileDraft::named("Elsewhere") };
        let problems: Vec<_> = work_list(&file(draft, None)).iter().map(|i| i.problem).collect();
        assert_eq!(problems, [Problem::NoXpmLink]);
    }
}
