// Written by src-tauri/build from the declarations in src-tauri/src/commands: do not edit.
// Each function calls one command of the shell; a failed call rejects with an `ErrorPayload`.
import type { UnlistenFn } from "@tauri-apps/api/event";
import type { AddClientOutcome } from "../bindings/AddClientOutcome";
import type { AllReportsRefresh } from "../bindings/AllReportsRefresh";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { CacheStatus } from "../bindings/CacheStatus";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientFile } from "../bindings/ClientFile";
import type { ClientReports } from "../bindings/ClientReports";
import type { ClientTablePayload } from "../bindings/ClientTablePayload";
import type { ConnectSummary } from "../bindings/ConnectSummary";
import type { ConsoleSettings } from "../bindings/ConsoleSettings";
import type { ConsoleUser } from "../bindings/ConsoleUser";
import type { ConsoleUserDraft } from "../bindings/ConsoleUserDraft";
import type { CsvExport } from "../bindings/CsvExport";
import type { CsvImportPreview } from "../bindings/CsvImportPreview";
import type { DeletedClient } from "../bindings/DeletedClient";
import type { EgressUsage } from "../bindings/EgressUsage";
import type { FileConnectOutcome } from "../bindings/FileConnectOutcome";
import type { FileId } from "../bindings/FileId";
import type { FreshCache } from "../bindings/FreshCache";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { Leftover } from "../bindings/Leftover";
import type { MailSettings } from "../bindings/MailSettings";
import type { MailStatus } from "../bindings/MailStatus";
import type { NewClient } from "../bindings/NewClient";
import type { OpenedLink } from "../bindings/OpenedLink";
import type { PackDelivery } from "../bindings/PackDelivery";
import type { PackPreview } from "../bindings/PackPreview";
import type { ReconnectQueue } from "../bindings/ReconnectQueue";
import type { ReportInsight } from "../bindings/ReportInsight";
import type { ReportsRefresh } from "../bindings/ReportsRefresh";
import type { StaffAccess } from "../bindings/StaffAccess";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { SyncReport } from "../bindings/SyncReport";
import type { UpdateInfo } from "../bindings/UpdateInfo";
import type { UpdateStatus } from "../bindings/UpdateStatus";
import type { UserAccess } from "../bindings/UserAccess";
import type { UserAccessRefresh } from "../bindings/UserAccessRefresh";
import type { XeroAppSettings } from "../bindings/XeroAppSettings";
import type { XeroStatus } from "../bindings/XeroStatus";
import type { XpmClientRecord } from "../bindings/XpmClientRecord";
import type { XpmImportPreview } from "../bindings/XpmImportPreview";
import type { XpmLinkChoice } from "../bindings/XpmLinkChoice";
import type { XpmRefreshReport } from "../bindings/XpmRefreshReport";
import type { XpmReview } from "../bindings/XpmReview";
import type { XpmStatus } from "../bindings/XpmStatus";
import type { XpmSuggestion } from "../bindings/XpmSuggestion";
import { call, listenTo } from "./invoke";

// ---- access: Who can reach each organisation in Xero, and every file one staff member's email reaches.

/** Who can reach the organisation, as last fetched (works offline). */
export function userAccess(id: FileId): Promise<UserAccess> {
  return call<UserAccess>("user_access", { id });
}

/** Asks Xero again (the session is not held while Xero answers). */
export function refreshUserAccess(id: FileId): Promise<UserAccess> {
  return call<UserAccess>("refresh_user_access", { id });
}

/** Asks Xero for the users of every connected file (the practice-wide report's data). */
export function refreshAllUserAccess(): Promise<UserAccessRefresh> {
  return call<UserAccessRefresh>("refresh_all_user_access");
}

/** Every client file one email reaches in Xero (from the cached user lists). */
export function staffAccess(email: string): Promise<StaffAccess> {
  return call<StaffAccess>("staff_access", { email });
}

/** Writes `staff_access` for one email to a CSV file in the Downloads folder. */
export function exportStaffAccess(email: string): Promise<CsvExport> {
  return call<CsvExport>("export_staff_access", { email });
}

/** Opens the page where the organisation's users are managed in Xero. */
export function openXeroUsersPage(id: FileId): Promise<OpenedLink> {
  return call<OpenedLink>("open_xero_users_page", { id });
}

// ---- cache: The local cache: whether it opened, trying again, and starting a fresh one.

export function cacheStatus(): Promise<CacheStatus> {
  return call<CacheStatus>("cache_status");
}

/** "Try again": opens the cache again after a failure that may pass; changes nothing on disk. */
export function reopenCache(): Promise<CacheStatus> {
  return call<CacheStatus>("reopen_cache");
}

