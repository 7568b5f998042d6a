//! Staff: access requests from request to decision, removal ending open sessions at once, the
//! audit log's actor, and edits that started from an older version.

mod support;

use support::{Practice, sqlstate};
use switchboard_practice::{Error, NewStaff, Password, PracticeDb, RequestState};

#[tokio::test]
async fn requests_go_from_request_to_approval_or_decline_and_are_audited() {
    let p = Practice::new().await;
    let ann = p.connect("ann").await;
    let carol = p.connect("carol").await;

    // Ann asks for beta (known to her by name only) and for gamma.
    let for_beta = ann.request_access(p.beta, "covering for Bob's leave").await.unwrap();
    let for_gamma = ann.request_access(p.gamma, "year-end accounts").await.unwrap();
    assert!(matches!(ann.request_access(p.gamma, "  ").await.unwrap_err(), Error::Invalid(_)));

    // Her requests are hers: a request for someone else, or an approved one, is refused.
    let raw = p.raw("ann").await;
    for sql in [
        format!("INSERT INTO access_requests (file_id, reason, staff_role) VALUES ({}, 'x', 'bob')", p.beta),
        format!("INSERT INTO access_requests (file_id, reason, state) VALUES ({}, 'x', 'approved')", p.beta),
        format!("UPDATE access_requests SET state = 'approved' WHERE id = {for_beta}"),
    ] {
        assert_eq!(sqlstate(&raw.execute(sql.as_str(), &[]).await.unwrap_err()), "42501", "{sql}");
    }
    // Nobody but an admin decides, not even the requester; bob does not see ann's requests.
    assert!(matches!(ann.decide_request(for_beta, true).await.unwrap_err(), Error::NotAllowed(_)));
    let bob = p.connect("bob").await;
    assert!(bob.access_requests().await.unwrap().is_empty());
    assert!(matches!(bob.decide_request(for_beta, true).await.unwrap_err(), Error::NotAllowed(_)));
    assert!(ann.file(p.beta).await.unwrap().is_none());

    // Carol (admin) approves one and declines the other.
    assert_eq!(carol.access_requests().await.unwrap().len(), 2);
    carol.decide_request(for_beta, true).await.unwrap();
    carol.decide_request(for_gamma, false).await.unwrap();
    assert!(ann.file(p.beta).await.unwrap().is_some(), "approval granted the file");
    assert!(ann.file(p.gamma).await.unwrap().is_none(), "a decline grants nothing");
    let error = carol.decide_request(for_gamma, true).await.unwrap_err();
    assert!(matches!(error, Error::Invalid(_)) && error.to_string().contains("already declined"), "{error}");
    assert!(matches!(carol.decide_request(9999, true).await.unwrap_err(), Error::NotFound(_)));

    let requests = ann.access_requests().await.unwrap();
    assert_eq!(requests.iter().map(|r| r.state).collect::<Vec<_>>(), [RequestState::Approved, RequestState::Declined]);
    assert!(
        requests.iter().all(|r| r.role == "ann" && r.decided_by.as_deref() == Some("carol") && r.decided_at.is_some())
    );

    let audit = p.owner.audit_log(200).await.unwrap();
    let by = |action: &str| audit.iter().filter(|e| e.action == action).map(|e| e.actor.clone()).collect::<Vec<_>>();
    assert_eq!(by("access requested"), ["ann", "ann"]);
    assert_eq!(by("access request approved"), ["carol"]);
    assert_eq!(by("access request declined"), ["carol"]);
    assert!(audit.iter().any(|e| e.action == "access granted" && e.actor == "carol" && e.file_id == Some(p.beta)));
}

