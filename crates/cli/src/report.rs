//! `switchboard report <client> <report> [--csv | --save] [--refresh]`: one of a client's key
//! reports from the cache (readable offline), as a table, as CSV, or saved as a CSV file;
//! `--refresh` fetches it from Xero first.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use switchboard_core::Cache;
use switchboard_core::credential_store::os_store_from_env;
use switchboard_core::exports::export_dir;
use switchboard_core::model::UnixMillis;
use switchboard_core::reports::csv::{report_csv, save_report_csv};
use switchboard_core::reports::model::{CachedReport, Report, ReportKind};
use switchboard_core::reports::{client_reports, find_client};
use switchboard_core::xero::context::XeroContext;

pub enum Output {
    Table,
    Csv,
    /// A CSV file in the Downloads folder, named after the client.
    SavedCsv,
}

pub fn run(
    cache: Cache,
    cache_path: &Path,
    client: &str,
    report: &str,
    output: Output,
    refresh: bool,
) -> Result<ExitCode, String> {
    let kind = ReportKind::from_code(report).ok_or_else(|| {
        let names: Vec<&str> = ReportKind::ALL.iter().map(|k| k.code()).collect();
        format!("There is no report called \"{}\". Choose one of: {}.", report.trim(), names.join(", "))
    })?;
    let file = find_client(&cache, client).map_err(|e| e.to_string())?;
    let cache = if refresh {
        let store = Arc::new(os_store_from_env().map_err(|e| e.to_string())?);
        let lock_dir = cache_path.parent().unwrap_or(Path::new(".")).join("locks");
        let shared = Arc::new(Mutex::new(cache));
        let ctx = XeroContext::from_settings(shared.clone(), store, lock_dir).map_err(|e| e.to_string())?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("Could not start: {e}"))?;
        let result = runtime.block_on(ctx.refresh_reports_today(file.id)).map_err(|e| e.to_string())?;
        if let Some(failure) = result.failed.iter().find(|f| f.kind == kind) {
            eprintln!("switchboard: could not refresh it ({}); showing the cached copy.", failure.reason);
        }
        if result.not_allowed.contains(&kind) {
            eprintln!("switchboard: this connection is not allowed to read reports yet; use Allow reports in the app.");
        }
        drop(ctx);
        Arc::try_unwrap(shared).ok().and_then(|m| m.into_inner().ok()).ok_or("The cache is still in use.")?
    } else {
        cache
    };
    let reports = client_reports(&cache, file.id).map_err(|e| e.to_string())?;
    let cached: CachedReport = reports.reports.into_iter().find(|r| r.kind == kind).expect("every kind is listed");
    let Some(report) = &cached.report else {
        return Err(format!(
            "No {} is cached for {} yet{}. Run this again with --refresh, or open the client's Reports in the app and refresh.",
            kind.title(),
            file.display_name,
            cached.last_error.as_deref().map(|e| format!(" (the last refresh failed: {e})")).unwrap_or_default()
        ));
    };
    let mut out = std::io::stdout().lock();
    let printed = match output {
        Output::Table => print_table(report, &cached, &mut out),
        Output::Csv => report_csv(report, &mut out),
        Output::SavedCsv => {
            let path = save_report_csv(&file.display_name, kind, report, &export_dir().map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let mut cache = cache;
            let saved = format!("{} saved to {}", kind.title(), path.display());
            cache.record_file_change(file.id, "export_report", Some(&saved)).map_err(|e| e.to_string())?;
            writeln!(out, "Saved {}", path.display())
        }
    };
    match printed {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => other.map(|()| ExitCode::SUCCESS).map_err(|e| e.to_string()),
    }
}

fn print_table(report: &Report, cached: &CachedReport, mut out: impl Write) -> std::io::Result<()> {
    let clean = crate::terminal::shown;
    for title in &report.titles {
        writeln!(out, "{}", clean(title))?;
    }
    let as_of = cached.fetched_at.map(UnixMillis::to_rfc3339).unwrap_or_default();
    writeln!(
        out,
        "as of {as_of}{}",
        cached.currency.as_deref().map(|c| format!(", amounts in {c}")).unwrap_or_default()
    )?;
    let label_width = report
        .lines()
        .iter()
        .map(|(_, r)| r.cells().first().map_or(0, |c| c.text.chars().count()))
        .max()
        .unwrap_or(0)
        .clamp(10, 48);
    let header: Vec<String> = report.columns.iter().skip(1).map(|c| format!("{:>14}", clean(c))).collect();
    writeln!(out, "{:<label_width$}  {}", "", header.join(" "))?;
    let mut section = "";
    for (title, row) in report.lines() {
        if title != section && !title.is_empty() {
            writeln!(out, "{}", clean(title))?;
        }
        section = title;
        let cells = row.cells();
        let label: String =
            cells.first().map(|c| clean(&c.text)).unwrap_or_default().chars().take(label_width).collect();
        let values: Vec<String> = cells.iter().skip(1).map(|c| format!("{:>14}", clean(&c.text))).collect();
        writeln!(out, "{label:<label_width$}  {}", values.join(" "))?;
    }
    Ok(())
}
