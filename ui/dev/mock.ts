// Dev-only: run the UI in a plain browser with a fake core.
//   dev/mock.html?n=300          a practice of 300 generated files (default 400)
//   dev/mock.html?n=0            the empty cache
//   dev/mock.html?unusable=1     a corrupt cache, with the start-fresh flow
//   dev/mock.html?stale=1        the offline/stale indicator
//   dev/mock.html?real=1         a real Xero app (no demo badge); default: the simulator (demo)
//   dev/mock.html?op=connect     clicks "Add client files from Xero"; ?consent=ms: the person allows
//                                access after that long (default: waits until Cancel)
//   dev/mock.html?op=sync        clicks "Sync now"; ?hold=0.4 stops the sync at 40 % (for screenshots)
//   dev/mock.html?fail=no_free_port  connect_xero / sync_now end with that error kind
//   dev/mock.html?save=1#/settings   clicks Save on the Settings page (?badport=1 makes it fail)
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ClientDetails } from "../src/bindings/ClientDetails";
import type { ClientFile } from "../src/bindings/ClientFile";
import type { ConnectSummary } from "../src/bindings/ConnectSummary";
import type { ErrorKind } from "../src/bindings/ErrorKind";
import type { SyncReport } from "../src/bindings/SyncReport";
import type { XeroAppSettings } from "../src/bindings/XeroAppSettings";
import type { XeroStatus } from "../src/bindings/XeroStatus";
import type { WorkItem } from "../src/bindings/WorkItem";
import { FIRST_ROWS, firstRowsOf, generateFiles, makeDetails, makeTable } from "../src/test/fixtures";
import { unavailableExplanation } from "../src/lib/format";
import { encodeClientTable } from "../src/lib/client-table";

const params = new URLSearchParams(location.search);
const count = Number(params.get("n") ?? 400);
let unusable = params.get("unusable") === "1";
const now = Date.now();
const files: ClientFile[] = generateFiles(count, 7, now);
// Fresh objects every time, as the real IPC (JSON) gives.
const table = () =>
  makeTable(structuredClone(files), { stale: params.get("stale") === "1", last_synced_at: files.length ? now - 3 * 60_000 : null });
if (files.length > 3) {
  files[2] = { ...files[2], display_name: "<img src=x onerror=alert(1)>" };
  files[3] = { ...files[3], display_name: "Ngā Hua o te Whenua, \"Smith & Sons\" Ltd" };
}
if (files.length > 6) {
  files[4] = { ...files[4], display_name: "Alpine " + "Very Long Name ".repeat(700) };
  files[5] = { ...files[5], display_name: "Alpine شركة المحاسبة 🚀 Ltd" };
  files[6] = { ...files[6], display_name: "Alpine '; DROP TABLE client_files; --\u0007\u001b[31m" };
}

// ---- a fake Xero: consent, then a sync that reports progress -------------------------------------

let xeroSettings: XeroAppSettings = params.get("real") === "1"
  ? { client_id: "6F1D0E1C2B3A49588776655443322110", redirect_ports: [53682, 53683, 53684], has_client_secret: false, tier: "core" }
  : { client_id: null, redirect_ports: [53682, 53683, 53684], has_client_secret: false, tier: null };
