//! Every command the window can call, one module per feature. A command is declared once, as a
//! `#[tauri::command]` function here; the build script (`build/`) makes from these files the
//! handler list, the `allow-<command>` permissions, one permission set per module (named after
//! it) and the window's capability, and the typed functions in `ui/src/lib/commands.ts`. Events
//! are declared here too, as `const NAME: Event<Payload>`.

pub mod access;
pub mod cache;
pub mod clients;
pub mod console;
pub mod mail;
pub mod reports;
pub mod settings;
pub mod updates;
pub mod xero;
pub mod xpm;
