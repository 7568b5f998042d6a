// The one place the UI talks to the Tauri shell. Every command the shell exposes has a typed
// wrapper here; a failed call rejects with an `ErrorPayload` (`{ kind, message }`) whose message
// is written for people and is what the UI shows.
import { invoke } from "@tauri-apps/api/core";
import type { CacheStatus } from "../bindings/CacheStatus";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientTable } from "../bindings/ClientTable";
import type { CsvExport } from "../bindings/CsvExport";
import type { ErrorKind } from "../bindings/ErrorKind";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { FileId } from "../bindings/FileId";
import type { FreshCache } from "../bindings/FreshCache";

/** The exact command names the shell registers. */
export const COMMANDS = {
  cacheStatus: "cache_status",
  loadClientTable: "load_client_table",
  clientDetails: "client_details",
  exportCsv: "export_csv",
  startFreshCache: "start_fresh_cache",
  tablePainted: "table_painted",
} as const;

const KINDS: readonly ErrorKind[] = [
  "cache_too_new",
  "cache_corrupt",
  "cache_unavailable",
  "storage",
  "not_found",
  "invalid_input",
  "write",
];

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === "string" && typeof v.kind === "string" && KINDS.includes(v.kind as ErrorKind);
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