const simulated = params.get("real") !== "1";
const status = (): XeroStatus => ({
  settings: xeroSettings,
  not_xero_hosts: simulated ? ["127.0.0.1:4567"] : [],
  usage: {
    tier: xeroSettings.tier,
    connections_in_use: 42,
    connection_cap: xeroSettings.tier === "core" ? 50 : null,
    daily_calls_per_organisation: xeroSettings.tier === null ? null : 5000,
    monthly_egress_allowance_bytes: xeroSettings.tier === "core" ? 10_000_000_000 : null,
    one_organisation_per_consent: xeroSettings.tier === "core",
  },
  reconnect_queue: null,
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failKind = params.get("fail") as ErrorKind | null;
const FAIL_MESSAGES: Partial<Record<ErrorKind, string>> = {
  consent_denied: "Access was not allowed on Xero's page, so nothing was connected.",
  sign_in_timed_out: "Nobody allowed access in the browser within 10 minutes. Try again when you are ready.",
  no_free_port: "Sign-in could not listen on any redirect port (53682, 53683, 53684 are in use). Close the program using them, or add a port in Settings and register it with the Xero app.",
  invalid_input: "No Xero app is set up yet. Enter the practice's Xero client id in Settings.",
  xero_unreachable: "Xero could not be reached. Check the internet connection and try again.",
};
let cancelWaiting: (() => void) | null = null;
let cancelSyncing = false;

async function syncFiles(targets: ClientFile[]): Promise<SyncReport> {
  const report: SyncReport = { synced: 0, failed: 0, disconnected: 0, needs_reconnect: 0, cancelled: false };
  const hold = params.get("hold");
  const total = targets.length;
  cancelSyncing = false;
  for (let done = 0; done < total; ) {
    if (cancelSyncing) {
      report.cancelled = true;
      break;
    }
    if (hold !== null && done >= Number(hold) * total) {
      await wait(60_000);
      continue;
    }
    const step = Math.min(total - done, Math.max(1, Math.ceil(total / 60)));
    for (let i = 0; i < step; i++) {
      const file = targets[done + i];
      const at = Date.now();
      if ((file.id * 37) % 41 === 0) {
        file.sync = { ...file.sync, last_attempt_at: at, last_error: "Xero answered 503 Service Unavailable" };
        report.failed++;
      } else {
        file.sync = { last_success_at: at, last_attempt_at: at, last_error: null };
        report.synced++;
      }
    }
    done += step;
    await emit("sync-progress", { done, total, failed: report.failed });
    await wait(40);
  }
  return report;
}

async function connectXero(): Promise<ConnectSummary> {
  if (failKind) {
    await wait(700);
    throw { kind: failKind, message: FAIL_MESSAGES[failKind] ?? `Mock failure: ${failKind}` };
  }
  const consent = params.get("consent");
  await new Promise<void>((resolve, reject) => {
    cancelWaiting = () => reject({ kind: "sign_in_cancelled", message: "Sign-in was cancelled. Nothing was connected." });
    if (consent !== null) setTimeout(resolve, Number(consent));
  });
  cancelWaiting = null;
  // The person allowed every organisation: lapsed files come back, and three new ones arrive.
  const back = files.filter((f) => f.connection.state === "needs_reconnect");
  for (const f of back) f.connection = { state: "connected" };
  const next = files.length + 1;
  const added: ClientFile[] = ["Kōwhai Orchards Ltd", "Lakeside Veterinary Clinic", "Marlborough Sound Charters"].map((name, i) => ({
    ...files[0],
    id: next + i,
    display_name: name,
    remote_name: null,
    software: { kind: "xero" },
    connection: { state: "connected" },
    xero: { tenant_id: `new-tenant-${i}`, connection_id: `new-conn-${i}`, short_code: `!new${i}` },
    xpm: null,
    sync: { last_success_at: null, last_attempt_at: null, last_error: null },
  }));
  files.push(...added);
  const report = await syncFiles([...back, ...added]);
  return { connected: back.length + added.length, sync: report };
}

async function syncNow(): Promise<SyncReport> {
  if (failKind) {
    await wait(700);
    throw { kind: failKind, message: FAIL_MESSAGES[failKind] ?? `Mock failure: ${failKind}` };
  }
  return syncFiles(files.filter((f) => f.software.kind === "xero" && f.connection.state !== "not_connected"));
}

function workList(file: ClientFile): WorkItem[] {
  const items: WorkItem[] = [];
  if (file.connection.state === "needs_reconnect")
    items.push({ problem: "needs_reconnect", severity: "critical", summary: "The connection to the accounting software has lapsed. Reconnect it.", detail: file.connection.reason });
  if (file.connection.state === "disconnected")
    items.push({ problem: "disconnected", severity: "critical", summary: "The organisation is no longer connected. Connect it again or delete the client file.", detail: file.connection.reason });
  if (file.sync.last_error)
    items.push({ problem: "last_sync_failed", severity: "high", summary: "The last sync failed; the row shows the last good data.", detail: file.sync.last_error });
  if (file.payroll.state === "unavailable")
    items.push({ problem: "payroll_unavailable", severity: "medium", summary: "Payroll cannot be reached for this file.", detail: unavailableExplanation(file.payroll.reason) });
  if (!file.xpm) items.push({ problem: "no_xpm_link", severity: "low", summary: "Not linked to an XPM client. Link it.", detail: null });
  return items;
}

mockIPC((cmd, args) => {
  const a = args as Record<string, unknown>;
  switch (cmd) {
    case "cache_status":
      return unusable
        ? { state: "unusable", path: "/home/anna/.local/share/switchboard/cache.sqlite3", error: { kind: "cache_corrupt", message: "The cache file is damaged (file is not a database). It was left as it is." } }
        : { state: "ready", path: "/home/anna/.local/share/switchboard/cache.sqlite3" };
    case "load_client_table":
      return encodeClientTable(table());
    case "load_client_table_head":
      return encodeClientTable(firstRowsOf(table(), FIRST_ROWS));
    case "client_details": {
      const file = files.find((f) => f.id === a.id);
      if (!file) throw { kind: "not_found", message: "That client file is no longer in the cache." };
      const details: ClientDetails = makeDetails(
        file,
        workList(file),
        file.id % 2 ? [] : [{ at: now - 86_400_000, file_id: file.id, file_name: file.display_name, action: "rename", old_value: "Old name Ltd", new_value: file.display_name, actor: "Demo staff" }],
      );
      if (file.software.kind === "xero" && file.connection.state !== "not_connected") {
        details.xero_connection = {
          id: 1 + (file.id % 3),
          xero_user_id: ["4f1c2d3e-9a8b-4c7d-8e6f-0a1b2c3d4e5f", "b7e2c1a0-5d4f-4e3b-9a2c-1f0e9d8c7b6a", "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f"][file.id % 3],
          scopes: ["openid", "profile", "email", "offline_access", "accounting.settings.read", "payroll.settings.read", "assets.read"],
          access_expires_at: now + 20 * 60_000,
          lapses_at: now + (file.id % 3 === 0 ? 4 : 57) * 86_400_000,
          needs_reconnect: file.connection.state === "needs_reconnect",
        };
      }
      return details;
    }
    case "export_csv":
      return { path: "/home/anna/Downloads/switchboard-clients.csv", rows: (a.ids as number[]).length };
    case "start_fresh_cache":
      unusable = false;
      return { kept_at: "/home/anna/.local/share/switchboard/cache.sqlite3.corrupt-20261125" };
    case "table_painted":
      console.info("table_painted");
      return null;
    case "xero_status":
      return status();
    case "save_xero_settings": {
      const settings = a.settings as XeroAppSettings;
      const bad = settings.redirect_ports.find((p) => p < 1024);
      if (bad !== undefined) throw { kind: "invalid_input", message: `Port ${bad} is reserved by the system; use ports from 1024 to 65535.` };
      if (settings.redirect_ports.length === 0) throw { kind: "invalid_input", message: "Add at least one redirect port." };
      if (settings.has_client_secret && !xeroSettings.has_client_secret && !a.clientSecret)
        throw { kind: "invalid_input", message: "A Web app needs its client secret: paste it from developer.xero.com." };
      xeroSettings = { ...settings };
      return status();
    }
    case "connect_xero":
      return connectXero();
    case "cancel_connect":
      cancelWaiting?.();
      return null;
    case "sync_now":
      return syncNow();
    case "cancel_sync":
      cancelSyncing = true;
      return null;
  }
  throw { kind: "invalid_input", message: `mock: unknown command ${cmd}` };
}, { shouldMockEvents: true });

await import("../src/main");

// Screenshot helpers: ?q=text types a search, ?keys=ArrowDown,ArrowDown presses keys, ?menu=1
// opens the selected row's Settings menu, ?filter=needs_reconnect presses a filter chip.
setTimeout(() => {
  const q = params.get("q");
  const input = document.querySelector<HTMLInputElement>('input[type="search"]');
  if (q !== null && input) {
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  for (const id of (params.get("filter") ?? "").split(",").filter(Boolean)) {
    document.querySelector<HTMLButtonElement>(`[data-filter="${id}"]`)?.click();
  }
  for (const key of (params.get("keys") ?? "").split(",").filter(Boolean)) {
    window.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
  }
  const op = params.get("op");
  if (op === "connect") document.querySelector<HTMLButtonElement>('[data-testid="add-from-xero"]')?.click();
  if (op === "sync") document.querySelector<HTMLButtonElement>('[data-testid="sync-now"]')?.click();
  if (params.get("save") === "1") {
    setTimeout(() => {
      if (params.get("badport") === "1") {
        const ports = document.querySelector<HTMLInputElement>("#s-ports")!;
        ports.value = "80, 53682";
        ports.dispatchEvent(new Event("input", { bubbles: true }));
      }
      document.querySelector<HTMLButtonElement>('[data-testid="save"]')?.click();
    }, 200);
  }
  if (params.get("menu") === "1") {
    setTimeout(() => document.querySelector<HTMLButtonElement>('[role="row"][aria-selected="true"] .settings')?.click(), 50);
  }
}, 300);

// ?perf=1: types "harbour" one key at a time, then sorts by three columns, and writes the
// keystroke/click-to-painted-rows times (performance measures) into the page as JSON.
if (params.get("perf") === "1") {
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  setTimeout(async () => {
    const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
    for (const text of ["h", "ha", "har", "harb", "harbo", "harbou", "harbour", "harbou", "harbo", "harb", "har", "ha", "h", ""]) {
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await wait(60);
    }
    for (const key of ["connection", "connection", "software", "xpm", "last_synced", "name", "name"]) {
      document.querySelector<HTMLButtonElement>(`[data-sort="${key}"]`)!.click();
      await wait(60);
    }
    const out = document.createElement("pre");
    out.id = "perf";
    const pick = (name: string) => performance.getEntriesByName(`switchboard:${name}`).map((e) => Math.round(e.duration * 10) / 10);
    out.textContent = JSON.stringify({ rows: count, search: pick("search"), sort: pick("sort") });
    document.body.append(out);
  }, 800);
}
