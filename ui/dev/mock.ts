// Dev-only: run the UI in a plain browser with a fake core.
//   dev/mock.html?n=300          a practice of 300 generated files (default 400)
//   dev/mock.html?n=0            the empty cache
//   dev/mock.html?unusable=1     a corrupt cache, with the start-fresh flow
//   dev/mock.html?stale=1        the offline/stale indicator
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ClientDetails } from "../src/bindings/ClientDetails";
import type { ClientFile } from "../src/bindings/ClientFile";
import type { WorkItem } from "../src/bindings/WorkItem";
import { generateFiles, makeDetails, makeTable } from "../src/test/fixtures";
import { unavailableExplanation } from "../src/lib/format";

const params = new URLSearchParams(location.search);
const count = Number(params.get("n") ?? 400);
let unusable = params.get("unusable") === "1";
const now = Date.now();
const files: ClientFile[] = generateFiles(count, 7, now);
if (files.length > 3) {
  files[2] = { ...files[2], display_name: "<img src=x onerror=alert(1)>" };
  files[3] = { ...files[3], display_name: "Ngā Hua o te Whenua, \"Smith & Sons\" Ltd" };
}
if (files.length > 6) {
  files[4] = { ...files[4], display_name: "Alpine " + "Very Long Name ".repeat(700) };
  files[5] = { ...files[5], display_name: "Alpine شركة المحاسبة 🚀 Ltd" };
  files[6] = { ...files[6], display_name: "Alpine '; DROP TABLE client_files; --\u0007\u001b[31m" };
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
      return makeTable(files, { stale: params.get("stale") === "1", last_synced_at: files.length ? now - 3 * 60_000 : null });
    case "client_details": {
      const file = files.find((f) => f.id === a.id);
      if (!file) throw { kind: "not_found", message: "That client file is no longer in the cache." };
      const details: ClientDetails = makeDetails(
        file,
        workList(file),
        file.id % 2 ? [] : [{ at: now - 86_400_000, file_id: file.id, file_name: file.display_name, action: "rename", old_value: "Old name Ltd", new_value: file.display_name }],
      );
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
  }
  throw { kind: "invalid_input", message: `mock: unknown command ${cmd}` };
});

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