/** Sets a damaged or newer cache aside and starts an empty one. */
export function startFreshCache(): Promise<FreshCache> {
  return call<FreshCache>("start_fresh_cache");
}

// ---- clients: The Client Connections table and its files: load, details, export, add, import from XPM or a CSV file, rename, merge, payroll, delete, and each row's one-click dashboards.

/** Every file of the table, with the summary; the window decodes it (`decodeClientTable`). */
export function loadClientTable(): Promise<ClientTablePayload> {
  return call<ClientTablePayload>("load_client_table");
}

/**
 * The first rows in the order the screen first shows them (by name), with the summary of all
 * the files: what start-up paints while `load_client_table` brings the rest.
 */
export function loadClientTableHead(): Promise<ClientTablePayload> {
  return call<ClientTablePayload>("load_client_table_head");
}

/**
 * The window calls this when the first rows are painted while the rest load (`complete:
 * false`), and when the table with all its rows is painted (`complete: true`).
 */
export function tablePainted(milestones: Record<string, number>, complete: boolean): Promise<null> {
  return call<null>("table_painted", { milestones, complete });
}

export function clientDetails(id: FileId): Promise<ClientDetails> {
  return call<ClientDetails>("client_details", { id });
}

/** Writes the given rows, in this order, to a CSV file in the Downloads folder. */
export function exportCsv(ids: FileId[]): Promise<CsvExport> {
  return call<CsvExport>("export_csv", { ids });
}

/**
 * Adds a not-connected client file. A name the list already has answers `needs_confirmation`
 * and writes nothing; ask the person, then call again with `confirmed`.
 */
export function addClient(client: NewClient, confirmed: boolean): Promise<AddClientOutcome> {
  return call<AddClientOutcome>("add_client", { client, confirmed });
}

/** What importing the cached XPM clients would add and skip; writes nothing. */
export function previewXpmImport(): Promise<XpmImportPreview> {
  return call<XpmImportPreview>("preview_xpm_import");
}

export function importFromXpm(): Promise<ImportOutcome> {
  return call<ImportOutcome>("import_from_xpm");
}

/** Checks a CSV file's bytes, line by line; writes nothing. */
export function previewCsvImport(body: Uint8Array): Promise<CsvImportPreview> {
  return call<CsvImportPreview>("preview_csv_import", body);
}

/** Imports the CSV file if every line is fine (all or nothing). */
export function importCsv(body: Uint8Array): Promise<ImportOutcome> {
  return call<ImportOutcome>("import_csv", body);
}

export function renameClient(id: FileId, name: string): Promise<ClientFile> {
  return call<ClientFile>("rename_client", { id, name });
}

/** Folds `absorbed` (never connected) into `kept` (already its organisation); answers `kept`. */
export function mergeClientFiles(kept: FileId, absorbed: FileId): Promise<ClientFile> {
  return call<ClientFile>("merge_client_files", { kept, absorbed });
}

/** `disconnect`: payroll off ("disconnected by staff"); false: back on. */
export function setPayrollDisconnected(id: FileId, disconnect: boolean): Promise<ClientFile> {
  return call<ClientFile>("set_payroll_disconnected", { id, disconnect });
}

/** Disconnects the organisation at Xero, then deletes the file; `typed_name` must be its name. */
export function deleteClient(id: FileId, typedName: string): Promise<DeletedClient> {
  return call<DeletedClient>("delete_client", { id, typedName });
}

/**
 * Opens the file's Xero dashboard in the system browser; answers the link opened. The window
 * names a file, never a URL: the core builds and checks every link it opens.
 */
export function openXeroDashboard(id: FileId): Promise<OpenedLink> {
  return call<OpenedLink>("open_xero_dashboard", { id });
}

/** Opens the linked XPM client's page (its `WebUrl`) in the system browser. */
export function openXpmDashboard(id: FileId): Promise<OpenedLink> {
  return call<OpenedLink>("open_xpm_dashboard", { id });
}

// ---- console: A file's Client Console: its settings and the client's users of it.

export function consoleSettings(id: FileId): Promise<ConsoleSettings> {
  return call<ConsoleSettings>("console_settings", { id });
}

export function saveConsoleSettings(id: FileId, settings: ConsoleSettings): Promise<ConsoleSettings> {
  return call<ConsoleSettings>("save_console_settings", { id, settings });
}

export function consoleUsers(id: FileId): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>("console_users", { id });
}

/** Adds a console user; answers the file's users after the change. */
export function addConsoleUser(id: FileId, user: ConsoleUserDraft): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>("add_console_user", { id, user });
}

export function updateConsoleUser(id: FileId, userId: number, user: ConsoleUserDraft): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>("update_console_user", { id, userId, user });
}

