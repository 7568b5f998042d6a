// The one place the UI talks to the Tauri shell. Every command the shell exposes has a typed
// wrapper here; a failed call rejects with an `ErrorPayload` (`{ kind, message }`) whose message
// is written for people and is what the UI shows.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { CacheStatus } from "../bindings/CacheStatus";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientTable } from "../bindings/ClientTable";
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
import type { ClientReports } from "../bindings/ClientReports";
import type { ReportInsight } from "../bindings/ReportInsight";
import type { ReportsRefresh } from "../bindings/ReportsRefresh";

/** The exact command names the shell registers. */
export const COMMANDS = {
  cacheStatus: "cache_status",
  loadClientTable: "load_client_table",
  clientDetails: "client_details",
  exportCsv: "export_csv",
  startFreshCache: "start_fresh_cache",
  tablePainted: "table_painted",
  xeroStatus: "xero_status",
  saveXeroSettings: "save_xero_settings",
  connectXero: "connect_xero",
  cancelConnect: "cancel_connect",
  syncNow: "sync_now",
  cancelSync: "cancel_sync",
  clientReports: "client_reports",
  reportInsights: "report_insights",
  refreshReports: "refresh_reports",
  allowReports: "allow_reports",
  openReportsInXero: "open_reports_in_xero",
} as const;

/** The events the shell emits. */
export const EVENTS = {
  syncProgress: "sync-progress",
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
  write: true,
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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toErrorPayload(error);
  }
}

export function cacheStatus(): Promise<CacheStatus> {
  return call<CacheStatus>(COMMANDS.cacheStatus);
}

export function loadClientTable(): Promise<ClientTable> {
  return call<ClientTable>(COMMANDS.loadClientTable);
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

export function xeroStatus(): Promise<XeroStatus> {
  return call<XeroStatus>(COMMANDS.xeroStatus);
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

/** Ends a waiting `connectXero` (it rejects with `sign_in_cancelled`). */
export function cancelConnect(): Promise<null> {
  return call<null>(COMMANDS.cancelConnect);
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

/** "Allow reports": Xero's consent in the browser, asking for the report scopes too. */
export function allowReports(): Promise<ConnectSummary> {
  return call<ConnectSummary>(COMMANDS.allowReports);
}

/** Opens the client's reports in Xero in the system browser (the core checks the URL). */
export function openReportsInXero(id: FileId): Promise<null> {
  return call<null>(COMMANDS.openReportsInXero, { id });
}

/** Calls `handler` for every `sync-progress` event until the returned function is called. */
export function onSyncProgress(handler: (progress: SyncProgress) => void): Promise<UnlistenFn> {
  return listen<SyncProgress>(EVENTS.syncProgress, (event) => handler(event.payload));
}

let paintedReported = false;

/** Tells the shell the first table (or empty state) is on screen. Only the first call is sent. */
export function reportTablePainted(): void {
  if (paintedReported) return;
  paintedReported = true;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      call<null>(COMMANDS.tablePainted).catch(() => {
        /* The benchmark hook is best-effort; the app works without it. */
      });
    }),
  );
}

/** For tests only: lets a fresh App instance report its first paint again. */
export function resetTablePaintedForTests(): void {
  paintedReported = false;
}
