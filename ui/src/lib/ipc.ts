// The one place the UI talks to the Tauri shell. Every command the shell exposes has a typed
// wrapper here; a failed call rejects with an `ErrorPayload` (`{ kind, message }`) whose message
// is written for people and is what the UI shows.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { CacheStatus } from "../bindings/CacheStatus";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientTable } from "../bindings/ClientTable";
import type { ClientTablePayload } from "../bindings/ClientTablePayload";
import { decodeClientTable } from "./client-table";
import type { ConnectSummary } from "../bindings/ConnectSummary";
import type { CsvExport } from "../bindings/CsvExport";
import type { ErrorKind } from "../bindings/ErrorKind";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { FileId } from "../bindings/FileId";
import type { FreshCache } from "../bindings/FreshCache";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { SyncReport } from "../bindings/SyncReport";
import type { XeroAppSettings } from "../bindings/XeroAppSettings";
import type { XeroStatus } from "../bindings/XeroStatus";
import type { EgressUsage } from "../bindings/EgressUsage";
import type { ClientFile } from "../bindings/ClientFile";
import type { ConsoleSettings } from "../bindings/ConsoleSettings";
import type { ConsoleUser } from "../bindings/ConsoleUser";
import type { ConsoleUserDraft } from "../bindings/ConsoleUserDraft";
import type { DeletedClient } from "../bindings/DeletedClient";
import type { OpenedLink } from "../bindings/OpenedLink";
import type { StaffAccess } from "../bindings/StaffAccess";
import type { UserAccess } from "../bindings/UserAccess";
import type { UserAccessRefresh } from "../bindings/UserAccessRefresh";
import { mark, milestones } from "./perf";
import type { XpmClientRecord } from "../bindings/XpmClientRecord";
import type { XpmLinkChoice } from "../bindings/XpmLinkChoice";
import type { XpmRefreshReport } from "../bindings/XpmRefreshReport";
import type { XpmReview } from "../bindings/XpmReview";
import type { XpmStatus } from "../bindings/XpmStatus";
import type { XpmSuggestion } from "../bindings/XpmSuggestion";
import type { ClientReports } from "../bindings/ClientReports";
import type { ReportInsight } from "../bindings/ReportInsight";
import type { ReportsRefresh } from "../bindings/ReportsRefresh";
import type { AllReportsRefresh } from "../bindings/AllReportsRefresh";
import type { ReconnectQueue } from "../bindings/ReconnectQueue";
import type { NewClient } from "../bindings/NewClient";
import type { AddClientOutcome } from "../bindings/AddClientOutcome";
import type { XpmImportPreview } from "../bindings/XpmImportPreview";
import type { CsvImportPreview } from "../bindings/CsvImportPreview";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { FileConnectOutcome } from "../bindings/FileConnectOutcome";
import type { Leftover } from "../bindings/Leftover";
import type { UpdateInfo } from "../bindings/UpdateInfo";
import type { UpdateStatus } from "../bindings/UpdateStatus";

