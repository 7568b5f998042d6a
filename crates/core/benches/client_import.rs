//! Client import benchmark: 15,000 XPM clients becoming client files, and a 15,000-line CSV list.
//! Prints figures; asserts only that everything arrived.
//!
//! Run: `cargo bench -p switchboard-core --bench client_import`.
//!
//! The XPM practice comes from the simulator's generator (seed 1): its current clients (exactly
//! 15,000 are kept) and, beside them, its archived, deleted and prospect clients, all in the cache
//! on disk as a full XPM load leaves them. Timed, on a fresh cache each run: the preview (read the
//! cached clients and the files, decide each), the import (the same, then one transaction writing
//! 15,000 files and their audit entries), and the same import again (nothing new). Then a CSV file
//! of 15,000 lines (name, software, XPM client code, quoted where needed) previewed and imported.

use std::time::{Duration, Instant};

use switchboard_core::Cache;
use switchboard_core::clients::{csv_import, xpm_import};
use switchboard_core::model::UnixMillis;
use switchboard_core::xpm::XpmClientRecord;

const CLIENTS: usize = 15_000;
const RUNS: usize = 5;

fn practice() -> Vec<XpmClientRecord> {
    let data = xero_sim::generate(1, 100, 1);
    let practice = xero_sim::xpm::generate_practice(1, &data.orgs, CLIENTS * 5 / 4, UnixMillis::now().0);
    let mut current = 0;
    practice
        .clients
        .iter()
        .filter(|c| {
            let importable = !c.is_archived && !c.is_deleted && !c.is_prospect;
            current += usize::from(importable);
            !importable || current <= CLIENTS
        })
        .map(|c| XpmClientRecord {
            uuid: c.uuid.to_string(),
            name: c.name.clone(),
            email: c.email.clone(),
            tax_number: c.masked_tax_number(),
            client_code: c.client_code.clone(),
            prospect: c.is_prospect,
            archived: c.is_archived,
            deleted: c.is_deleted,
            web_url: Some(c.web_url()),
        })
        .collect()
}

fn csv_file(records: &[XpmClientRecord]) -> Vec<u8> {
    let mut out = String::from("Name,Software,XPM client code\r\n");
    let software = ["Xero", "QuickBooks Online", "MYOB", "None", "Other: Reckon"];
    let mut codes = std::collections::HashSet::new();
    for (i, r) in records.iter().filter(|r| !r.archived && !r.deleted && !r.prospect).enumerate() {
        // A code twice in XPM would make the second line a duplicate: leave it out.
        let code = r.client_code.as_deref().filter(|c| codes.insert(c.to_owned())).unwrap_or("");
        let name = format!("{} {i}", r.name.trim()).replace('"', "\"\"");
        out.push_str(&format!("\"{name}\",{},{code}\r\n", software[i % software.len()]));
    }
    out.into_bytes()
}

fn stats(mut xs: Vec<Duration>) -> (f64, f64) {
    xs.sort();
    (xs[0].as_secs_f64() * 1e3, xs[xs.len() / 2].as_secs_f64() * 1e3)
}

fn main() {
    let records = practice();
    let csv = csv_file(&records);
    let (mut preview, mut import, mut again, mut csv_preview, mut csv_import_t) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut skipped = 0;
    for _ in 0..RUNS {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
        cache.upsert_xpm_records(&records).unwrap();

        let started = Instant::now();
        let plan = xpm_import::plan(&cache).unwrap();
        preview.push(started.elapsed());
        assert_eq!(plan.preview.to_add as usize, CLIENTS);
        skipped = plan.preview.cached - plan.preview.to_add;

        let started = Instant::now();
        let outcome = xpm_import::import(&mut cache).unwrap();
        import.push(started.elapsed());
        assert_eq!(outcome.added as usize, CLIENTS);

        let started = Instant::now();
        assert_eq!(xpm_import::import(&mut cache).unwrap().added, 0);
        again.push(started.elapsed());

        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
        cache.upsert_xpm_records(&records).unwrap();
        let started = Instant::now();
        let plan = csv_import::plan(&cache, &csv).unwrap();
        csv_preview.push(started.elapsed());
        assert_eq!(
            (plan.preview.ready as usize, plan.preview.with_errors),
            (CLIENTS, 0),
            "{:?}",
            plan.preview.problems.first()
        );
        let started = Instant::now();
        assert_eq!(csv_import::import(&mut cache, &csv).unwrap().added as usize, CLIENTS);
        csv_import_t.push(started.elapsed());
    }
    let p = stats(preview);
    let i = stats(import);
    let a = stats(again);
    println!(
        "client import: {CLIENTS} current XPM clients (+{skipped} archived, deleted or prospects) in the cache; {RUNS} runs, fresh cache each"
    );
    println!("client import: XPM preview: min {:.1} ms, median {:.1} ms", p.0, p.1);
    println!(
        "client import: XPM import ({CLIENTS} files + audit entries, one transaction): min {:.1} ms, median {:.1} ms",
        i.0, i.1
    );
    println!("client import: XPM import again (nothing new): min {:.1} ms, median {:.1} ms", a.0, a.1);
    let cp = stats(csv_preview);
    let ci = stats(csv_import_t);
    println!(
        "client import: CSV of {CLIENTS} lines ({:.2} MB): preview min {:.1} ms, median {:.1} ms; import (check + one transaction) min {:.1} ms, median {:.1} ms",
        csv.len() as f64 / 1_048_576.0,
        cp.0,
        cp.1,
        ci.0,
        ci.1
    );
}