export function removeConsoleUser(id: FileId, userId: number): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>("remove_console_user", { id, userId });
}

/**
 * The file's client pack as `settings` (perhaps not saved yet) make it, addressed to `user_id`
 * or the first console user: exactly the email that person gets.
 */
export function previewPack(id: FileId, settings: ConsoleSettings, userId: number | null): Promise<PackPreview> {
  return call<PackPreview>("preview_pack", { id, settings, userId });
}

/** Sends the file's pack to every console user now; answers each user's latest delivery. */
export function sendPackNow(id: FileId): Promise<PackDelivery[]> {
  return call<PackDelivery[]>("send_pack_now", { id });
}

/** Each console user's latest pack, sent or failed (and why). */
export function packDeliveries(id: FileId): Promise<PackDelivery[]> {
  return call<PackDelivery[]>("pack_deliveries", { id });
}

// ---- mail: Client packs by email: the practice's mail server, and a test message to check it.

/** The mail server settings (`settings` is `null` until set up) and whether a password is saved. */
export function mailSettings(): Promise<MailStatus> {
  return call<MailStatus>("mail_settings");
}

/**
 * Saves the mail server settings. `password`: `null` keeps the saved one, `""` forgets it,
 * anything else replaces it. A validation failure is an `invalid_input` error; nothing is saved.
 */
export function saveMailSettings(settings: MailSettings, password: string | null): Promise<MailStatus> {
  return call<MailStatus>("save_mail_settings", { settings, password });
}

/**
 * Sends a short test message to `to` through the saved mail server; a failure is a `mail` error
 * saying why (not set up, refused, not trusted, no answer).
 */
export function sendTestMail(to: string): Promise<null> {
  return call<null>("send_test_mail", { to });
}

// ---- reports: Client reports: the page reads the cache; refreshing and "Allow reports" take the Xero context from the session and run without holding it.

/** The client's cached reports and whether its connection may read them (cache only). */
export function clientReports(id: FileId): Promise<ClientReports> {
  return call<ClientReports>("client_reports", { id });
}

/** Practice-wide observations from the cached reports. */
export function reportInsights(): Promise<ReportInsight[]> {
  return call<ReportInsight[]>("report_insights");
}

/** Fetches the client's reports from Xero into the cache; failures keep the cached copies. */
export function refreshReports(id: FileId): Promise<ReportsRefresh> {
  return call<ReportsRefresh>("refresh_reports", { id });
}

/**
 * Refreshes the reports of every connected client that allows them; one failing never stops
 * the others.
 */
export function refreshAllReports(): Promise<AllReportsRefresh> {
  return call<AllReportsRefresh>("refresh_all_reports");
}

/** "Allow reports": Xero's consent in the browser, asking for the report scopes too. */
export function allowReports(): Promise<ConnectSummary> {
  return call<ConnectSummary>("allow_reports");
}

/** Opens the client's reports in Xero in the system browser (the core checks the URL). */
export function openReportsInXero(id: FileId): Promise<null> {
  return call<null>("open_reports_in_xero", { id });
}

// ---- settings: Settings that are the practice's as a whole: its history of changes, and Clean up (caches set aside as unusable, XPM clients of a disconnected XPM).

/** The latest changes to the practice as a whole (Xero app, XPM, exports, a fresh cache). */
export function practiceHistory(): Promise<AuditEntry[]> {
  return call<AuditEntry[]>("practice_history");
}

/**
 * Writes every change the cache records, the practice's and each file's, to a new CSV file in
 * the Downloads folder.
 */
export function exportHistory(): Promise<CsvExport> {
  return call<CsvExport>("export_history");
}

/** Settings → Clean up: what can be removed. */
export function leftovers(): Promise<Leftover[]> {
  return call<Leftover[]>("leftovers");
}

/** Removes the listed leftovers with these ids (the core refuses any other); returns what is left. */
export function removeLeftovers(ids: string[]): Promise<Leftover[]> {
  return call<Leftover[]>("remove_leftovers", { ids });
}

// ---- updates: Updates of the app itself: whether this build and computer look for them, the check, and the install a person asks for. The updater plugin's own commands are not granted to the window.

/**
 * Whether this build and this computer look for updates (a build without an update server, or
 * IT's policy, says no).
 */
export function updateStatus(): Promise<UpdateStatus> {
  return call<UpdateStatus>("update_status");
}

/** The window calls this at start (only when `update_status` is enabled) and from Settings. */
export function checkForUpdate(): Promise<UpdateInfo | null> {
  return call<UpdateInfo | null>("check_for_update");
}

/**
 * Called only from the "Install and restart" button: installs the version the person saw
 * (`version`), after the plugin has checked its signature, and restarts into it.
 */