/** The exact command names the shell registers. */
export const COMMANDS = {
  cacheStatus: "cache_status",
  loadClientTable: "load_client_table",
  loadClientTableHead: "load_client_table_head",
  clientDetails: "client_details",
  exportCsv: "export_csv",
  startFreshCache: "start_fresh_cache",
  reopenCache: "reopen_cache",
  tablePainted: "table_painted",
  xeroStatus: "xero_status",
  saveXeroSettings: "save_xero_settings",
  connectXero: "connect_xero",
  connectFile: "connect_file",
  cancelConnect: "cancel_connect",
  reconnectInQueue: "reconnect_in_queue",
  discardReconnectQueue: "discard_reconnect_queue",
  syncNow: "sync_now",
  cancelSync: "cancel_sync",
  egressUsage: "egress_usage",
  practiceHistory: "practice_history",
  // The Settings menu and one-click links (issue 5).
  openXeroDashboard: "open_xero_dashboard",
  openXpmDashboard: "open_xpm_dashboard",
  openXeroUsersPage: "open_xero_users_page",
  renameClient: "rename_client",
  mergeClientFiles: "merge_client_files",
  setPayrollDisconnected: "set_payroll_disconnected",
  consoleSettings: "console_settings",
  saveConsoleSettings: "save_console_settings",
  consoleUsers: "console_users",
  addConsoleUser: "add_console_user",
  updateConsoleUser: "update_console_user",
  removeConsoleUser: "remove_console_user",
  userAccess: "user_access",
  refreshUserAccess: "refresh_user_access",
  refreshAllUserAccess: "refresh_all_user_access",
  staffAccess: "staff_access",
  exportStaffAccess: "export_staff_access",
  deleteClient: "delete_client",
  // XPM (issue 4)
  xpmStatus: "xpm_status",
  xpmClients: "xpm_clients",
  xpmSuggestions: "xpm_suggestions",
  linkXpm: "link_xpm",
  xpmReview: "xpm_review",
  confirmXpmLinks: "confirm_xpm_links",
  connectXpm: "connect_xpm",
  refreshXpm: "refresh_xpm",
  disconnectXpm: "disconnect_xpm",
  clientReports: "client_reports",
  reportInsights: "report_insights",
  refreshReports: "refresh_reports",
  refreshAllReports: "refresh_all_reports",
  allowReports: "allow_reports",
  openReportsInXero: "open_reports_in_xero",
  // Client files added by hand or imported from XPM or a CSV file.
  addClient: "add_client",
  previewXpmImport: "preview_xpm_import",
  importFromXpm: "import_from_xpm",
  previewCsvImport: "preview_csv_import",
  importCsv: "import_csv",
  leftovers: "leftovers",
  removeLeftovers: "remove_leftovers",
  // Updates of the app itself.
  updateStatus: "update_status",
  checkForUpdate: "check_for_update",
  installUpdate: "install_update",
} as const;

/** The events the shell emits. */
export const EVENTS = {
  syncProgress: "sync-progress",
  reconnectQueue: "reconnect-queue",
} as const;

// Every kind the core sends: a Record, so the compiler says so when the bindings gain one.
const KINDS: Record<ErrorKind, true> = {
  cache_too_new: true,
  cache_corrupt: true,
  cache_unavailable: true,
  storage: true,
  not_found: true,
  invalid_input: true,
  credential_store: true,
  no_free_port: true,
  sign_in_timed_out: true,
  sign_in_cancelled: true,
  sign_in_state_mismatch: true,
  consent_denied: true,
  sign_in_failed: true,
  needs_reconnect: true,
  xero_unreachable: true,
  xero_refused: true,
  write: true,
  xpm: true,
  update: true,
};

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === "string" && typeof v.kind === "string" && Object.hasOwn(KINDS, v.kind);
}

/** Whatever a rejected call produced, as an `ErrorPayload` a person can read. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (isErrorPayload(error)) return error;
  const message =
    typeof error === "string"
      ? error
      : error instanceof Error
        ? error.message
        : "Switchboard could not reach its core. Restart the app; if it happens again, report it.";
  // The shell did not say what kind of failure it was; treat it as a storage problem.
  return { kind: "storage", message: message || "Something went wrong. Try again." };
}

async function call<T>(command: string, args?: Record<string, unknown> | Uint8Array): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toErrorPayload(error);
  }
}

export function cacheStatus(): Promise<CacheStatus> {
  return call<CacheStatus>(COMMANDS.cacheStatus);
}

export async function loadClientTable(): Promise<ClientTable> {
  return decodeClientTable(await call<ClientTablePayload>(COMMANDS.loadClientTable));
}

/**
 * The first rows in the order the screen first shows them (by name), with the summary of all the
 * files: what start-up paints while `loadClientTable` brings the rest. When `files` holds fewer
 * files than `summary.total`, more are on their way.
 */
export async function loadClientTableHead(): Promise<ClientTable> {
  return decodeClientTable(await call<ClientTablePayload>(COMMANDS.loadClientTableHead));
}

export function clientDetails(id: FileId): Promise<ClientDetails> {
  return call<ClientDetails>(COMMANDS.clientDetails, { id });
}

/** Writes the given rows, in this order, to a CSV file in the Downloads folder. */
export function exportCsv(ids: FileId[]): Promise<CsvExport> {
  return call<CsvExport>(COMMANDS.exportCsv, { ids });
}

export function startFreshCache(): Promise<FreshCache> {
  return call<FreshCache>(COMMANDS.startFreshCache);
}

/** "Try again": opens the cache again after a failure that may pass; changes nothing on disk. */
export function reopenCache(): Promise<CacheStatus> {
  return call<CacheStatus>(COMMANDS.reopenCache);
}

