// Connecting Xero and syncing, through the whole app over a fake core: "Add client files from
// Xero", the Connect icon, "Reconnect all", "Sync now", progress events, cancel, errors, toasts,
// the Settings page, the demo badge and the Client Console's sign-in details.
import { fireEvent, render } from "@testing-library/svelte";
import { emit } from "@tauri-apps/api/event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { ClientFile } from "./bindings/ClientFile";
import type { ConnectSummary } from "./bindings/ConnectSummary";
import type { FileConnectOutcome } from "./bindings/FileConnectOutcome";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { ReconnectQueue } from "./bindings/ReconnectQueue";
import type { SyncReport } from "./bindings/SyncReport";
import type { TokenSetInfo } from "./bindings/TokenSetInfo";
import type { XeroStatus } from "./bindings/XeroStatus";
import { makeDetails, makeFile, makeTable, NOW } from "./test/fixtures";
import { clearMocks, deferred, go, installCore, resetApp, text, until, xeroStatusOf, type FakeCore } from "./test/harness";
import { TEN_ROWS } from "./test/render";

beforeEach(resetApp);
afterEach(() => clearMocks());

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

const REPORT: SyncReport = { synced: 0, failed: 0, disconnected: 0, needs_reconnect: 0, cancelled: false };

const before: ClientFile[] = [
  makeFile({ id: 1, display_name: "Bravo Bakery" }),
  makeFile({ id: 2, display_name: "Lapsed Ltd", connection: { state: "needs_reconnect", reason: "Consent was revoked in Xero" } }),
  makeFile({ id: 3, display_name: "Also Lapsed", connection: { state: "needs_reconnect", reason: "The refresh token expired" } }),
  makeFile({ id: 4, display_name: "Books Online", software: { kind: "quickbooks_online" }, connection: { state: "not_connected" }, xero: null }),
];
const after: ClientFile[] = [
  makeFile({ id: 1, display_name: "Bravo Bakery" }),
  makeFile({ id: 2, display_name: "Lapsed Ltd" }),
  makeFile({
    id: 3,
    display_name: "Also Lapsed",
    sync: { last_success_at: NOW - 86_400_000, last_attempt_at: NOW - 60_000, last_error: "Xero answered 503" },
  }),
  before[3],
  makeFile({ id: 5, display_name: "Newly Added Ltd" }),
];

async function start(core: FakeCore) {
  const calls = installCore(core);
  const result = render(App, { props: { viewportHeight: TEN_ROWS } });
  await until(() => expect(result.container.querySelector('[role="row"][data-id], [data-testid="empty-state"], .page-title')).not.toBeNull());
  const q = <T extends Element = HTMLElement>(selector: string) => result.container.ownerDocument.querySelector<T>(selector);
  const byTest = (id: string) => q(`[data-testid="${id}"]`);
  /** For until(): throws while the element is missing. */
  const need = (id: string) => {
    const el = byTest(id);
    if (!el) throw new Error(`no [data-testid="${id}"]`);
    return el;
  };
  const count = (cmd: string) => calls.filter((c) => c.cmd === cmd).length;
  const bar = () => q('[role="progressbar"]');
  const toast = () => text(byTest("toast-text"));
  return { ...result, calls, q, byTest, need, count, bar, toast };
}

/** A table that changes once connect_xero or sync_now has finished. */
function changingTable() {
  let done = false;
  return { table: () => makeTable(done ? after : before), finish: () => (done = true) };
}

async function progress(p: SyncProgress) {
  await emit("sync-progress", p);
  await tick(0);
}

function rowIds(container: HTMLElement) {
  return Array.from(container.querySelectorAll<HTMLElement>('[role="row"][data-id]')).map((r) => Number(r.dataset.id));
}

