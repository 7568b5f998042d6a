//! Practice mode's figures (docs/performance.md), against a PostgreSQL of its own
//! (scripts/postgres, in a temporary folder, stopped at the end):
//!
//!     cargo run --release -p switchboard-practice --example practice_bench -- [--files N] [--moves M] [--runs R] [--explain]
//!
//! (a) Moving a Solo cache of N files (default 10,000; made through the core's API, with console
//!     settings, console users, Xero users and audit entries on some files) into a new practice
//!     database, M times (default 3), each into a database of its own.
//! (b) The table query (every file the person may see, with what the table shows) R times
//!     (default 50) each: as the owner (no row-level security), as a staff member with access to
//!     all files, and as one with half the files selected (against the owner listing the same
//!     files), with median, 95th percentile and the ratios. `--explain` prints EXPLAIN ANALYZE of
//!     each.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{TestPostgres, add_staff, raw};
use switchboard_core::Cache;
use switchboard_core::access::users::XeroUser;
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use switchboard_practice::PracticeDb;

/// What the client table shows of each file: name, software, Xero tenant, version, its XPM link
/// and whether its console is on, by name.
const TABLE_QUERY: &str = "SELECT f.id, f.display_name, f.software, f.xero_tenant_id, f.version,
       l.xpm_client_uuid, l.xpm_client_name, c.enabled
FROM client_files f
LEFT JOIN xpm_links l ON l.file_id = f.id
LEFT JOIN console_settings c ON c.file_id = f.id
{where}
ORDER BY lower(f.display_name), f.id";

