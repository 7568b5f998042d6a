//! The permission sets (one per feature) and the main window's capability.

use std::path::Path;

use crate::declarations::Feature;
use crate::write_if_changed;

/// Listening to the shell's own events; the window needs nothing else of Tauri's core.
const EVENT_PERMISSIONS: &[&str] = &["core:event:allow-listen", "core:event:allow-unlisten"];

pub fn write(features: &[Feature], permissions_dir: &Path, capability: &Path) {
    for feature in features {
        let allowed: Vec<String> =
            feature.commands.iter().map(|c| format!("  \"allow-{}\",\n", c.name.replace('_', "-"))).collect();
        let set = format!(
            "# Written by build/ from src/commands/{name}.rs: do not edit.\n\n[[set]]\nidentifier = \"{name}\"\ndescription = \"{description}\"\npermissions = [\n{allowed}]\n",
            name = feature.name,
            description = toml_escape(&feature.summary()),
            allowed = allowed.concat(),
        );
        write_if_changed(&permissions_dir.join(format!("{}.toml", feature.name)), &set);
    }
    let granted: Vec<&str> =
        features.iter().map(|f| f.name.as_str()).chain(EVENT_PERMISSIONS.iter().copied()).collect();
    let capability_json = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main",
        "description": "Written by build/ from src/commands: the main window may call Switchboard's own commands (one permission set per feature) and listen to its own events; nothing else: no core:default, no plugins.",
        "windows": ["main"],
        "permissions": granted,
    });
    let text = serde_json::to_string_pretty(&capability_json).expect("plain JSON") + "\n";
    write_if_changed(capability, &text);
}

fn toml_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