#[tokio::test]
async fn removing_a_staff_member_ends_their_open_sessions_at_once() {
    let p = Practice::new().await;
    let ann_db = p.connect("ann").await;
    let ann_raw = p.raw("ann").await;
    assert_eq!(ann_db.list_files().await.unwrap().len(), 1);

    // Only an admin removes staff, and only staff: never another role of the server.
    let bob = p.connect("bob").await;
    assert!(matches!(bob.remove_staff("ann").await.unwrap_err(), Error::NotAllowed(_)));
    let carol = p.connect("carol").await;
    assert!(matches!(carol.remove_staff("postgres").await.unwrap_err(), Error::NotFound(_)));
    assert!(matches!(carol.remove_staff("carol").await.unwrap_err(), Error::Invalid(_)));

    let ended = carol.remove_staff("ann").await.unwrap();
    assert!(ended >= 2, "the pooled and the raw session: {ended}");
    // Everyone else's sessions, the remover's included, go on.
    assert_eq!(bob.list_files().await.unwrap().len(), 3);
    assert_eq!(carol.list_staff().await.unwrap().len(), 2);

    // The open connections are gone: the next statement fails, it does not read.
    let error = ann_raw.query_one("SELECT count(*) FROM client_files", &[]).await.unwrap_err();
    assert!(error.is_closed() || sqlstate(&error) == "57P01", "{error:?}");
    let error = ann_db.list_files().await.unwrap_err();
    assert!(matches!(error, Error::SessionEnded | Error::WrongPassword { .. }), "{error:?}");
    // And she cannot sign in again.
    let error = PracticeDb::connect(&p.pg.url(), "ann", &p.ann).await.err().unwrap();
    assert!(matches!(error, Error::WrongPassword { .. }), "{error:?}");

    let owner = support::raw(&p.pg.owner_url).await;
    let left: i64 = owner.query_one("SELECT count(*) FROM pg_roles WHERE rolname = 'ann'", &[]).await.unwrap().get(0);
    assert_eq!(left, 0, "the role is dropped");
    let grants: i64 =
        owner.query_one("SELECT count(*) FROM file_grants WHERE staff_role = 'ann'", &[]).await.unwrap().get(0);
    assert_eq!(grants, 0);
    assert!(p.owner.list_staff().await.unwrap().iter().all(|s| s.role != "ann"));
    let audit = p.owner.audit_log(50).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "staff removed" && e.actor == "carol" && e.old_value.as_deref() == Some("ann"))
    );
}

#[tokio::test]
async fn the_audit_actor_is_the_signed_in_role_whatever_the_client_writes() {
    let p = Practice::new().await;
    let ann = p.raw("ann").await;

    // Naming another actor is refused outright...
    let forged = format!("INSERT INTO audit_log (file_id, action, actor) VALUES ({}, 'note', 'carol')", p.alpha);
    assert_eq!(sqlstate(&ann.execute(forged.as_str(), &[]).await.unwrap_err()), "42501");
    // ...and a note without one is signed by the database.
    ann.execute(&format!("INSERT INTO audit_log (file_id, action) VALUES ({}, 'note')", p.alpha), &[]).await.unwrap();
    // Even the owner, who may write the column, cannot put another name there.
    let owner = support::raw(&p.pg.owner_url).await;
    owner
        .execute(
            "INSERT INTO audit_log (file_id, action, actor, at) VALUES (NULL, 'owner note', 'carol', '2001-01-01')",
            &[],
        )
        .await
        .unwrap();
    // A change through the crate is audited with ann as actor too.
    let ann_db = p.connect("ann").await;
    let alpha = ann_db.file(p.alpha).await.unwrap().unwrap();
    ann_db.rename_file(p.alpha, alpha.version, "Alpha Holdings").await.unwrap();
    // A note about a file she cannot see is refused.
    let hidden = format!("INSERT INTO audit_log (file_id, action) VALUES ({}, 'note')", p.beta);
    assert_eq!(sqlstate(&ann.execute(hidden.as_str(), &[]).await.unwrap_err()), "42501");
    // Nor can anyone rewrite history.
    for sql in ["UPDATE audit_log SET actor = 'carol'", "DELETE FROM audit_log"] {
        assert_eq!(sqlstate(&ann.execute(sql, &[]).await.unwrap_err()), "42501", "{sql}");
    }

    let audit = p.owner.audit_log(10).await.unwrap();
    let actor = |action: &str| audit.iter().find(|e| e.action == action).map(|e| e.actor.clone());
    assert_eq!(actor("note").as_deref(), Some("ann"));
    assert_eq!(actor("owner note").as_deref(), Some("postgres"));
    assert!(audit.iter().find(|e| e.action == "owner note").unwrap().at.timestamp() > 1_700_000_000);
    let rename = audit.iter().find(|e| e.action == "client_files update").unwrap();
    assert_eq!(rename.actor, "ann");
    assert!(rename.new_value.as_deref().unwrap().contains("Alpha Holdings"));
}

