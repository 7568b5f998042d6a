//! The sync host's run: one at a time (advisory lock), hand-overs taken, sync requests claimed,
//! worked on through `SyncWork`, their progress seen by everyone and announced by NOTIFY.
#![cfg(target_os = "linux")]

mod support;

use std::sync::Mutex;
use std::time::Duration;

use support::{Practice, sqlstate};
use switchboard_core::credential_store::{CredentialStore, MemoryCredentialStore};
use switchboard_core::secret::Secret;
use switchboard_practice::handover::token_set_key;
use switchboard_practice::sync_host::{SyncHostIdentity, SyncHostLock, SyncWork, WorkFuture, WorkOutcome, run, serve};
use switchboard_practice::{Error, Progress, SYNC_CHANNEL, SyncRequest, SyncState};

/// Records each request it is given, reports progress 1 of 2 then 2 of 2, and fails the file
/// requests of `fail_file`.
#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<(i64, Option<i64>, SyncState)>>,
    fail_file: Option<i64>,
}

impl SyncWork for Recorder {
    fn sync<'a>(&'a self, request: &'a SyncRequest, progress: &'a Progress<'a>) -> WorkFuture<'a> {
        Box::pin(async move {
            self.calls.lock().unwrap().push((request.id, request.file_id, request.state));
            progress.report(1, 0, Some(2)).await.unwrap();
            progress.report(2, 0, Some(2)).await.unwrap();
            if request.file_id.is_some() && request.file_id == self.fail_file {
                WorkOutcome::Failed { message: "organisation disconnected".into() }
            } else {
                WorkOutcome::Done { message: Some("2 files synced".into()) }
            }
        })
    }
}