fn table_query(filter: &str) -> String {
    TABLE_QUERY.replace("{where}", filter)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (mut files, mut moves, mut runs, mut explain) = (10_000usize, 3usize, 50usize, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--files" => files = args.next().ok_or("--files needs a number")?.parse()?,
            "--moves" => moves = args.next().ok_or("--moves needs a number")?.parse()?,
            "--runs" => runs = args.next().ok_or("--runs needs a number")?.parse()?,
            "--explain" => explain = true,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let dir = tempfile::tempdir()?;
    let cache_path = dir.path().join("solo.sqlite3");
    let seeded = Instant::now();
    seed(&cache_path, files)?;
    println!("Solo cache of {files} files made in {:.1} s", seeded.elapsed().as_secs_f64());

    let pg = TestPostgres::start().await;
    let admin = raw(&pg.owner_url.replace("/practice", "/postgres")).await;
    let mut times = Vec::new();
    for n in 0..moves.max(1) {
        let name = if n == 0 { "practice".to_owned() } else { format!("practice_{n}") };
        if n > 0 {
            admin.batch_execute(&format!("CREATE DATABASE {name}")).await?;
        }
        let url = pg.owner_url.replace("/practice", &format!("/{name}"));
        switchboard_practice::init(&url).await?;
        let owner = PracticeDb::open(&url).await?;
        let started = Instant::now();
        let report = owner.move_in(&cache_path).await?;
        let took = started.elapsed();
        println!(
            "(a) move-in {}: {:.2} s ({})",
            n + 1,
            took.as_secs_f64(),
            switchboard_practice::move_in_summary(&report)
        );
        times.push(took);
    }
    times.sort();
    println!("(a) move-in of {files} files: median {:.2} s over {} runs", secs(times[times.len() / 2]), times.len());

    // (b) on the first database.
    let owner_db = pg.init().await;
    let everyone_pw = add_staff(&owner_db, "everyone", false).await;
    let half_pw = add_staff(&owner_db, "half", false).await;
    owner_db.set_access("everyone", switchboard_practice::AccessMode::All).await?;
    let owner = raw(&pg.owner_url).await;
    owner.batch_execute("SELECT practice_grant_file('half', id, NULL) FROM client_files WHERE id % 2 = 0").await?;
    owner.batch_execute("ANALYZE").await?;
    let everyone = raw(&pg.url_as("everyone", &everyone_pw)).await;
    let half = raw(&pg.url_as("half", &half_pw)).await;
    let all_rows = table_query("");
    let half_rows = table_query("WHERE f.id IN (SELECT file_id FROM file_grants WHERE staff_role = 'half')");
    let cases: [(&str, &tokio_postgres::Client, &str); 4] = [
        ("owner, every file (no RLS)", &owner, &all_rows),
        ("staff, access all (RLS)", &everyone, &all_rows),
        ("owner, the selected half (no RLS)", &owner, &half_rows),
        ("staff, selected half (RLS)", &half, &all_rows),
    ];
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut counts = vec![0usize; cases.len()];
    let mut statements = Vec::new();
    for (_, client, sql) in &cases {
        statements.push(client.prepare(sql).await?);
    }
    // Warm up, then interleave the cases so that the machine's noise falls on all alike.
    for round in 0..runs + 5 {
        for (i, (_, client, _)) in cases.iter().enumerate() {
            let started = Instant::now();
            let rows = client.query(&statements[i], &[]).await?;
            if round >= 5 {
                samples[i].push(started.elapsed());
            }
            counts[i] = rows.len();
        }
    }
    let mut medians = Vec::new();
    for (i, (label, _, _)) in cases.iter().enumerate() {
        samples[i].sort();
        let median = samples[i][samples[i].len() / 2];
        let p95 = samples[i][(samples[i].len() * 95).div_ceil(100) - 1];
        println!(
            "(b) {label:<36} {:>6} rows: median {:>6.1} ms, p95 {:>6.1} ms ({runs} runs)",
            counts[i],
            ms(median),
            ms(p95)
        );
        medians.push(median);
    }
    println!("(b) ratio, access all / owner:                 {:.2}", ratio(medians[1], medians[0]));
    println!("(b) ratio, selected half / owner, same files:  {:.2}", ratio(medians[3], medians[2]));
    println!("(b) ratio, selected half / owner, every file:  {:.2}", ratio(medians[3], medians[0]));
    if explain {
        for (label, client, sql) in &cases {
            println!("\n-- {label}");
            for row in client.query(&format!("EXPLAIN (ANALYZE, BUFFERS) {sql}"), &[]).await? {
                println!("{}", row.get::<_, String>(0));
            }
        }
    }
    Ok(())
}

/// A Solo cache of `count` files through the core's API: the fixture practice (about two thirds
/// linked to XPM), console settings and two console users on every 97th file, four Xero users on
/// every 13th, a rename (an audit entry) on every 50th.
fn seed(path: &Path, count: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut cache = Cache::open(path)?;
    let (xpm, drafts) = switchboard_core::fixtures::practice(count, 7);
    cache.upsert_xpm_clients(&xpm)?;
    cache.upsert_files(&drafts)?;
    let files = cache.list_files()?;
    for (n, file) in files.iter().enumerate() {
        if n % 97 == 0 {
            let settings =
                ConsoleSettings { enabled: true, key_reports: true, action_items: true, cadence: PackCadence::Monthly };
            cache.save_console_settings(file.id, &settings)?;
            for (k, role) in [ConsoleRole::Owner, ConsoleRole::Viewer].into_iter().enumerate() {
                let email = format!("p{k}.{n}@client.example");
                cache.add_console_user(file.id, &ConsoleUserDraft { name: format!("Person {k}"), email, role })?;
            }
        }
        if n % 13 == 0 {
            let users: Vec<XeroUser> = (0..4)
                .map(|k| XeroUser {
                    user_id: format!("u{n}-{k}"),
                    first_name: "Xero".into(),
                    last_name: format!("User {k}"),
                    email: format!("x{k}.{n}@client.example"),
                    role: "STANDARD".into(),
                    is_subscriber: k == 0,
                })
                .collect();
            cache.replace_xero_users(file.id, &users)?;
        }
        if n % 50 == 0 {
            cache.rename_file(file.id, &format!("{} (renamed)", file.display_name))?;
        }
    }
    Ok(())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
