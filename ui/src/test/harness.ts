// A fake Tauri core for component tests: mockIPC with typed answers and a log of every call.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CacheStatus } from "../bindings/CacheStatus";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientTable } from "../bindings/ClientTable";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { ConnectSummary } from "../bindings/ConnectSummary";
import type { ClientFile } from "../bindings/ClientFile";
import type { FileConnectOutcome } from "../bindings/FileConnectOutcome";
import type { FileId } from "../bindings/FileId";
import type { ReconnectQueue } from "../bindings/ReconnectQueue";
import type { SyncReport } from "../bindings/SyncReport";
import type { XeroAppSettings } from "../bindings/XeroAppSettings";
import type { XeroStatus } from "../bindings/XeroStatus";
import { setNow } from "../lib/clock.svelte";
import { resetTablePaintedForTests } from "../lib/ipc";
import { resetOperationForTests } from "../lib/operation.svelte";
import { syncRoute } from "../lib/router.svelte";
import { resetViewState } from "../lib/view-state.svelte";
import { resetXeroStatusForTests } from "../lib/xero-status.svelte";
import { resetXpmForTests } from "../lib/xpm.svelte";
import { FIRST_ROWS, firstRowsOf, makeTable, NOW } from "./fixtures";
import { encodeClientTable } from "../lib/client-table";

export interface FakeCore {
  status?: CacheStatus;
  /** A function answers each load_client_table afresh (e.g. rows that change after a sync). */
  table?: ClientTable | (() => ClientTable);
  details?: (id: FileId) => ClientDetails | ErrorPayload;
  exportPath?: string;
  keptAt?: string;
  /** After start_fresh_cache, cache_status/load_client_table answer with these. */
  freshTable?: ClientTable;
  exportError?: ErrorPayload;
  /** Each reopen_cache answers with the next of these (the last one repeats); "ready" opens `table`. */
  reopened?: CacheStatus[];
  xeroStatus?: XeroStatus | ErrorPayload;
  saveXeroSettings?: (settings: XeroAppSettings, clientSecret: string | null) => XeroStatus | ErrorPayload;
  /** connect_xero / sync_now: the test decides when (and how) they finish. */
  connectXero?: () => Promise<ConnectSummary | ErrorPayload>;
  syncNow?: () => Promise<SyncReport | ErrorPayload>;
  reconnectInQueue?: () => Promise<ReconnectQueue | ErrorPayload>;
  /** The Connect icon of a file not yet linked to an organisation. */
  connectFile?: (id: FileId) => Promise<FileConnectOutcome | ErrorPayload>;
  mergeClientFiles?: (kept: FileId, absorbed: FileId) => ClientFile | ErrorPayload;
}

/** A Xero status as the core sends it: no tier recorded, nothing connected, no paused queue. */
export function xeroStatusOf(settings: Partial<XeroAppSettings> = {}, rest: Partial<Omit<XeroStatus, "settings">> = {}): XeroStatus {
  return {
    settings: { client_id: null, redirect_ports: [53682, 53683], has_client_secret: false, tier: null, ...settings },
    not_xero_hosts: [],
    usage: {
      tier: settings.tier ?? null,
      connections_in_use: 0,
      connection_cap: null,
      daily_calls_per_organisation: null,
      monthly_egress_allowance_bytes: null,
      one_organisation_per_consent: settings.tier != null && settings.tier !== "advanced" && settings.tier !== "enterprise",
    },
    reconnect_queue: null,
    ...rest,
  };
}

export const DEFAULT_XERO_STATUS: XeroStatus = xeroStatusOf();

function answer<T extends object>(value: T | ErrorPayload): T {
  if ("kind" in value && "message" in value) throw value;
  return value as T;
}

/** A promise the test settles by hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export function installCore(core: FakeCore): Call[] {
  const calls: Call[] = [];
  let fresh = false;
  let reopened: CacheStatus | null = null;
  let reopens = 0;
  const currentTable = () => {
    if (fresh && core.freshTable) return core.freshTable;
    return typeof core.table === "function" ? core.table() : (core.table ?? makeTable([]));
  };
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    switch (cmd) {
      case "cache_status":
        if (reopened) return reopened;
        return fresh ? { state: "ready", path: "/tmp/cache.sqlite3" } : (core.status ?? { state: "ready", path: "/tmp/cache.sqlite3" });
      case "reopen_cache": {
        const answers = core.reopened ?? [core.status ?? { state: "ready", path: "/tmp/cache.sqlite3" }];
        reopened = answers[Math.min(reopens++, answers.length - 1)];
        return reopened;
      }
      case "load_client_table":
        return encodeClientTable(currentTable());
      case "load_client_table_head":
        return encodeClientTable(firstRowsOf(currentTable(), FIRST_ROWS));
      case "client_details": {
        const answer = core.details?.(a.id as FileId);
        if (!answer) throw { kind: "not_found", message: "That client file is no longer in the cache." };
        if ("kind" in answer) throw answer;
        return answer;
      }
      case "export_csv":
        if (core.exportError) throw core.exportError;
        return { path: core.exportPath ?? "/home/u/Downloads/clients.csv", rows: (a.ids as unknown[]).length };
      case "start_fresh_cache":
        fresh = true;
        return { kept_at: core.keptAt ?? "/tmp/cache.sqlite3.unusable-1" };
      case "table_painted":
        return null;
      case "xero_status":
        return answer(core.xeroStatus ?? DEFAULT_XERO_STATUS);
      case "save_xero_settings": {
        if (!core.saveXeroSettings) break;
        return answer(core.saveXeroSettings(a.settings as XeroAppSettings, a.clientSecret as string | null));
      }
      case "connect_xero":
        if (!core.connectXero) break;
        return core.connectXero().then((v) => answer(v));
      case "connect_file":
        if (!core.connectFile) break;
        return core.connectFile(a.id as FileId).then((v) => answer(v));
      case "merge_client_files":
        if (!core.mergeClientFiles) break;
        return answer(core.mergeClientFiles(a.kept as FileId, a.absorbed as FileId));
      case "sync_now":
        if (!core.syncNow) break;
        return core.syncNow().then((v) => answer(v));
      case "reconnect_in_queue":
        if (!core.reconnectInQueue) break;
        return core.reconnectInQueue().then((v) => answer(v));
      case "discard_reconnect_queue":
        return answer(core.xeroStatus ?? DEFAULT_XERO_STATUS);
      case "cancel_connect":
      case "cancel_sync":
        return null;
      case "leftovers":
        return [];
      case "mail_settings":
        return { settings: null, password_saved: false };
      case "egress_usage":
        return { months: [{ month: "2026-03", bytes: 0, calls: 0, by_api: [] }] };
    }
    throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
  }, { shouldMockEvents: true });
  return calls;
}

export { clearMocks };

/** Waits until `check` stops throwing (a few macrotasks and animation frames). */
export async function until<T>(check: () => T, timeoutMs = 2000): Promise<T> {
  const start = Date.now();
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() - start > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** Points the app's router at `hash`, as following a link would. */
export function go(hash: string): void {
  history.replaceState(null, "", hash);
  syncRoute();
}

/** An element's text as a person reads it (whitespace collapsed). */
export const text = (el: Element | null | undefined): string => el?.textContent?.replace(/\s+/g, " ").trim() ?? "";

/** Every piece of module-level UI state back to a fresh start: clock at NOW, on the table. */
export function resetApp(): void {
  resetViewState();
  resetTablePaintedForTests();
  resetOperationForTests();
  resetXeroStatusForTests();
  resetXpmForTests();
  setNow(NOW);
  go("#/");
}
