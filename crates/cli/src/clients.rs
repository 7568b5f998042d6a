//! `switchboard add` and `switchboard import`: client files the practice brings in itself.
//! Names come from people, XPM or a CSV file, so every one is printed through
//! [`terminal::shown`].

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use switchboard_core::Cache;
use switchboard_core::clients::add::{AddClientOutcome, NewClient, add_client};
use switchboard_core::clients::xpm_import::{self, XpmImportPreview};
use switchboard_core::clients::{csv_import, software};

use crate::terminal::shown;

pub fn add(mut cache: Cache, name: &str, software_name: &str, xpm_client: Option<&str>) -> Result<ExitCode, String> {
    let software = software::from_cell(software_name).map_err(|e| e.to_string())?;
    let xpm_client_uuid = match xpm_client {
        None => None,
        Some(wanted) => Some(xpm_uuid(&cache, wanted)?),
    };
    let new = NewClient { name: name.to_owned(), software, xpm_client_uuid };
    // A name already in the list is not refused (two clients may share one): the warning is
    // printed and the file added, as a person typing the command asked for it.
    match add_client(&mut cache, &new, true).map_err(|e| e.to_string())? {
        AddClientOutcome::Added { file, warning } => {
            if let Some(warning) = warning {
                eprintln!("Warning: {}", shown(&warning));
            }
            println!(
                "Added {} ({}), not connected. Its id is {}.",
                shown(&file.display_name),
                shown(file.software.label()),
                file.id.0
            );
            Ok(ExitCode::SUCCESS)
        }
        AddClientOutcome::NeedsConfirmation { .. } => unreachable!("added with confirmation"),
    }
}

/// An XPM client by its client code or uuid.
fn xpm_uuid(cache: &Cache, wanted: &str) -> Result<String, String> {
    let records = cache.xpm_records().map_err(|e| e.to_string())?;
    records
        .iter()
        .find(|r| r.uuid == wanted)
        .or_else(|| records.iter().find(|r| r.client_code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(wanted.trim()))))
        .map(|r| r.uuid.clone())
        .ok_or_else(|| format!("No cached XPM client has the code or id \"{}\". Run `switchboard sync` to refresh XPM, or check the code.", shown(wanted)))
}

pub fn import_xpm(mut cache: Cache, yes: bool) -> Result<ExitCode, String> {
    if yes {
        let outcome = xpm_import::import(&mut cache).map_err(|e| e.to_string())?;
        println!("Imported {} client files from XPM (not connected).", outcome.added);
        return Ok(ExitCode::SUCCESS);
    }
    let p = xpm_import::plan(&cache).map_err(|e| e.to_string())?.preview;
    print_xpm_preview(&p);
    Ok(ExitCode::SUCCESS)
}

fn print_xpm_preview(p: &XpmImportPreview) {
    println!("{} of {} cached XPM clients would become client files (not connected).", p.to_add, p.cached);
    println!(
        "Skipped: {} already linked, {} archived, {} deleted, {} prospects, {} with unusable names.",
        p.already_linked, p.archived, p.deleted, p.prospects, p.unusable_names
    );
    if p.names_in_list > 0 {
        println!(
            "{} of them take a name a client file already has. If it is the same client, link that file to its XPM client first (Settings > Link XPM clients in the app) and preview again: otherwise the import adds a second file.",
            p.names_in_list
        );
    }
    if !p.first_rows.is_empty() {
        println!("First to add:");
        for r in &p.first_rows {
            let code = r.client_code.as_deref().map(|c| format!(" [{}]", shown(c))).unwrap_or_default();
            let note = if r.name_in_list { "  (name already in the list)" } else { "" };
            println!("  {}{code}{note}", shown(&r.name));
        }
    }
    if !p.first_skipped.is_empty() {
        println!("First skipped:");
        for s in &p.first_skipped {
            println!("  {}: {}", shown(&s.name), s.reason.label());
        }
    }
    if p.to_add > 0 {
        println!("Nothing was imported. Run `switchboard import --xpm --yes` to import.");
    }
}

pub fn import_csv(mut cache: Cache, path: &Path, yes: bool) -> Result<ExitCode, String> {
    let bytes = read_capped(path)?;
    if yes {
        let outcome = csv_import::import(&mut cache, &bytes).map_err(|e| e.to_string())?;
        println!("Imported {} client files from {} (not connected).", outcome.added, path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let p = csv_import::plan(&cache, &bytes).map_err(|e| e.to_string())?.preview;
    println!(
        "{} client lines (separator \"{}\"): {} ready, {} with errors, {} with warnings.",
        p.lines, p.separator, p.ready, p.with_errors, p.with_warnings
    );
    if !p.ignored_columns.is_empty() {
        let ignored: Vec<_> = p.ignored_columns.iter().map(|c| shown(c)).collect();
        println!("Columns ignored: {}", ignored.join(", "));
    }
    println!("First lines:");
    for l in &p.first_rows {
        let software = l.software.as_ref().map(|s| shown(s.label())).unwrap_or_else(|| "?".to_owned());
        let xpm = l.xpm_client.as_deref().map(|x| format!(", XPM: {}", shown(x))).unwrap_or_default();
        let state = match (&l.error, &l.warning) {
            (Some(e), _) => format!("  ERROR: {}", shown(e)),
            (None, Some(w)) => format!("  warning: {}", shown(w)),
            (None, None) => String::new(),
        };
        println!("  line {}: {} ({software}{xpm}){state}", l.line, shown(&l.name));
    }
    if p.with_errors > 0 {
        println!("Lines with errors:");
        for l in &p.problems {
            println!("  line {}: {}: {}", l.line, shown(&l.name), shown(l.error.as_deref().unwrap_or("")));
        }
        println!("Nothing was imported. Correct these lines, then preview again.");
        return Ok(ExitCode::FAILURE);
    }
    println!("Nothing was imported. Run `switchboard import --csv {} --yes` to import.", path.display());
    Ok(ExitCode::SUCCESS)
}

/// The file's bytes, refusing one over the import's size cap without reading all of it.
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("Could not open {}: {e}.", path.display()))?;
    // Said with the file's real size; the core's own check would only see the capped read.
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > csv_import::MAX_BYTES as u64 {
        return Err(format!(
            "{} is {:.1} MB; Switchboard imports client lists of up to {} MB. Split it into smaller files.",
            path.display(),
            size as f64 / 1_048_576.0,
            csv_import::MAX_BYTES / 1_048_576
        ));
    }
    let mut bytes = Vec::new();
    file.take(csv_import::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("Could not read {}: {e}.", path.display()))?;
    Ok(bytes)
}