export function xeroStatus(): Promise<XeroStatus> {
  return call<XeroStatus>(COMMANDS.xeroStatus);
}

/** What Xero sent this month and in recent months, by API (Xero bills egress over the tier's allowance). */
export function egressUsage(): Promise<EgressUsage> {
  return call<EgressUsage>(COMMANDS.egressUsage);
}

/** The latest changes to the practice as a whole (Xero app, XPM, exports, a fresh cache). */
export function practiceHistory(): Promise<AuditEntry[]> {
  return call<AuditEntry[]>(COMMANDS.practiceHistory);
}

/**
 * Saves the Xero app settings. `clientSecret` is a newly typed secret for a "Web app" type app;
 * `null` keeps the stored one. A validation failure rejects with kind `invalid_input`.
 */
export function saveXeroSettings(settings: XeroAppSettings, clientSecret: string | null): Promise<XeroStatus> {
  return call<XeroStatus>(COMMANDS.saveXeroSettings, { settings, clientSecret });
}

/**
 * Opens Xero's consent page in the system browser and resolves once the person has consented and
 * the organisations are connected and synced (it can take minutes). `sync-progress` events arrive
 * during the sync part.
 */
export function connectXero(): Promise<ConnectSummary> {
  return call<ConnectSummary>(COMMANDS.connectXero);
}

/** The Connect icon of a file not yet linked to an organisation: one consent, for that file. */
export function connectFile(id: FileId): Promise<FileConnectOutcome> {
  return call<FileConnectOutcome>(COMMANDS.connectFile, { id });
}

/** Folds `absorbed` (never connected) into `kept` (already its organisation); returns `kept`. */
export function mergeClientFiles(kept: FileId, absorbed: FileId): Promise<ClientFile> {
  return call<ClientFile>(COMMANDS.mergeClientFiles, { kept, absorbed });
}

/** Ends a waiting `connectXero` (it rejects with `sign_in_cancelled`). */
export function cancelConnect(): Promise<null> {
  return call<null>(COMMANDS.cancelConnect);
}

/**
 * "Reconnect all" below the Advanced tier: one consent in the browser per file, resumed where it
 * was paused. A `reconnect-queue` event says where it stands before each consent; Cancel
 * (`cancelConnect`) pauses it and it resolves with where it stopped.
 */
export function reconnectInQueue(): Promise<ReconnectQueue> {
  return call<ReconnectQueue>(COMMANDS.reconnectInQueue);
}

/** Forgets a paused "Reconnect all" queue; its files keep needing a reconnect. */
export function discardReconnectQueue(): Promise<XeroStatus> {
  return call<XeroStatus>(COMMANDS.discardReconnectQueue);
}

export function onReconnectQueue(handler: (queue: ReconnectQueue) => void): Promise<UnlistenFn> {
  return listen<ReconnectQueue>(EVENTS.reconnectQueue, (event) => handler(event.payload));
}

export function syncNow(): Promise<SyncReport> {
  return call<SyncReport>(COMMANDS.syncNow);
}

export function cancelSync(): Promise<null> {
  return call<null>(COMMANDS.cancelSync);
}

// Client reports (issue 6)

/** The client's cached reports and whether its connection may read them (cache only). */
export function clientReports(id: FileId): Promise<ClientReports> {
  return call<ClientReports>(COMMANDS.clientReports, { id });
}

/** Practice-wide observations from the cached reports. */
export function reportInsights(): Promise<ReportInsight[]> {
  return call<ReportInsight[]>(COMMANDS.reportInsights);
}

/** Fetches the client's reports from Xero into the cache; failures keep the cached copies. */
export function refreshReports(id: FileId): Promise<ReportsRefresh> {
  return call<ReportsRefresh>(COMMANDS.refreshReports, { id });
}

/** Refreshes the reports of every connected client that allows them; one failing never stops the others. */
export function refreshAllReports(): Promise<AllReportsRefresh> {
  return call<AllReportsRefresh>(COMMANDS.refreshAllReports);
}

/** "Allow reports": Xero's consent in the browser, asking for the report scopes too. */
export function allowReports(): Promise<ConnectSummary> {
  return call<ConnectSummary>(COMMANDS.allowReports);
}

/** Opens the client's reports in Xero in the system browser (the core checks the URL). */
export function openReportsInXero(id: FileId): Promise<null> {
  return call<null>(COMMANDS.openReportsInXero, { id });
}

