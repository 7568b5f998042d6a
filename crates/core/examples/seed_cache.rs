//! Fills a cache with a made-up practice, through the core's own API, for end-to-end tests,
//! benchmarks and screenshots:
//!
//!     cargo run -p switchboard-core --example seed_cache -- CACHE_FILE [--files N] [--seed S] [--e2e]
//!         [--add NAME=SOFTWARE]...
//!
//! `--e2e` adds the hand-made files the end-to-end tests look for (see `e2e_files`). `--add` adds
//! a file that is not connected yet, as a practice adds one by hand, on SOFTWARE (`xero`,
//! `quickbooks_online`, `myob`, `none`, or another product's name).

use std::path::PathBuf;

use switchboard_core::Cache;
use switchboard_core::model::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().ok_or("usage: seed_cache CACHE_FILE [--files N] [--seed S] [--e2e]")?);
    let (mut count, mut seed, mut e2e) = (0usize, 1u64, false);
    let mut added = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--files" => count = args.next().ok_or("--files needs a number")?.parse()?,
            "--seed" => seed = args.next().ok_or("--seed needs a number")?.parse()?,
            "--e2e" => e2e = true,
            "--add" => {
                let given = args.next().ok_or("--add needs NAME=SOFTWARE")?;
                let (name, software) = given.rsplit_once('=').ok_or("--add needs NAME=SOFTWARE")?;
                added.push(ClientFileDraft {
                    software: AccountingSoftware::from_code(software),
                    ..ClientFileDraft::named(name)
                });
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let mut cache = Cache::open(&path)?;
    let (mut xpm, mut files) = switchboard_core::fixtures::practice(count, seed);
    if e2e {
        let (e2e_xpm, e2e_files) = e2e_files();
        xpm.extend(e2e_xpm);
        files.extend(e2e_files);
    }
    files.extend(added);
    cache.upsert_xpm_clients(&xpm)?;
    cache.upsert_files(&files)?;
    println!("{} client files in {}", cache.list_files()?.len(), path.display());
    Ok(())
}

/// Files with known states that the end-to-end tests assert on, by name.
fn e2e_files() -> (Vec<XpmClient>, Vec<ClientFileDraft>) {
    let now = UnixMillis::now().0;
    let synced = SyncRecord {
        last_success_at: Some(UnixMillis(now - 5 * 60_000)),
        last_attempt_at: Some(UnixMillis(now - 5 * 60_000)),
        last_error: None,
    };
    let xero = |tenant: &str, short: &str| {
        Some(XeroIds {
            tenant_id: tenant.to_owned(),
            connection_id: Some(format!("conn-{tenant}")),
            short_code: Some(short.to_owned()),
        })
    };
    let xpm = vec![XpmClient {
        uuid: "e2e-xpm-acme".to_owned(),
        name: "Acme Plumbing".to_owned(),
        web_url: Some("https://practicemanager.xero.com/Client/424242/Detail".to_owned()),
        archived: false,
        deleted: false,
    }];
    let files = vec![
        ClientFileDraft {
            remote_name: Some("Acme Plumbing Limited".to_owned()),
            software: AccountingSoftware::Xero,
            connection: ConnectionState::Connected,
            payroll: ServiceState::Connected,
            fixed_assets: ServiceState::Unavailable { reason: UnavailableReason::NotSubscribed },
            xero: xero("e2e-tenant-acme", "!Acme1"),
            xpm_client_uuid: Some("e2e-xpm-acme".to_owned()),
            sync: synced.clone(),
            ..ClientFileDraft::named("Acme Plumbing Ltd")
        },
        ClientFileDraft {
            software: AccountingSoftware::Xero,
            connection: ConnectionState::NeedsReconnect {
                reason: "The refresh token expired after 60 days without use.".to_owned(),
            },
            payroll: ServiceState::Unavailable { reason: UnavailableReason::ScopeNotGranted },
            fixed_assets: ServiceState::Connected,
            xero: xero("e2e-tenant-beacon", "!Bcn22"),
            sync: synced.clone(),
            ..ClientFileDraft::named("Beacon Dental")
        },
        ClientFileDraft { software: AccountingSoftware::QuickbooksOnline, ..ClientFileDraft::named("Cobalt Cafe") },
        ClientFileDraft {
            software: AccountingSoftware::Xero,
            connection: ConnectionState::Connected,
            payroll: ServiceState::DisconnectedByStaff,
            fixed_assets: ServiceState::Connected,
            xero: xero("e2e-tenant-delta", "!Dlt33"),
            sync: SyncRecord {
                last_attempt_at: Some(UnixMillis(now - 60_000)),
                last_error: Some("Xero answered 503 Service Unavailable.".to_owned()),
                ..synced.clone()
            },
            ..ClientFileDraft::named("Delta Joinery")
        },
        ClientFileDraft { software: AccountingSoftware::Myob, ..ClientFileDraft::named("Ember & Co") },
        ClientFileDraft {
            software: AccountingSoftware::Xero,
            connection: ConnectionState::Connected,
            payroll: ServiceState::Connected,
            fixed_assets: ServiceState::Connected,
            xero: xero("e2e-tenant-hostile", "!Hst44"),
            sync: synced,
            ..ClientFileDraft::named("<img src=x onerror=alert(1)>")
        },
    ];
    (xpm, files)
}
