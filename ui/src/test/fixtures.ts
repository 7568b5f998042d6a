// Typed ClientFile fixtures for tests, the micro-benchmark and the dev-only mock page.
import type { AccountingSoftware } from "../bindings/AccountingSoftware";
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ClientFile } from "../bindings/ClientFile";
import type { ClientTable } from "../bindings/ClientTable";
import type { ConnectionState } from "../bindings/ConnectionState";
import type { PracticeSummary } from "../bindings/PracticeSummary";
import type { ServiceState } from "../bindings/ServiceState";
import { buildModel, sortedOrder } from "../lib/table-model";

export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0); // 25 Nov 2026 12:00 UTC

/** A healthy connected Xero file; override any field. */
export function makeFile(overrides: Partial<ClientFile> & { id: number }): ClientFile {
  const { id } = overrides;
  return {
    display_name: `Client ${id}`,
    remote_name: null,
    software: { kind: "xero" },
    connection: { state: "connected" },
    payroll: { state: "connected" },
    fixed_assets: { state: "connected" },
    xero: { tenant_id: `tenant-${id}`, connection_id: `conn-${id}`, short_code: `!sc${id}` },
    xpm: { uuid: `xpm-${id}`, name: `XPM Client ${id}`, web_url: `https://practicemanager.xero.com/Client/${id}/Detail`, archived: false, deleted: false },
    sync: { last_success_at: NOW - 5 * 60_000, last_attempt_at: NOW - 5 * 60_000, last_error: null },
    ...overrides,
  };
}

export function makeSummary(files: ClientFile[], overrides: Partial<PracticeSummary> = {}): PracticeSummary {
  let last: number | null = null;
  let attempt: number | null = null;
  let failed = 0;
  for (const f of files) {
    if (f.sync.last_success_at !== null && (last === null || f.sync.last_success_at > last)) last = f.sync.last_success_at;
    if (f.sync.last_attempt_at !== null && (attempt === null || f.sync.last_attempt_at > attempt)) attempt = f.sync.last_attempt_at;
    if (f.sync.last_error !== null) failed++;
  }
  return { total: files.length, last_synced_at: last, last_attempt_at: attempt, failed_count: failed, stale: false, ...overrides };
}

export function makeTable(files: ClientFile[], summary: Partial<PracticeSummary> = {}): ClientTable {
  return { files, summary: makeSummary(files, summary) };
}

// ---- generated practices ---------------------------------------------------------------

/** A small deterministic PRNG (mulberry32), so generated data is the same every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Harbour", "Kauri", "Southern", "Bluegum", "Coastal", "Riverside", "Alpine", "Summit", "Wattle", "Fern", "Granite", "Meadow", "Cedar", "Tasman", "Pacific", "Northern", "Highland", "Ōtaki", "Émile's", "Zephyr"];
const SECOND = ["Plumbing", "Dental", "Bakery", "Logistics", "Vineyards", "Builders", "Cafe", "Consulting", "Motors", "Florists", "Electrical", "Physio", "Accounting", "Joinery", "Landscaping", "Media", "Kitchens", "Surveyors"];
const SUFFIX = ["Ltd", "Pty Ltd", "Limited", "& Co", "Trust", "Partners", "LLC", ""];
const REASONS = ["The refresh token expired after 60 days without use", "Consent was revoked in Xero", "Missing scope payroll.employees"];
const DISCONNECTS = ["The organisation was removed from the connection", "The organisation was deleted at Xero"];
const ERRORS = ["Xero answered 503 Service Unavailable", "Timed out after 30 s", "Rate limit reached (429); will retry"];

export function generateFiles(count: number, seed = 42, now = NOW): ClientFile[] {
  const r = rng(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const files: ClientFile[] = [];
  for (let i = 0; i < count; i++) {
    const id = i + 1;
    const name = `${pick(FIRST)} ${pick(SECOND)} ${pick(SUFFIX)}`.trim() + (r() < 0.3 ? ` ${id}` : "");
    const roll = r();
    const software: AccountingSoftware =
      roll < 0.7 ? { kind: "xero" } : roll < 0.8 ? { kind: "quickbooks_online" } : roll < 0.88 ? { kind: "myob" } : roll < 0.95 ? { kind: "other", name: pick(["Sage", "FreeAgent", "Reckon"]) } : { kind: "none" };
    const cRoll = r();
    let connection: ConnectionState = { state: "not_connected" };
    if (software.kind === "xero") {
      connection = cRoll < 0.78 ? { state: "connected" } : cRoll < 0.88 ? { state: "needs_reconnect", reason: pick(REASONS) } : cRoll < 0.94 ? { state: "disconnected", reason: pick(DISCONNECTS) } : { state: "not_connected" };
    }
    const service = (): ServiceState => {
      if (connection.state === "not_connected") return { state: "not_checked" };
      const s = r();
      if (s < 0.7) return { state: "connected" };
      if (s < 0.8) return { state: "unavailable", reason: { kind: "not_subscribed" } };
      if (s < 0.85) return { state: "unavailable", reason: { kind: "not_set_up" } };
      if (s < 0.9) return { state: "unavailable", reason: { kind: "scope_not_granted" } };
      if (s < 0.95) return { state: "disconnected_by_staff" };
      return { state: "unavailable", reason: { kind: "wrong_region" } };
    };
    const xRoll = r();
    const xpm =
      xRoll < 0.2
        ? null
        : { uuid: `xpm-${id}`, name: `${name} (XPM)`, web_url: xRoll < 0.25 ? null : `https://practicemanager.xero.com/Client/${id}/Detail`, archived: xRoll > 0.95, deleted: xRoll > 0.98 };
    const age = Math.floor(r() * 5 * 24 * 60) * 60_000;
    const synced = connection.state === "not_connected" ? null : now - age;
    const failed = synced !== null && r() < 0.05;
    files.push({
      id,
      display_name: name,
      remote_name: software.kind === "xero" && r() < 0.2 ? `${name} (Xero)` : null,
      software,
      connection,
      payroll: service(),
      fixed_assets: service(),
      xero: software.kind === "xero" ? { tenant_id: `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`, connection_id: `c-${id}`, short_code: r() < 0.95 ? `!${(id * 7919).toString(36)}` : null } : null,
      xpm,
      sync: {
        last_success_at: synced,
        last_attempt_at: failed ? now - Math.floor(r() * 60) * 60_000 : synced,
        last_error: failed ? pick(ERRORS) : null,
      },
    });
  }
  return files;
}

/**
 * A ClientDetails answer. Written so it also fits the bindings as they grow: fields added later
 * (e.g. the Xero sign-in behind the file) default to "none".
 */
export function makeDetails(
  file: ClientFile,
  work_list: ClientDetails["work_list"] = [],
  history: ClientDetails["history"] = [],
): ClientDetails {
  return { file, work_list, history, xero_connection: null } as ClientDetails;
}

/** How many rows the core's load_client_table_head answers with (`table::FIRST_ROWS`). */
export const FIRST_ROWS = 100;

/**
 * What the core's load_client_table_head answers: the first `limit` files in the order the
 * screen first shows them (by name), with the summary of all the files.
 */
export function firstRowsOf(table: ClientTable, limit: number): ClientTable {
  const order = sortedOrder(buildModel(table.files), { key: "name", dir: "asc" });
  return { files: Array.from(order.subarray(0, limit), (i) => table.files[i]), summary: table.summary };
}