/** Settings → Clean up: caches set aside as unusable, XPM clients of a disconnected XPM. */
export function leftovers(): Promise<Leftover[]> {
  return call<Leftover[]>(COMMANDS.leftovers);
}

/** Removes these (only ones `leftovers` lists; the core refuses others); resolves to what is left. */
export function removeLeftovers(ids: string[]): Promise<Leftover[]> {
  return call<Leftover[]>(COMMANDS.removeLeftovers, { ids });
}

/** Calls `handler` for every `sync-progress` event until the returned function is called. */
export function onSyncProgress(handler: (progress: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>(EVENTS.syncProgress, (event) => handler(event.payload));
}

// ---- The Settings menu and one-click links (issue 5). The UI names a file, never a URL: the
// core builds and checks every link it opens.

/** Opens the file's Xero dashboard in the system browser; resolves with the link opened. */
export function openXeroDashboard(id: FileId): Promise<OpenedLink> {
  return call<OpenedLink>(COMMANDS.openXeroDashboard, { id });
}

/** Opens the linked XPM client's page (its `WebUrl`) in the system browser. */
export function openXpmDashboard(id: FileId): Promise<OpenedLink> {
  return call<OpenedLink>(COMMANDS.openXpmDashboard, { id });
}

/** Opens the page where the organisation's users are managed in Xero. */
export function openXeroUsersPage(id: FileId): Promise<OpenedLink> {
  return call<OpenedLink>(COMMANDS.openXeroUsersPage, { id });
}

export function renameClient(id: FileId, name: string): Promise<ClientFile> {
  return call<ClientFile>(COMMANDS.renameClient, { id, name });
}

/** `disconnect`: payroll off ("disconnected by staff"); false: back on. */
export function setPayrollDisconnected(id: FileId, disconnect: boolean): Promise<ClientFile> {
  return call<ClientFile>(COMMANDS.setPayrollDisconnected, { id, disconnect });
}

export function consoleSettings(id: FileId): Promise<ConsoleSettings> {
  return call<ConsoleSettings>(COMMANDS.consoleSettings, { id });
}

export function saveConsoleSettings(id: FileId, settings: ConsoleSettings): Promise<ConsoleSettings> {
  return call<ConsoleSettings>(COMMANDS.saveConsoleSettings, { id, settings });
}

export function consoleUsers(id: FileId): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>(COMMANDS.consoleUsers, { id });
}

/** Adds a console user; resolves with the file's users after the change. */
export function addConsoleUser(id: FileId, user: ConsoleUserDraft): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>(COMMANDS.addConsoleUser, { id, user });
}

export function updateConsoleUser(id: FileId, userId: number, user: ConsoleUserDraft): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>(COMMANDS.updateConsoleUser, { id, userId, user });
}

export function removeConsoleUser(id: FileId, userId: number): Promise<ConsoleUser[]> {
  return call<ConsoleUser[]>(COMMANDS.removeConsoleUser, { id, userId });
}

/** Who can reach the organisation, as last fetched (works offline). */
export function userAccess(id: FileId): Promise<UserAccess> {
  return call<UserAccess>(COMMANDS.userAccess, { id });
}

/** Asks Xero again and caches the answer. */
export function refreshUserAccess(id: FileId): Promise<UserAccess> {
  return call<UserAccess>(COMMANDS.refreshUserAccess, { id });
}

/** Asks Xero for the users of every connected file (for the practice-wide report). */
export function refreshAllUserAccess(): Promise<UserAccessRefresh> {
  return call<UserAccessRefresh>(COMMANDS.refreshAllUserAccess);
}

/** Every client file one email reaches in Xero (from the cached user lists). */
export function staffAccess(email: string): Promise<StaffAccess> {
  return call<StaffAccess>(COMMANDS.staffAccess, { email });
}

export function exportStaffAccess(email: string): Promise<CsvExport> {
  return call<CsvExport>(COMMANDS.exportStaffAccess, { email });
}

/** Disconnects the organisation at Xero, then deletes the file; `typedName` must be its name. */
export function deleteClient(id: FileId, typedName: string): Promise<DeletedClient> {
  return call<DeletedClient>(COMMANDS.deleteClient, { id, typedName });
}

// --- XPM (issue 4) ---------------------------------------------------------------------------