/// Waits until no session holds an advisory lock (a dropped lock's connection closes in the
/// background).
async fn released(p: &Practice) {
    let owner_raw = support::raw(&p.pg.owner_url).await;
    for _ in 0..100 {
        let held: i64 =
            owner_raw.query_one("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", &[]).await.unwrap().get(0);
        if held == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the sync host lock was not released");
}

async fn registered(p: &Practice) -> SyncHostIdentity {
    let identity = SyncHostIdentity::generate();
    p.owner.register_sync_host(&identity, "server-1").await.unwrap();
    identity
}

#[tokio::test]
async fn a_run_takes_hand_overs_and_works_every_request() {
    let p = Practice::new().await;
    let identity = registered(&p).await;
    let ann = p.connect("ann").await;
    let handover = ann.offer_token_set(&[p.alpha], &Secret::new("{\"refresh_token\":\"r1\"}")).await.unwrap();
    let whole = ann.request_sync(None).await.unwrap();
    let alpha = ann.request_sync(Some(p.alpha)).await.unwrap();
    // Not for a file she cannot see, and she cannot move a request along herself.
    assert!(matches!(ann.request_sync(Some(p.beta)).await.unwrap_err(), Error::NotAllowed(_)));
    let raw = p.raw("ann").await;
    let error = raw.execute("UPDATE sync_requests SET state = 'done'", &[]).await.unwrap_err();
    assert_eq!(sqlstate(&error), "42501");
    let bob_request = p.connect("bob").await.request_sync(Some(p.beta)).await.unwrap();

    let store = MemoryCredentialStore::default();
    let work = Recorder { fail_file: Some(p.beta), ..Recorder::default() };
    let report = run(&p.owner, &identity, &store, &work, "server-1 pid 1").await.expect("run");
    assert_eq!(report.handovers.taken, [handover]);
    assert!(store.get(&token_set_key(&p.owner, handover)).unwrap().is_some());
    assert_eq!(report.done, [whole, alpha]);
    assert_eq!(report.failed, [(bob_request, "organisation disconnected".to_owned())]);
    let calls = work.calls.lock().unwrap().clone();
    assert_eq!(
        calls,
        [
            (whole, None, SyncState::Running),
            (alpha, Some(p.alpha), SyncState::Running),
            (bob_request, Some(p.beta), SyncState::Running)
        ]
    );

    // Everyone sees every request's outcome, bob's included.
    let seen = ann.sync_requests(10).await.unwrap();
    assert_eq!(seen.len(), 3);
    let bobs = seen.iter().find(|r| r.id == bob_request).unwrap();
    assert_eq!((bobs.state, bobs.done, bobs.total), (SyncState::Failed, 2, Some(2)));
    assert_eq!(bobs.message.as_deref(), Some("organisation disconnected"));
    assert_eq!(bobs.requested_by, "bob");
    let annes = seen.iter().find(|r| r.id == alpha).unwrap();
    assert_eq!((annes.state, annes.message.as_deref()), (SyncState::Done, Some("2 files synced")));

    // Nothing left: a second run does nothing.
    let again = run(&p.owner, &identity, &store, &work, "server-1 pid 2").await.unwrap();
    assert!(again.done.is_empty() && again.failed.is_empty() && again.handovers.taken.is_empty());
    assert_eq!(work.calls.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn two_sync_hosts_at_once_one_syncs_the_other_stops() {
    let p = Practice::new().await;
    let identity = registered(&p).await;
    p.connect("ann").await.request_sync(None).await.unwrap();

    let first = SyncHostLock::acquire(&p.owner, "server-1 pid 100").await.expect("first takes the lock");
    // A second sync host, even from another pool (another process would be the same).
    let other = switchboard_practice::PracticeDb::open(&p.pg.owner_url).await.unwrap();
    let store = MemoryCredentialStore::default();
    let work = Recorder::default();
    let error = run(&other, &identity, &store, &work, "server-2 pid 200").await.unwrap_err();
    let Error::AnotherSyncHost { holder } = &error else { panic!("{error:?}") };
    assert!(holder.contains("server-1 pid 100"), "{holder}");
    assert!(
        error.to_string().starts_with("Another sync host (server-1 pid 100")
            && error.to_string().ends_with("this one stops."),
        "{error}"
    );
    assert!(work.calls.lock().unwrap().is_empty(), "the second did not sync");

    // Both try at the same moment: exactly one wins.
    drop(first);
    released(&p).await;
    let (a, b) = tokio::join!(SyncHostLock::acquire(&p.owner, "a"), SyncHostLock::acquire(&other, "b"));
    assert!(a.is_ok() != b.is_ok(), "exactly one holds the lock");
    drop((a, b));
    released(&p).await;
    // Once the holder is gone (its connection closed), the next one runs.
    let report = run(&other, &identity, &store, &work, "server-2 pid 201").await.expect("runs");
    assert_eq!(report.done.len(), 1);
}

#[tokio::test]
async fn a_request_left_running_by_a_killed_sync_host_is_worked_again() {
    let p = Practice::new().await;
    let identity = registered(&p).await;
    let id = p.connect("ann").await.request_sync(None).await.unwrap();
    // As a sync host killed mid-sync leaves it.
    let owner_raw = support::raw(&p.pg.owner_url).await;
    owner_raw.execute("UPDATE sync_requests SET state = 'running', done = 1 WHERE id = $1", &[&id]).await.unwrap();
    let work = Recorder::default();
    let report = run(&p.owner, &identity, &MemoryCredentialStore::default(), &work, "h").await.unwrap();
    assert_eq!(report.requeued, 1);
    assert_eq!(report.done, [id]);
}

#[tokio::test]
async fn a_run_with_a_key_other_than_the_registered_one_refuses() {
    let p = Practice::new().await;
    registered(&p).await;
    let stranger = SyncHostIdentity::generate();
    let error =
        run(&p.owner, &stranger, &MemoryCredentialStore::default(), &Recorder::default(), "h").await.unwrap_err();
    assert!(error.to_string().contains("is not the registered one"), "{error}");
}

#[tokio::test]
async fn listeners_are_notified_of_new_requests_and_their_progress() {
    let p = Practice::new().await;
    let identity = registered(&p).await;
    // Bob's desktop listens, on a connection of its own.
    let (client, mut connection) =
        tokio_postgres::connect(&p.pg.url_as("bob", &p.bob), tokio_postgres::NoTls).await.unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(tokio_postgres::AsyncMessage::Notification(n))) => {
                    tx.send((n.channel().to_owned(), n.payload().to_owned())).ok();
                }
                Some(Ok(_)) => {}
                _ => break,
            }
        }
    });
    client.batch_execute(&format!("LISTEN {SYNC_CHANNEL}")).await.unwrap();

    let id = p.connect("ann").await.request_sync(Some(p.alpha)).await.unwrap();
    let next = async |rx: &mut tokio::sync::mpsc::UnboundedReceiver<(String, String)>| {
        let (channel, payload) =
            tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.expect("a notification").unwrap();
        assert_eq!(channel, SYNC_CHANNEL);
        payload
    };
    let inserted = next(&mut rx).await;
    assert!(inserted.contains(&format!("\"request\" : {id}")) && inserted.contains("\"requested\""), "{inserted}");

    run(&p.owner, &identity, &MemoryCredentialStore::default(), &Recorder::default(), "h").await.unwrap();
    let mut payloads = Vec::new();
    for _ in 0..4 {
        payloads.push(next(&mut rx).await);
    }
    assert!(payloads[0].contains("\"running\""), "{payloads:?}");
    assert!(payloads[1].contains("\"done\" : 1") && payloads[1].contains("\"total\" : 2"), "{payloads:?}");
    assert!(payloads[2].contains("\"done\" : 2"), "{payloads:?}");
    assert!(payloads[3].contains("\"state\" : \"done\""), "{payloads:?}");
}