#[tokio::test]
async fn an_edit_from_an_older_version_is_reported_not_overwritten() {
    let p = Practice::new().await;
    let ann = p.connect("ann").await;
    let bob = p.connect("bob").await;
    let start = ann.file(p.alpha).await.unwrap().unwrap();
    let bobs = bob.rename_file(p.alpha, start.version, "Alpha (Bob)").await.unwrap();
    assert!(bobs.version > start.version);
    let error = ann.rename_file(p.alpha, start.version, "Alpha (Ann)").await.unwrap_err();
    assert!(matches!(error, Error::Conflict { current, .. } if current == bobs.version), "{error:?}");
    assert_eq!(ann.file(p.alpha).await.unwrap().unwrap().display_name, "Alpha (Bob)");
    // A raw write cannot set the version either: the database numbers every change.
    let raw = p.raw("ann").await;
    raw.execute(&format!("UPDATE client_files SET version = 1 WHERE id = {}", p.alpha), &[]).await.unwrap();
    assert!(ann.file(p.alpha).await.unwrap().unwrap().version > bobs.version);
}

#[tokio::test]
async fn staff_are_added_with_checked_names_and_admins_only() {
    let p = Practice::new().await;
    let new = |role: Option<&str>, email: &str| NewStaff {
        role: role.map(str::to_owned),
        display_name: "Dee Dee".into(),
        email: email.into(),
        is_admin: false,
    };
    let password = Password::generate();
    // From the email when no role is given.
    assert_eq!(p.owner.add_staff(&new(None, "Dee.Dee@practice.example"), &password).await.unwrap(), "dee_dee");
    let dee = PracticeDb::connect(&p.pg.url(), "dee_dee", &password).await.unwrap();
    assert!(dee.list_files().await.unwrap().is_empty(), "a new staff member sees nothing until granted");

    for (role, email) in [
        (Some("Robert\"; DROP TABLE staff; --"), "r@x.example"),
        (Some("pg_monitor"), "m@x.example"),
        (Some("switchboard_staff"), "s@x.example"),
        (Some("postgres"), "p@x.example"),
        (Some("eve"), "not-an-email"),
        (Some("frank"), "Dee.Dee@PRACTICE.example"),
    ] {
        let error = p.owner.add_staff(&new(role, email), &Password::generate()).await.unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{role:?} {email}: {error:?}");
    }
    assert!(matches!(
        p.owner.add_staff(&new(Some("gus"), "g@x.example"), &Password::new("short")).await.unwrap_err(),
        Error::Invalid(_)
    ));
    // Staff who are not admins cannot add anyone.
    let bob = p.connect("bob").await;
    let error = bob.add_staff(&new(Some("mallory"), "m@x.example"), &Password::generate()).await.unwrap_err();
    assert!(matches!(error, Error::NotAllowed(_)), "{error:?}");
    // An admin can.
    let carol = p.connect("carol").await;
    carol.add_staff(&new(Some("hal"), "hal@x.example"), &Password::generate()).await.unwrap();
    let roles: Vec<String> = p.owner.list_staff().await.unwrap().into_iter().map(|s| s.role).collect();
    assert_eq!(roles.len(), 5, "{roles:?}");
    assert!(roles.contains(&"hal".to_owned()) && !roles.contains(&"mallory".to_owned()));
}