export function xpmStatus(): Promise<XpmStatus> {
  return call<XpmStatus>(COMMANDS.xpmStatus);
}

/** Every cached XPM client; the link pop-up searches them itself. */
export function xpmClients(): Promise<XpmClientRecord[]> {
  return call<XpmClientRecord[]>(COMMANDS.xpmClients);
}

export function xpmSuggestions(id: FileId): Promise<XpmSuggestion[]> {
  return call<XpmSuggestion[]>(COMMANDS.xpmSuggestions, { id });
}

/** Links the file to an XPM client, or removes its link with `null`. Audited by the core. */
export function linkXpm(id: FileId, xpmUuid: string | null): Promise<ClientFile> {
  return call<ClientFile>(COMMANDS.linkXpm, { id, xpmUuid });
}

export function xpmReview(): Promise<XpmReview> {
  return call<XpmReview>(COMMANDS.xpmReview);
}

export function confirmXpmLinks(links: XpmLinkChoice[]): Promise<number> {
  return call<number>(COMMANDS.confirmXpmLinks, { links });
}

export function connectXpm(): Promise<XpmRefreshReport> {
  return call<XpmRefreshReport>(COMMANDS.connectXpm);
}

export function refreshXpm(): Promise<XpmRefreshReport> {
  return call<XpmRefreshReport>(COMMANDS.refreshXpm);
}

/** Forgets XPM's sign-in; the cached XPM clients and the files' links stay. Audited. */
export function disconnectXpm(): Promise<XpmStatus> {
  return call<XpmStatus>(COMMANDS.disconnectXpm);
}

/**
 * Adds a not-connected client file. A name the list already has resolves with
 * `needs_confirmation` and writes nothing; ask the person, then call again with `confirmed`.
 */
export function addClient(client: NewClient, confirmed: boolean): Promise<AddClientOutcome> {
  return call<AddClientOutcome>(COMMANDS.addClient, { client, confirmed });
}

/** What importing the cached XPM clients would add and skip; writes nothing. */
export function previewXpmImport(): Promise<XpmImportPreview> {
  return call<XpmImportPreview>(COMMANDS.previewXpmImport);
}

export function importFromXpm(): Promise<ImportOutcome> {
  return call<ImportOutcome>(COMMANDS.importFromXpm);
}

/** Checks a CSV file's bytes (sent as the raw request body) line by line; writes nothing. */
export function previewCsvImport(bytes: Uint8Array): Promise<CsvImportPreview> {
  return call<CsvImportPreview>(COMMANDS.previewCsvImport, bytes);
}

/** Imports the file if every line is fine (all or nothing). */
export function importCsv(bytes: Uint8Array): Promise<ImportOutcome> {
  return call<ImportOutcome>(COMMANDS.importCsv, bytes);
}

/** Whether this build and this computer look for updates (a build without an update server, or IT's policy, says no). */
export function updateStatus(): Promise<UpdateStatus> {
  return call<UpdateStatus>(COMMANDS.updateStatus);
}

/** The update on offer, or `null` when Switchboard is up to date. */
export function checkForUpdate(): Promise<UpdateInfo | null> {
  return call<UpdateInfo | null>(COMMANDS.checkForUpdate);
}

/**
 * Downloads `version`, installs it once its signature matches the key built into the app, and
 * restarts into it. Only ever called from the "Install and restart" button: a person decides.
 */
export function installUpdate(version: string): Promise<void> {
  return call<void>(COMMANDS.installUpdate, { version });
}

let paintReported: "nothing" | "first rows" | "all rows" = "nothing";

/**
 * Tells the shell the table (or the empty state) is on screen: once when the first rows are,
 * and once more when all of them are (`complete`). Later calls are not sent.
 */
export function reportTablePainted(complete: boolean): void {
  if (paintReported === "all rows" || (paintReported === "first rows" && !complete)) return;
  const first = paintReported === "nothing";
  paintReported = complete ? "all rows" : "first rows";
  mark(first ? "table-rendered" : "all-rows-rendered");
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      mark(first ? "table-painted" : "all-rows-painted");
      call<null>(COMMANDS.tablePainted, { milestones: milestones(), complete }).catch(() => {
        /* The benchmark hook is best-effort; the app works without it. */
      });
    }),
  );
}

/** For tests only: lets a fresh App instance report its first paint again. */
export function resetTablePaintedForTests(): void {
  paintReported = "nothing";
}
