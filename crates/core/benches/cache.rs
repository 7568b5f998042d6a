//! Cache benchmarks against their bars (run: `cargo bench -p switchboard-core --bench cache`).
//!
//! - write 10,000 client files in one transaction (bar: 50 ms)
//! - load and serialise 10,000 rows for the table, as the shell sends them (bar: 15 ms)
//! - the same 10,000 files written again over themselves, and 1,000 of them deleted one by one
//!   (no bar: what `secure_delete` costs shows here)
//!
//! Each figure is the median of several runs on a file-backed cache in a temporary folder.

use std::time::{Duration, Instant};

use switchboard_core::Cache;
use switchboard_core::clients::table::FIRST_ROWS;
use switchboard_core::model::{ClientFileDraft, UnixMillis};

const FILES: usize = 10_000;
fn runs() -> usize {
    std::env::var("BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(15)
}

fn main() {
    let (xpm, drafts) = switchboard_core::fixtures::practice(FILES, 7);

    let mut writes = Vec::new();
    for _ in 0..runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite3");
        // The XPM clients are written, and the cache closed (folding its log into the file),
        // before the timed write: otherwise the background checkpoint of this setup would run
        // during it.
        Cache::open(&path).unwrap().upsert_xpm_clients(&xpm).unwrap();
        let mut cache = Cache::open(&path).unwrap();
        let start = Instant::now();
        cache.upsert_files(&drafts).unwrap();
        writes.push(start.elapsed());
    }

    // The same files written again over themselves (every row replaced in place, as a sync that
    // changed names does), then a tenth of them deleted one by one (as staff delete clients):
    // the writes `secure_delete` makes overwrite what they free.
    let (mut rewrites, mut deletes) = (Vec::new(), Vec::new());
    for _ in 0..runs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite3");
        let mut cache = Cache::open(&path).unwrap();
        cache.upsert_xpm_clients(&xpm).unwrap();
        let ids = cache.upsert_files(&drafts).unwrap();
        drop(cache);
        let mut cache = Cache::open(&path).unwrap();
        let renamed: Vec<_> = drafts
            .iter()
            .map(|d| ClientFileDraft { display_name: format!("{} (renamed)", d.display_name), ..d.clone() })
            .collect();
        let start = Instant::now();
        cache.upsert_files(&renamed).unwrap();
        rewrites.push(start.elapsed());
        let targets: Vec<_> = ids
            .iter()
            .step_by(10)
            .map(|id| {
                let name = cache.file(*id).unwrap().display_name;
                cache.deletion_target(*id, &name).unwrap()
            })
            .collect();
        let start = Instant::now();
        for target in &targets {
            cache.delete_client_file(target, "benchmark").unwrap();
        }
        deletes.push(start.elapsed());
    }

    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    cache.upsert_xpm_clients(&xpm).unwrap();
    cache.upsert_files(&drafts).unwrap();
    // What the screen loads: the rows written as JSON as they are read (`client_table_json`).
    let mut totals = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs() {
        let start = Instant::now();
        let json = cache.client_table_json(UnixMillis::now()).unwrap();
        totals.push(start.elapsed());
        bytes = json.len();
    }
    // What the screen paints first while the whole table loads (`client_table_head_json`).
    let mut heads = Vec::new();
    let mut head_bytes = 0;
    for _ in 0..runs() {
        let start = Instant::now();
        let json = cache.client_table_head_json(FIRST_ROWS, UnixMillis::now()).unwrap();
        heads.push(start.elapsed());
        head_bytes = json.len();
    }
    // The same files as `ClientFile`s serialised by serde, for comparison.
    let (mut loads, mut serialises) = (Vec::new(), Vec::new());
    let mut file_bytes = 0;
    for _ in 0..runs() {
        let start = Instant::now();
        let table = cache.client_table().unwrap();
        let loaded = start.elapsed();
        let json = serde_json::to_vec(&table).unwrap();
        assert_eq!(table.files.len(), FILES);
        file_bytes = json.len();
        loads.push(loaded);
        serialises.push(start.elapsed() - loaded);
    }

    println!("cache benchmark: {FILES} client files, median of {} runs", runs());
    report("write (one transaction)", writes, 50.0);
    report("rewrite every file", rewrites, f64::NAN);
    report("delete 1,000 one by one", deletes, f64::NAN);
    report("load + serialise (table)", totals, 15.0);
    println!("  table payload: {:.2} MiB of JSON", bytes as f64 / 1024.0 / 1024.0);
    report("first rows + summary", heads, f64::NAN);
    println!("  first {FIRST_ROWS} rows by name: {:.1} KiB of JSON", head_bytes as f64 / 1024.0);
    report("load as ClientFiles", loads, f64::NAN);
    report("serialise ClientFiles", serialises, f64::NAN);
    println!("  as ClientFiles: {:.2} MiB of JSON", file_bytes as f64 / 1024.0 / 1024.0);
}

fn report(what: &str, mut times: Vec<Duration>, bar_ms: f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let verdict = if bar_ms.is_nan() {
        String::new()
    } else if median <= bar_ms {
        format!("  (bar {bar_ms} ms: met)")
    } else {
        format!("  (bar {bar_ms} ms: NOT met)")
    };
    println!(
        "  {what:<24} median {median:7.2} ms  min {:7.2} ms  max {:7.2} ms{verdict}",
        ms(times[0]),
        ms(*times.last().unwrap())
    );
}