export function installUpdate(version: string): Promise<null> {
  return call<null>("install_update", { version });
}

// ---- xero: The Xero connection: the app's settings, connecting (consent in the system browser), the Connect icon of one file, "Reconnect all", sync, and what Xero sent this month. The long commands take what they need from the session and run without holding it, so the table stays usable.

export function xeroStatus(): Promise<XeroStatus> {
  return call<XeroStatus>("xero_status");
}

/**
 * What Xero sent this month and in recent months, by API (Xero bills egress over the tier's
 * allowance).
 */
export function egressUsage(): Promise<EgressUsage> {
  return call<EgressUsage>("egress_usage");
}

/**
 * Saves the Xero app settings. `client_secret` is a newly typed secret for a "Web app" type
 * app; `null` keeps the stored one. A validation failure is an `invalid_input` error.
 */
export function saveXeroSettings(settings: XeroAppSettings, clientSecret: string | null): Promise<XeroStatus> {
  return call<XeroStatus>("save_xero_settings", { settings, clientSecret });
}

/**
 * Opens Xero's consent page in the system browser and answers once the person has consented
 * and the organisations are connected and synced (it can take minutes); `SYNC_PROGRESS` events
 * arrive during the sync.
 */
export function connectXero(): Promise<ConnectSummary> {
  return call<ConnectSummary>("connect_xero");
}

/** The Connect icon of a file not yet linked to an organisation: one consent, for that file. */
export function connectFile(id: FileId): Promise<FileConnectOutcome> {
  return call<FileConnectOutcome>("connect_file", { id });
}

/** Ends a waiting consent (it fails with `sign_in_cancelled`), or pauses "Reconnect all". */
export function cancelConnect(): Promise<null> {
  return call<null>("cancel_connect");
}

/**
 * "Reconnect all" below the Advanced tier: one consent in the browser per file, resumed where
 * it was paused. A `RECONNECT_QUEUE` event says where it stands before each consent;
 * `cancel_connect` pauses it and it answers where it stopped.
 */
export function reconnectInQueue(): Promise<ReconnectQueue> {
  return call<ReconnectQueue>("reconnect_in_queue");
}

/** Forgets a paused "Reconnect all" queue; its files keep needing a reconnect. */
export function discardReconnectQueue(): Promise<XeroStatus> {
  return call<XeroStatus>("discard_reconnect_queue");
}

export function syncNow(): Promise<SyncReport> {
  return call<SyncReport>("sync_now");
}

export function cancelSync(): Promise<null> {
  return call<null>("cancel_sync");
}

/** Each step of a sync (after a consent too), for the progress bar. */
export function onSyncProgress(handler: (payload: SyncProgress) => void): Promise<UnlistenFn> {
  return listenTo<SyncProgress>("sync-progress", handler);
}

/** Where a "Reconnect all" queue stands, before each of its consents. */
export function onReconnectQueue(handler: (payload: ReconnectQueue) => void): Promise<UnlistenFn> {
  return listenTo<ReconnectQueue>("reconnect-queue", handler);
}

// ---- xpm: Xero Practice Manager: connecting, refreshing and disconnecting XPM, the cached client list, link suggestions, a file's link, and the review of suggested links.

export function xpmStatus(): Promise<XpmStatus> {
  return call<XpmStatus>("xpm_status");
}

/** Every cached XPM client; the link pop-up searches them itself. */
export function xpmClients(): Promise<XpmClientRecord[]> {
  return call<XpmClientRecord[]>("xpm_clients");
}

export function xpmSuggestions(id: FileId): Promise<XpmSuggestion[]> {
  return call<XpmSuggestion[]>("xpm_suggestions", { id });
}

/** Links the file to an XPM client, or removes its link with `null`. Audited by the core. */
export function linkXpm(id: FileId, xpmUuid: string | null): Promise<ClientFile> {
  return call<ClientFile>("link_xpm", { id, xpmUuid });
}

export function xpmReview(): Promise<XpmReview> {
  return call<XpmReview>("xpm_review");
}

export function confirmXpmLinks(links: XpmLinkChoice[]): Promise<number> {
  return call<number>("confirm_xpm_links", { links });
}

export function connectXpm(): Promise<XpmRefreshReport> {
  return call<XpmRefreshReport>("connect_xpm");
}

/** Forgets XPM's sign-in; the cached XPM clients and the files' links stay. Audited. */
export function disconnectXpm(): Promise<XpmStatus> {
  return call<XpmStatus>("disconnect_xpm");
}

export function refreshXpm(): Promise<XpmRefreshReport> {
  return call<XpmRefreshReport>("refresh_xpm");
}