#[tokio::test]
async fn a_sync_host_that_stays_up_works_what_arrives_at_once() {
    let p = Practice::new().await;
    let identity = registered(&p).await;
    let store = MemoryCredentialStore::default();
    let work = Recorder::default();
    let ann = p.connect("ann").await;
    let owner_raw = support::raw(&p.pg.owner_url).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    // An hour between rounds: only the notifications can wake it within the test.
    let serving = serve(&p.owner, &identity, &store, &work, "server-1 pid 7", Duration::from_secs(3600), async {
        stopped.await.ok();
    });
    let driving = async {
        let listening = async || -> i64 {
            owner_raw
                .query_one("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN switchboard_sync%'", &[])
                .await
                .unwrap()
                .get(0)
        };
        tokio::time::timeout(Duration::from_secs(10), async {
            while listening().await == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the sync host listens");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let request = ann.request_sync(None).await.unwrap();
        tokio::time::timeout(Duration::from_secs(10), async {
            while ann.sync_requests(1).await.unwrap()[0].state != SyncState::Done {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the request is worked without waiting for the next round");
        let handover = ann.offer_token_set(&[p.alpha], &Secret::new("{\"refresh_token\":\"w\"}")).await.unwrap();
        tokio::time::timeout(Duration::from_secs(10), async {
            while store.get(&token_set_key(&p.owner, handover)).unwrap().is_none() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("the hand-over is taken at once");
        // Another sync host meanwhile stops.
        let other = switchboard_practice::PracticeDb::open(&p.pg.owner_url).await.unwrap();
        let error = run(&other, &identity, &MemoryCredentialStore::default(), &Recorder::default(), "server-2")
            .await
            .unwrap_err();
        assert!(matches!(error, Error::AnotherSyncHost { .. }), "{error:?}");
        stop.send(()).unwrap();
        (request, handover)
    };
    let (report, (request, handover)) = tokio::join!(serving, driving);
    let report = report.expect("served");
    assert_eq!(report.done, [request]);
    assert_eq!(report.handovers.taken, [handover]);
    released(&p).await;
}