describe("Add client files from Xero", () => {
  it("waits for the browser, shows progress from events, then a toast, and reloads the table", async () => {
    const rows = changingTable();
    const connect = deferred<ConnectSummary | ErrorPayload>();
    const t = await start({ table: rows.table, connectXero: () => connect.promise });
    // Start-up loaded the first rows, which here are all of them.
    expect(t.count("load_client_table_head")).toBe(1);
    expect(t.count("load_client_table")).toBe(0);
    const add = t.byTest("add-from-xero") as HTMLButtonElement;
    expect(add.classList.contains("btn-primary")).toBe(true);
    expect(text(add)).toBe("Add client files from Xero");

    await fireEvent.click(add);
    await until(() => expect(t.count("connect_xero")).toBe(1));
    // Waiting for consent: a non-blocking banner with Cancel; the table stays usable.
    const waiting = await until(() => t.need("waiting"));
    expect(text(waiting)).toContain("Waiting for you to allow access in your browser…");
    expect(t.byTest("operation")!.getAttribute("role")).toBe("status");
    expect(t.byTest("cancel-operation")).not.toBeNull();
    expect(t.bar()).toBeNull();
    expect(t.container.querySelectorAll('[role="row"][data-id]')).toHaveLength(4);
    // One long operation at a time.
    expect((t.byTest("add-from-xero") as HTMLButtonElement).disabled).toBe(true);
    expect((t.byTest("sync-now") as HTMLButtonElement).disabled).toBe(true);
    expect((t.byTest("reconnect-all") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(t.byTest("add-from-xero")!);
    await tick();
    expect(t.count("connect_xero")).toBe(1);

    // The consent came back; the sync part reports progress.
    await tick(350);
    await progress({ done: 0, total: 5, failed: 0 });
    await until(() => expect(t.bar()).not.toBeNull());
    expect(t.byTest("waiting")).toBeNull();
    expect(t.bar()!.getAttribute("aria-valuemax")).toBe("5");
    expect(t.bar()!.getAttribute("aria-valuenow")).toBe("0");
    await progress({ done: 3, total: 5, failed: 1 });
    await until(() => expect(t.bar()!.getAttribute("aria-valuenow")).toBe("3"));
    expect(t.bar()!.getAttribute("aria-valuetext")).toBe("3 of 5 files · 1 failed");
    expect(text(t.byTest("progress-text"))).toContain("3 of 5 files · 1 failed");
    expect(t.q<HTMLElement>(".progress-fill")!.style.width).toBe("60%");

    rows.finish();
    connect.resolve({ connected: 5, sync: { ...REPORT, synced: 4, failed: 1 } });
    await until(() => expect(t.toast()).toBe("Connected 5 client files; 1 failed to sync."));
    expect(t.byTest("toast")!.dataset.level).toBe("warn");
    expect(t.byTest("toast-region")!.getAttribute("aria-live")).toBe("polite");
    expect(t.count("load_client_table")).toBe(1);
    expect(rowIds(t.container)).toContain(5);
    // Rows show what the sync found: the lapsed file is connected, the failure has its reason and time.
    expect(t.container.querySelector('[data-id="2"] [aria-colindex="3"] [data-state="connected"]')).not.toBeNull();
    const failed = t.container.querySelector<HTMLElement>('[data-id="3"] .sync-failed')!;
    expect(failed.getAttribute("title")).toContain("Xero answered 503");
    expect(failed.getAttribute("title")).toContain("25 Nov 2026, 11:59:00");
    expect(t.byTest("operation")).toBeNull();
    expect(t.bar()).toBeNull();
    expect((t.byTest("add-from-xero") as HTMLButtonElement).disabled).toBe(false);
    expect(t.byTest("reconnect-all")).toBeNull();
  });

  it("a clean connect says how many files were connected", async () => {
    const t = await start({ table: makeTable(before), connectXero: async () => ({ connected: 1, sync: { ...REPORT, synced: 1 } }) });
    await fireEvent.click(t.byTest("add-from-xero")!);
    await until(() => expect(t.toast()).toBe("Connected 1 client file."));
    expect(t.byTest("toast")!.dataset.level).toBe("ok");
    expect(t.byTest("toast")!.getAttribute("role")).toBe("status");
  });

  it("Cancel while waiting calls cancel_connect; the core's message is shown and the table reloaded", async () => {
    const connect = deferred<ConnectSummary | ErrorPayload>();
    const t = await start({ table: makeTable(before), connectXero: () => connect.promise });
    await fireEvent.click(t.byTest("add-from-xero")!);
    await until(() => t.need("waiting"));
    await fireEvent.click(t.byTest("cancel-operation")!);
    expect(t.count("cancel_connect")).toBe(1);
    expect(t.count("cancel_sync")).toBe(0);
    await until(() => expect(text(t.byTest("cancel-operation"))).toBe("Cancelling…"));
    connect.resolve({ kind: "sign_in_cancelled", message: "Sign-in was cancelled. Nothing was connected." });
    await until(() => expect(t.toast()).toBe("Sign-in was cancelled. Nothing was connected."));
    expect(t.byTest("operation")).toBeNull();
    expect(t.count("load_client_table")).toBe(1);
    expect((t.byTest("add-from-xero") as HTMLButtonElement).disabled).toBe(false);
  });

  it("Cancel once the sync part has started calls cancel_sync", async () => {
    const connect = deferred<ConnectSummary | ErrorPayload>();
    const t = await start({ table: makeTable(before), connectXero: () => connect.promise });
    await fireEvent.click(t.byTest("add-from-xero")!);
    await until(() => t.need("waiting"));
    await tick(350);
    await progress({ done: 1, total: 4, failed: 0 });
    await until(() => expect(t.bar()).not.toBeNull());
    await fireEvent.click(t.byTest("cancel-operation")!);
    expect(t.count("cancel_sync")).toBe(1);
    expect(t.count("cancel_connect")).toBe(0);
    connect.resolve({ connected: 4, sync: { ...REPORT, synced: 1, cancelled: true } });
    await until(() => expect(t.toast()).toBe("Connected 4 client files. The sync was cancelled; files not reached keep their last good data."));
  });

  const errors: [ErrorKind, string][] = [
    ["consent_denied", "Access was not allowed in Xero. Nothing was connected."],
    ["sign_in_timed_out", "Nobody answered Xero's page within 10 minutes. Try again."],
    ["sign_in_cancelled", "Sign-in was cancelled."],
    ["sign_in_state_mismatch", "The answer from the browser did not match this sign-in. Try again."],
    ["sign_in_failed", "Xero refused the sign-in: invalid_client. Check the client id in Settings."],
    ["no_free_port", "All redirect ports (53682, 53683) are in use. Free one or add a port in Settings."],
    ["invalid_input", "No Xero app is set up yet. Enter its client id in Settings."],
    ["xero_unreachable", "Xero could not be reached. Check the internet connection."],
    ["credential_store", "The system credential store is locked. Unlock it and try again."],
  ];
  it.each(errors)("%s: the toast shows the core's message", async (kind, message) => {
    const t = await start({ table: makeTable(before), connectXero: async () => ({ kind, message }) });
    await fireEvent.click(t.byTest("add-from-xero")!);
    await until(() => expect(t.toast()).toBe(message));
    const toast = t.byTest("toast")!;
    expect(toast.getAttribute("role")).toBe(kind === "sign_in_cancelled" ? "status" : "alert");
    expect(t.count("load_client_table")).toBe(1);
    const offersSettings = kind === "invalid_input" || kind === "no_free_port";
    expect(t.byTest("toast-settings") !== null).toBe(offersSettings);
    if (offersSettings) {
      await fireEvent.click(t.byTest("toast-settings")!);
      await until(() => expect(location.hash).toBe("#/settings"));
      await until(() => expect(text(t.q(".page-title"))).toBe("Settings"));
      expect(t.byTest("toast")).toBeNull();
    }
    // Dismissable.
    if (!offersSettings) {
      await fireEvent.click(t.q('[data-testid="toast"] [aria-label="Dismiss"]')!);
      expect(t.byTest("toast")).toBeNull();
    }
  });
});

describe("Sync now", () => {
  it("shows a determinate progress bar after a moment, cancels, reports, and updates the rows", async () => {
    const rows = changingTable();
    const sync = deferred<SyncReport | ErrorPayload>();
    const t = await start({ table: rows.table, syncNow: () => sync.promise });
    await fireEvent.click(t.byTest("sync-now")!);
    await until(() => expect(t.count("sync_now")).toBe(1));
    expect(text(t.byTest("sync-now"))).toBe("Syncing…");
    expect((t.byTest("add-from-xero") as HTMLButtonElement).disabled).toBe(true);
    expect((t.byTest("reconnect-all") as HTMLButtonElement).disabled).toBe(true);
    // Connect icons wait too, and say why.
    const connect = t.container.querySelector<HTMLElement>('[data-id="2"] [data-action="connect"]')!;
    await until(() => expect(connect.getAttribute("aria-disabled")).toBe("true"));
    expect(connect.getAttribute("title")).toContain("Wait for the sync to finish");
    // No bar in the first moment: a quick sync must not flash one.
    expect(t.bar()).toBeNull();
    await tick(50);
    await progress({ done: 2, total: 8, failed: 0 });
    expect(t.bar()).toBeNull();
    await until(() => expect(t.bar()).not.toBeNull());
    expect(t.bar()!.getAttribute("aria-valuenow")).toBe("2");
    expect(t.bar()!.getAttribute("aria-valuemax")).toBe("8");
    expect(t.bar()!.getAttribute("aria-valuemin")).toBe("0");
    expect(t.bar()!.getAttribute("aria-label")).toBe("Syncing client files");
    await progress({ done: 5, total: 8, failed: 2 });
    await until(() => expect(t.bar()!.getAttribute("aria-valuetext")).toBe("5 of 8 files · 2 failed"));

    await fireEvent.click(t.byTest("cancel-operation")!);
    expect(t.count("cancel_sync")).toBe(1);
    rows.finish();
    sync.resolve({ synced: 5, failed: 2, disconnected: 0, needs_reconnect: 1, cancelled: true });
    await until(() => expect(t.toast()).toBe("Sync cancelled after 5 client files; 2 failed to sync, 1 needs reconnecting."));
    expect(t.count("load_client_table")).toBe(1);
    expect(t.bar()).toBeNull();
    expect(text(t.byTest("sync-now"))).toBe("Sync now");
    expect(rowIds(t.container)).toContain(5);
    expect(t.container.querySelector('[data-id="3"] .sync-failed')).not.toBeNull();
    expect(t.container.querySelector('[data-id="2"] [data-action="connect"]')).toBeNull();
  });

  it("a sync that ends within the moment never shows a progress bar", async () => {
    const t = await start({ table: makeTable(before), syncNow: async () => ({ ...REPORT, synced: 3 }) });
    let sawBar = false;
    const observer = new MutationObserver(() => (sawBar ||= document.querySelector('[role="progressbar"]') !== null));
    observer.observe(document.body, { childList: true, subtree: true });
    await fireEvent.click(t.byTest("sync-now")!);
    await until(() => expect(t.toast()).toBe("Synced 3 client files."));
    await tick(400);
    observer.disconnect();
    expect(sawBar).toBe(false);
    expect(t.count("load_client_table")).toBe(1);
  });

  it("a failed sync shows the core's message and still reloads the rows", async () => {
    const t = await start({ table: makeTable(before), syncNow: async () => ({ kind: "xero_unreachable", message: "Xero could not be reached." }) });
    await fireEvent.click(t.byTest("sync-now")!);
    await until(() => expect(t.toast()).toBe("Xero could not be reached."));
    expect(t.byTest("toast")!.getAttribute("role")).toBe("alert");
    expect(t.count("load_client_table")).toBe(1);
  });

  it("is disabled with nothing to sync", async () => {
    const t = await start({ table: makeTable([]) });
    expect((t.byTest("sync-now") as HTMLButtonElement).disabled).toBe(true);
    expect((t.byTest("add-from-xero") as HTMLButtonElement).disabled).toBe(false);
  });
});

describe("Reconnect all that need it", () => {
  it("counts the files that need reconnecting and runs one consent", async () => {
    const t = await start({ table: makeTable(before), connectXero: async () => ({ connected: 2, sync: { ...REPORT, synced: 2 } }) });
    const button = t.byTest("reconnect-all")!;
    expect(text(button)).toBe("Reconnect all that need it (2)");
    expect(button.getAttribute("title")).toContain("Xero opens in your browser and asks which organisations to allow");
    await fireEvent.click(button);
    await until(() => expect(t.count("connect_xero")).toBe(1));
    await until(() => expect(t.toast()).toBe("Connected 2 client files."));
  });

  it("is not shown when no file needs it", async () => {
    const t = await start({ table: makeTable(after) });
    expect(t.byTest("reconnect-all")).toBeNull();
    expect(t.byTest("add-from-xero")).not.toBeNull();
  });

  it("below Advanced is a queue of single consents that says where it stands, and Cancel pauses it", async () => {
    const queue = deferred<ReconnectQueue | ErrorPayload>();
    const t = await start({
      table: makeTable(before),
      xeroStatus: xeroStatusOf({ client_id: "ABC", tier: "core" }),
      reconnectInQueue: () => queue.promise,
    });
    const button = await until(() => t.need("reconnect-all"));
    expect(button.getAttribute("title")).toContain("one consent each");
    await fireEvent.click(button);
    await until(() => expect(t.count("reconnect_in_queue")).toBe(1));
    expect(t.count("connect_xero")).toBe(0);
    await emit("reconnect-queue", { done: 0, total: 2, next: "Also Lapsed" });
    await until(() => expect(text(t.need("queue-standing"))).toBe("0 of 2 reconnected; next: Also Lapsed"));
    expect(t.count("load_client_table")).toBe(0);
    await emit("reconnect-queue", { done: 1, total: 2, next: "Lapsed Ltd" });
    await until(() => expect(text(t.need("queue-standing"))).toBe("1 of 2 reconnected; next: Lapsed Ltd"));
    // The file just reconnected shows in its row while the queue goes on.
    await until(() => expect(t.count("load_client_table")).toBe(1));
    expect(text(t.need("waiting"))).toContain("choose Lapsed Ltd there");
    await fireEvent.click(t.byTest("cancel-operation")!);
    expect(t.count("cancel_connect")).toBe(1);
    queue.resolve({ done: 1, total: 2, next: "Lapsed Ltd" });
    await until(() => expect(t.toast()).toBe("Paused: 1 of 2 reconnected; next: Lapsed Ltd. Reconnect all resumes it."));
    expect(t.byTest("toast")!.dataset.level).toBe("warn");
    expect(t.byTest("operation")).toBeNull();
  });

  it("below Advanced, adding is consent after consent until Cancel, each file showing as it comes", async () => {
    const consents = [deferred<ConnectSummary | ErrorPayload>(), deferred<ConnectSummary | ErrorPayload>(), deferred<ConnectSummary | ErrorPayload>()];
    let calls = 0;
    const t = await start({
      table: makeTable(after),
      xeroStatus: xeroStatusOf({ client_id: "ABC", tier: "starter" }),
      connectXero: () => consents[calls++].promise,
    });
    await until(() => expect(t.count("xero_status")).toBe(1));
    const add = t.byTest("add-from-xero")!;
    expect(add.getAttribute("title")).toContain("once per organisation");
    await fireEvent.click(add);
    await until(() => expect(text(t.need("added-so-far"))).toBe("Nothing added yet"));
    consents[0].resolve({ connected: 1, sync: { ...REPORT, synced: 1 } });
    await until(() => expect(t.count("connect_xero")).toBe(2));
    await until(() => expect(text(t.need("added-so-far"))).toBe("1 client file added"));
    await until(() => expect(t.count("load_client_table")).toBe(1));
    consents[1].resolve({ connected: 1, sync: { ...REPORT, synced: 1 } });
    await until(() => expect(text(t.need("added-so-far"))).toBe("2 client files added"));
    await fireEvent.click(t.byTest("cancel-operation")!);
    expect(t.count("cancel_connect")).toBe(1);
    consents[2].resolve({ kind: "sign_in_cancelled", message: "Sign-in was cancelled. Nothing was connected." });
    await until(() => expect(t.toast()).toBe("Added 2 client files."));
    expect(t.byTest("toast")!.dataset.level).toBe("ok");
    expect(t.count("connect_xero")).toBe(3);
    expect(t.byTest("operation")).toBeNull();
  });

  it("a paused queue is offered to resume, or discard", async () => {
    const paused = { done: 3, total: 16, next: "Acme Ltd" };
    const t = await start({
      table: makeTable(before),
      xeroStatus: xeroStatusOf({ client_id: "ABC", tier: "core" }, { reconnect_queue: paused }),
      reconnectInQueue: async () => ({ done: 16, total: 16, next: null }),
    });
    const resume = await until(() => t.need("resume-reconnect"));
    expect(text(resume)).toBe("Resume reconnecting (3 of 16 done)");
    expect(t.byTest("reconnect-all")).toBeNull();
    await fireEvent.click(resume);
    await until(() => expect(t.toast()).toBe("All 16 reconnected."));
    expect(t.count("reconnect_in_queue")).toBe(1);
    expect(t.count("xero_status")).toBeGreaterThan(1);
    await fireEvent.click(t.need("discard-reconnect"));
    await until(() => expect(t.count("discard_reconnect_queue")).toBe(1));
  });
});

describe("the Connect icon", () => {
  it("(re)connects Xero files through connect_xero, and does nothing for other software", async () => {
    const connect = deferred<ConnectSummary | ErrorPayload>();
    const t = await start({ table: makeTable(before), connectXero: () => connect.promise });
    const qbo = t.container.querySelector<HTMLElement>('[data-id="4"] [data-action="connect"]')!;
    expect(qbo.getAttribute("aria-disabled")).toBe("true");
    await fireEvent.click(qbo);
    expect(t.count("connect_xero")).toBe(0);
    expect(t.byTest("operation")).toBeNull();

    const lapsed = t.container.querySelector<HTMLElement>('[data-id="2"] [data-action="connect"]')!;
    expect(lapsed.getAttribute("aria-disabled")).toBeNull();
    await fireEvent.click(lapsed);
    await until(() => expect(t.count("connect_xero")).toBe(1));
    await until(() => t.need("waiting"));
    // A second Connect while one runs does not start another.
    const other = t.container.querySelector<HTMLElement>('[data-id="3"] [data-action="connect"]')!;
    await until(() => expect(other.getAttribute("aria-disabled")).toBe("true"));
    expect(other.getAttribute("title")).toContain("Wait for the Xero connection to finish");
    await fireEvent.click(other);
    await tick();
    expect(t.count("connect_xero")).toBe(1);
    connect.resolve({ connected: 1, sync: { ...REPORT, synced: 1 } });
    await until(() => expect(t.toast()).toBe("Connected 1 client file."));
    expect(other.getAttribute("aria-disabled")).toBeNull();
  });
});

describe("the Connect icon of a file not yet linked to an organisation", () => {
  const handMade = makeFile({ id: 6, display_name: "Hand Made Ltd", connection: { state: "not_connected" }, xero: null, xpm: null, sync: { last_success_at: null, last_attempt_at: null, last_error: null } });
  const twin = makeFile({ id: 1, display_name: "Bravo Bakery" });
  const files = [twin, handMade, before[3], makeFile({ id: 7, display_name: "Myob Pty", software: { kind: "myob" }, connection: { state: "not_connected" }, xero: null })];
  const row = (t: { container: HTMLElement }, id: number) => t.container.querySelector<HTMLElement>(`[data-id="${id}"] [data-action="connect"]`)!;

  it("connects that one file through connect_file, never connect_xero", async () => {
    const answer = deferred<FileConnectOutcome | ErrorPayload>();
    const t = await start({ table: makeTable(files), connectFile: () => answer.promise });
    const connect = row(t, 6);
    expect(connect.getAttribute("title")).toContain("pick this client's organisation");
    await fireEvent.click(connect);
    await until(() => expect(t.count("connect_file")).toBe(1));
    expect(t.calls.find((c) => c.cmd === "connect_file")!.args).toEqual({ id: 6 });
    const waiting = await until(() => t.need("waiting"));
    expect(text(waiting)).toBe("Xero is open in your browser: choose the one organisation that is Hand Made Ltd, then come back here.");
    answer.resolve({ outcome: "connected", file: 6, sync: { ...REPORT, synced: 1 } });
    await until(() => expect(t.toast()).toBe("Connected Hand Made Ltd to Xero."));
    expect(t.count("connect_xero")).toBe(0);
    expect(t.byTest("merge-dialog")).toBeNull();
  });

  it("says so when nothing was picked, or the sign-in was cancelled", async () => {
    const answers: (FileConnectOutcome | ErrorPayload)[] = [
      { outcome: "nothing_picked", file: 6 },
      { kind: "sign_in_cancelled", message: "Sign-in was cancelled. Nothing was connected." },
    ];
    const t = await start({ table: makeTable(files), connectFile: async () => answers.shift()! });
    await fireEvent.click(row(t, 6));
    await until(() => expect(t.toast()).toBe("No organisation was picked in Xero, so Hand Made Ltd was not connected. Nothing changed."));
    await fireEvent.click(row(t, 6));
    await until(() => expect(t.toast()).toBe("Sign-in was cancelled. Nothing was connected."));
    expect(t.count("merge_client_files")).toBe(0);
  });

  const already: FileConnectOutcome = {
    outcome: "already_another_file",
    file: 6,
    file_name: "Hand Made Ltd",
    other: 1,
    other_name: "Bravo Bakery",
    organisation_name: "<b>Bravo</b> Bakery Pty",
  };

  it("offers to merge when the organisation already is another file, and merges on request", async () => {
    const t = await start({ table: makeTable(files), connectFile: async () => already, mergeClientFiles: () => ({ ...twin, display_name: "Hand Made Ltd" }) });
    await fireEvent.click(row(t, 6));
    const dialog = await until(() => t.need("merge-dialog"));
    // Xero's name is shown as text, never as markup.
    expect(text(t.need("merge-explained"))).toBe(
      "The Xero organisation you picked, <b>Bravo</b> Bakery Pty, is already the client file Bravo Bakery. Nothing was changed.",
    );
    expect(dialog.querySelector("b")).toBeNull();
    expect(t.count("merge_client_files")).toBe(0);
    await fireEvent.click(t.need("merge-confirm"));
    await until(() => expect(t.count("merge_client_files")).toBe(1));
    expect(t.calls.find((c) => c.cmd === "merge_client_files")!.args).toEqual({ kept: 1, absorbed: 6 });
    await until(() => expect(t.toast()).toBe("Merged into one client file: Hand Made Ltd, connected to Xero."));
    expect(t.byTest("merge-dialog")).toBeNull();
  });

  it("keeps both files when the person declines the merge", async () => {
    const t = await start({ table: makeTable(files), connectFile: async () => already, mergeClientFiles: () => twin });
    await fireEvent.click(row(t, 6));
    await until(() => t.need("merge-dialog"));
    await fireEvent.click(t.need("merge-decline"));
    await until(() => expect(t.byTest("merge-dialog")).toBeNull());
    expect(t.toast()).toBe("Kept both files as they were; Hand Made Ltd is still not connected.");
    expect(t.count("merge_client_files")).toBe(0);
  });

  it("on QuickBooks Online and MYOB files says Switchboard connects Xero files, and starts nothing", async () => {
    const t = await start({ table: makeTable(files), connectFile: async () => already });
    for (const [id, software] of [[4, "QuickBooks Online"], [7, "MYOB"]] as const) {
      const connect = row(t, id);
      expect(connect.getAttribute("aria-disabled")).toBe("true");
      expect(connect.getAttribute("title")).toContain(`Switchboard connects Xero organisations only; connecting ${software} files is not supported`);
      await fireEvent.click(connect);
      await until(() => expect(t.toast()).toBe(`Switchboard connects Xero organisations only; connecting ${software} files is not supported.`));
    }
    await tick();
    expect(t.count("connect_file") + t.count("connect_xero")).toBe(0);
    expect(t.byTest("operation")).toBeNull();
  });
});

describe("the Not Xero badge", () => {
  it("names the host the app talks to in Xero's place", async () => {
    const status = xeroStatusOf({ redirect_ports: [53682] }, { not_xero_hosts: ["127.0.0.1:4567"] });
    const t = await start({ table: makeTable(before), xeroStatus: status });
    const badge = await until(() => t.need("not-xero-badge"));
    expect(text(badge)).toBe("Not Xero: 127.0.0.1:4567");
    expect(badge.getAttribute("title")).toContain("127.0.0.1:4567 in Xero's place");
    expect(badge.closest("header")).not.toBeNull();
  });

  it("names every host when several endpoints are elsewhere", async () => {
    const status = xeroStatusOf({}, { not_xero_hosts: ["collector.example", "127.0.0.1:9"] });
    const t = await start({ table: makeTable(before), xeroStatus: status });
    const badge = await until(() => t.need("not-xero-badge"));
    expect(text(badge)).toBe("Not Xero: collector.example, 127.0.0.1:9");
  });

  it("is absent with the real Xero", async () => {
    const t = await start({ table: makeTable(before), xeroStatus: xeroStatusOf({ client_id: "ABC", redirect_ports: [53682] }) });
    await until(() => expect(t.count("xero_status")).toBe(1));
    await tick();
    expect(t.byTest("not-xero-badge")).toBeNull();
  });
});

describe("Settings", () => {
  const stored: XeroStatus = xeroStatusOf({ client_id: "CLIENT-1" });

  async function openSettings(core: FakeCore) {
    const t = await start({ table: makeTable(before), ...core });
    expect(t.byTest("settings-link")!.getAttribute("href")).toBe("#/settings");
    go("#/settings");
    await until(() => expect(t.q("#s-client-id")).not.toBeNull());
    const input = (id: string) => t.q<HTMLInputElement>(id)!;
    return { ...t, input };
  }

  it("loads the Xero app settings and shows the exact redirect URIs", async () => {
    const t = await openSettings({ xeroStatus: stored });
    expect(t.input("#s-client-id").value).toBe("CLIENT-1");
    expect(t.input("#s-ports").value).toBe("53682, 53683");
    expect(Array.from(document.querySelectorAll('[data-testid="redirect-uri"]')).map(text)).toEqual([
      "http://localhost:53682/callback",
      "http://localhost:53683/callback",
    ]);
    expect(t.input('[data-testid="web-app"]').checked).toBe(false);
    expect(t.byTest("secret")).toBeNull();
    expect(t.byTest("settings-real")).not.toBeNull();
    // The URIs follow what is typed.
    await fireEvent.input(t.input("#s-ports"), { target: { value: "6000,6001, 6002" } });
    expect(Array.from(document.querySelectorAll('[data-testid="redirect-uri"]')).map(text)).toEqual([
      "http://localhost:6000/callback",
      "http://localhost:6001/callback",
      "http://localhost:6002/callback",
    ]);
  });

  it("records the app's tier and shows the connections in use against its cap", async () => {
    let saved: unknown = null;
    const usage = { tier: "core" as const, connections_in_use: 23, connection_cap: 50, daily_calls_per_organisation: 5000, monthly_egress_allowance_bytes: 10_000_000_000, one_organisation_per_consent: true };
    const t = await openSettings({
      xeroStatus: stored,
      saveXeroSettings: (settings) => {
        saved = settings;
        return xeroStatusOf(settings, { usage });
      },
    });
    expect(t.q<HTMLSelectElement>("#s-tier")!.value).toBe("");
    expect(text(t.byTest("tier-usage"))).toBe("Connections in use: 0. Record the tier to see them against its cap.");
    await fireEvent.change(t.q<HTMLSelectElement>("#s-tier")!, { target: { value: "core" } });
    await fireEvent.click(t.byTest("save")!);
    await until(() => expect(text(t.byTest("saved"))).toBe("Saved."));
    expect(saved).toMatchObject({ client_id: "CLIENT-1", tier: "core" });
    expect(text(t.byTest("tier-usage"))).toBe(
      "Connections in use: 23 of 50 · 5,000 calls per organisation a day · one organisation per consent · 10 GB of downloads a month included.",
    );
  });

  it("says which host is in Xero's place", async () => {
    const t = await openSettings({ xeroStatus: { ...stored, not_xero_hosts: ["127.0.0.1:4567"] } });
    const note = text(t.byTest("settings-not-xero"));
    expect(note).toContain("Not Xero: 127.0.0.1:4567");
    expect(note).toContain("local Xero simulator");
  });

  it("saves the settings and the typed secret once; the secret is cleared and never shown", async () => {
    const SECRET = "s3cr3t-Never-Shown-9f2";
    let saved: unknown[] = [];
    const t = await openSettings({
      xeroStatus: stored,
      saveXeroSettings: (settings, clientSecret) => {
        saved = [settings, clientSecret];
        return xeroStatusOf(settings);
      },
    });
    await fireEvent.input(t.input("#s-client-id"), { target: { value: "  NEW-CLIENT  " } });
    await fireEvent.input(t.input("#s-ports"), { target: { value: "6000, 6001" } });
    await fireEvent.click(t.input('[data-testid="web-app"]'));
    const secret = await until(() => t.need("secret") as HTMLInputElement);
    expect(secret.type).toBe("password");
    await fireEvent.input(secret, { target: { value: SECRET } });
    await fireEvent.click(t.byTest("save")!);
    await until(() => expect(text(t.byTest("saved"))).toBe("Saved."));
    expect(saved).toEqual([{ client_id: "NEW-CLIENT", redirect_ports: [6000, 6001], has_client_secret: true, tier: null }, SECRET]);
    expect(t.calls.find((c) => c.cmd === "save_xero_settings")!.args).toEqual({
      settings: { client_id: "NEW-CLIENT", redirect_ports: [6000, 6001], has_client_secret: true, tier: null },
      clientSecret: SECRET,
    });
    expect(t.input('[data-testid="secret"]').value).toBe("");
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(text(t.byTest("secret-state"))).toContain("A client secret is stored");
    expect(t.input('[data-testid="secret"]').placeholder).toBe("A secret is stored; type a new one to replace it");

    // Saving again without typing keeps the stored secret (null).
    await fireEvent.click(t.byTest("save")!);
    await until(() => expect(t.calls.filter((c) => c.cmd === "save_xero_settings")).toHaveLength(2));
    expect(t.calls.filter((c) => c.cmd === "save_xero_settings")[1].args.clientSecret).toBeNull();
  });

  it("shows the core's validation message next to the form, keeping what was typed", async () => {
    const t = await openSettings({
      xeroStatus: stored,
      saveXeroSettings: () => ({ kind: "invalid_input", message: "Port 80 is reserved; use a port from 1024 to 65535." }),
    });
    await fireEvent.input(t.input("#s-ports"), { target: { value: "80" } });
    await fireEvent.click(t.byTest("save")!);
    const error = await until(() => t.need("save-error"));
    expect(text(error)).toBe("Port 80 is reserved; use a port from 1024 to 65535.");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.closest("form")).not.toBeNull();
    expect(t.input("#s-ports").value).toBe("80");
    expect(t.input("#s-client-id").value).toBe("CLIENT-1");
    expect(text(t.byTest("saved"))).toBe("");
    // The header's status did not change either.
    expect(t.byTest("not-xero-badge")).toBeNull();
  });

  it("a port list that is not numbers is explained before anything is sent", async () => {
    const t = await openSettings({ xeroStatus: stored, saveXeroSettings: () => stored });
    await fireEvent.input(t.input("#s-ports"), { target: { value: "53682, abc" } });
    expect(t.input("#s-ports").getAttribute("aria-invalid")).toBe("true");
    expect(text(t.byTest("redirect-uris"))).toContain("“abc” is not a port number");
    await fireEvent.click(t.byTest("save")!);
    expect(text(t.byTest("save-error"))).toContain("“abc” is not a port number");
    expect(t.count("save_xero_settings")).toBe(0);
  });

  it("a stored secret is never sent back or shown", async () => {
    const t = await openSettings({ xeroStatus: { ...stored, settings: { ...stored.settings, has_client_secret: true } } });
    expect(t.input('[data-testid="web-app"]').checked).toBe(true);
    expect(t.input('[data-testid="secret"]').value).toBe("");
    expect(text(t.byTest("secret-state"))).toContain("never shown");
  });
});

describe("the Client Console's Xero sign-in", () => {
  const signIn: TokenSetInfo = {
    id: 7,
    xero_user_id: "b5c1d2e3-user",
    scopes: ["offline_access", "accounting.settings.read"],
    access_expires_at: NOW + 20 * 60_000,
    lapses_at: NOW + 59 * 86_400_000,
    needs_reconnect: false,
  };

  async function consoleFor(info: TokenSetInfo | null) {
    go("#/clients/1/console");
    const file = makeFile({ id: 1, display_name: "Bravo Bakery" });
    const t = await start({ table: makeTable([file]), details: () => ({ ...makeDetails(file), xero_connection: info }), connectXero: () => new Promise(() => {}) });
    await until(() => expect(t.q('[data-field="token_owner"]')).not.toBeNull());
    return (name: string) => t.q(`[data-field="${name}"]`);
  }

  it("shows who connected it and when it lapses if unused", async () => {
    const field = await consoleFor(signIn);
    expect(text(field("token_owner"))).toBe("Connected by Xero user b5c1d2e3-user");
    expect(text(field("token_lapse"))).toBe("Connection lapses 23 Jan 2027 (in 59 days) if unused");
    expect(field("token_lapse")!.className).not.toContain("lapse-");
    expect(text(field("token_scopes"))).toBe("offline_access accounting.settings.read");
    expect(document.querySelector('[data-testid="console-reconnect"]')).toBeNull();
  });

  it("says when the sign-in needs reconnecting, and offers the same Connect as the row", async () => {
    const field = await consoleFor({ ...signIn, needs_reconnect: true });
    expect(text(field("token_lapse"))).toBe("Lapsed: Xero no longer accepts this sign-in. Reconnect the file.");
    expect(field("token_lapse")!.classList.contains("lapse-gone")).toBe(true);
    const button = document.querySelector<HTMLButtonElement>('[data-testid="console-reconnect"]')!;
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    await until(() => expect(document.querySelector('[data-testid="waiting"]')).not.toBeNull());
    expect(button.disabled).toBe(true);
  });

  it("says when no sign-in reaches the file", async () => {
    const field = await consoleFor(null);
    expect(text(field("token_owner"))).toContain("No Xero sign-in reaches this file");
    expect(field("token_lapse")).toBeNull();
  });
});
