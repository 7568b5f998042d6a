// The whole app over a fake core: start-up, empty and unusable caches, pages, navigation.
import { fireEvent, render } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { ClientDetails } from "./bindings/ClientDetails";
import type { ClientFile } from "./bindings/ClientFile";
import type { ClientTable } from "./bindings/ClientTable";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import { firstRowsOf, makeDetails, makeFile, makeTable, NOW } from "./test/fixtures";
import { clearMocks, go, installCore, resetApp, text, until, type FakeCore } from "./test/harness";
import { TEN_ROWS } from "./test/render";
import { encodeClientTable } from "./lib/client-table";

beforeEach(resetApp);
afterEach(() => clearMocks());

function start(core: FakeCore) {
  const calls = installCore(core);
  const result = render(App, { props: { viewportHeight: TEN_ROWS } });
  return { ...result, calls };
}


const files: ClientFile[] = [
  makeFile({ id: 1, display_name: "Bravo Bakery" }),
  makeFile({
    id: 2,
    display_name: "<img src=x onerror=alert(1)>",
    remote_name: "Alpha Remote Ltd",
    connection: { state: "needs_reconnect", reason: "Consent was revoked in Xero" },
    payroll: { state: "unavailable", reason: { kind: "not_subscribed" } },
    fixed_assets: { state: "disconnected_by_staff" },
    xero: { tenant_id: "11111111-2222-4333-8444-555555555555", connection_id: "conn-abc", short_code: "!mBdtL" },
    xpm: { uuid: "xpm-uuid-9", name: "Alpha XPM", web_url: "https://practicemanager.xero.com/Client/9/Detail", archived: true, deleted: false },
    sync: { last_success_at: NOW - 86_400_000, last_attempt_at: NOW - 3_600_000, last_error: "Xero answered 503" },
  }),
];

function details(id: number): ClientDetails | ErrorPayload {
  const file = files.find((f) => f.id === id);
  if (!file) return { kind: "not_found", message: "That client file is no longer in the cache." };
  if (id === 1) return makeDetails(file);
  return makeDetails(
    file,
    // Deliberately out of order: the page shows the most severe first.
    [
      { problem: "no_xpm_link", severity: "low", summary: "Low thing.", detail: null },
      { problem: "payroll_unavailable", severity: "medium", summary: "Payroll cannot be reached for this file.", detail: "the organisation is not subscribed" },
      { problem: "needs_reconnect", severity: "critical", summary: "The connection to the accounting software has lapsed. Reconnect it.", detail: "Consent was revoked in Xero" },
      { problem: "last_sync_failed", severity: "high", summary: "The last sync failed; the row shows the last good data.", detail: "Xero answered 503" },
    ],
    [{ at: NOW - 2 * 3_600_000, file_id: 2, file_name: "Alpha", action: "rename", old_value: "Alpha", new_value: "<img src=x onerror=alert(1)>", actor: null }],
  );
}

/** Starts the app over a core that answers the first `first` rows at once and every row when the
 * test calls `deliverAllRows` (after the app has asked for them). */
async function startWithFirstRows(table: ClientTable, first: number) {
  const calls = installCore({});
  clearMocks();
  const { mockIPC } = await import("@tauri-apps/api/mocks");
  let deliver: (payload: unknown) => void = () => {};
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    if (cmd === "cache_status") return { state: "ready", path: "/x" };
    if (cmd === "load_client_table_head") return encodeClientTable(firstRowsOf(table, first));
    if (cmd === "load_client_table") return new Promise((resolve) => (deliver = resolve));
    return null;
  });
  const t = render(App, { props: { viewportHeight: TEN_ROWS } });
  const deliverAllRows = async () => {
    await until(() => expect(calls.some((c) => c.cmd === "load_client_table")).toBe(true));
    deliver(encodeClientTable(table));
  };
  return { t, calls, deliverAllRows };
}

describe("start-up", () => {
  it("loads the table and reports the first paint exactly once", async () => {
    const t = start({ table: makeTable(files) });
    await until(() => expect(t.container.querySelectorAll('[role="row"][data-id]')).toHaveLength(2));
    await until(() => expect(t.calls.filter((c) => c.cmd === "table_painted")).toHaveLength(1));
    expect(t.calls.map((c) => c.cmd).slice(0, 2)).toEqual(["cache_status", "load_client_table_head"]);
    // The first rows were all the rows: nothing more to load, and the one report says so.
    expect(t.calls.some((c) => c.cmd === "load_client_table")).toBe(false);
    expect(t.calls.find((c) => c.cmd === "table_painted")!.args.complete).toBe(true);
    // Navigating away and back repaints the table but does not report again.
    go("#/clients/1/console");
    await until(() => expect(t.container.querySelector(".page-title")).not.toBeNull());
    go("#/");
    await until(() => expect(t.container.querySelector('[role="grid"]')).not.toBeNull());
    await new Promise((r) => setTimeout(r, 80));
    expect(t.calls.filter((c) => c.cmd === "table_painted")).toHaveLength(1);
  });

  it("an empty cache shows the inviting empty state (and reports the paint)", async () => {
    const t = start({ table: makeTable([]), status: { state: "ready", path: "/data/switchboard/cache.sqlite3" } });
    const empty = await until(() => t.getByTestId("empty-state"));
    expect(text(empty)).toContain("Your practice's client files will appear here");
    expect(text(empty)).toContain("switchboard list");
    expect(text(empty)).toContain("/data/switchboard/cache.sqlite3");
    expect(t.container.querySelector('[role="grid"]')).toBeNull();
    await until(() => expect(t.calls.filter((c) => c.cmd === "table_painted")).toHaveLength(1));
  });

  it("an unusable cache: the message, the path, and Start a fresh cache, then the table", async () => {
    const t = start({
      status: {
        state: "unusable",
        path: "/data/switchboard/cache.sqlite3",
        error: { kind: "cache_corrupt", message: "The cache file is damaged. It was left as it is." },
      },
      keptAt: "/data/switchboard/cache.sqlite3.damaged-1",
      freshTable: makeTable([makeFile({ id: 9, display_name: "Fresh Start Ltd" })]),
    });
    const page = await until(() => t.getByTestId("unusable"));
    expect(text(t.getByTestId("unusable-message"))).toBe("The cache file is damaged. It was left as it is.");
    expect(text(t.getByTestId("unusable-path"))).toBe("/data/switchboard/cache.sqlite3");
    expect(text(page)).toContain("kept");
    expect(t.calls.some((c) => c.cmd === "load_client_table")).toBe(false);
    expect(t.calls.some((c) => c.cmd === "table_painted")).toBe(false);
    await fireEvent.click(t.getByText("Start a fresh cache"));
    await until(() => expect(t.container.querySelector('[role="row"][data-id="9"]')).not.toBeNull());
    expect(t.calls.map((c) => c.cmd)).toContain("start_fresh_cache");
    expect(text(t.container.querySelector(".banner-info"))).toContain("/data/switchboard/cache.sqlite3.damaged-1");
    await until(() => expect(t.calls.filter((c) => c.cmd === "table_painted")).toHaveLength(1));
  });

  it("a cache that cannot be opened for a reason that may pass: Try again, never Start a fresh cache", async () => {
    const denied = {
      state: "unusable" as const,
      path: "/data/switchboard/cache.sqlite3",
      error: { kind: "cache_unavailable" as const, message: "The local cache could not be opened (permission denied)." },
    };
    const t = start({
      status: denied,
      reopened: [denied, { state: "ready", path: "/data/switchboard/cache.sqlite3" }],
      table: makeTable([makeFile({ id: 4, display_name: "Still Here Ltd" })]),
    });
    const page = await until(() => t.getByTestId("unusable"));
    expect(text(t.getByTestId("unusable-message"))).toContain("permission denied");
    expect(t.queryByText("Start a fresh cache")).toBeNull();
    expect(text(page)).toContain("not damaged");
    await fireEvent.click(t.getByText("Try again"));
    await until(() => t.getByTestId("still-failing"));
    expect(t.calls.some((c) => c.cmd === "load_client_table_head")).toBe(false);
    await fireEvent.click(t.getByText("Try again"));
    await until(() => expect(t.container.querySelector('[role="row"][data-id="4"]')).not.toBeNull());
    expect(t.calls.filter((c) => c.cmd === "reopen_cache")).toHaveLength(2);
    expect(t.calls.some((c) => c.cmd === "start_fresh_cache")).toBe(false);
    await until(() => expect(t.calls.filter((c) => c.cmd === "table_painted")).toHaveLength(1));
  });

  it("a cache from a newer Switchboard may be set aside", async () => {
    const t = start({
      status: { state: "unusable", path: "/c.sqlite3", error: { kind: "cache_too_new", message: "Written by a newer Switchboard." } },
    });
    await until(() => t.getByTestId("unusable"));
    expect(t.getByText("Start a fresh cache")).not.toBeNull();
    expect(t.queryByText("Try again")).toBeNull();
  });

  it("draws the screen's frame while the rows load, and reports the paint only once they are in", async () => {
    const calls = installCore({});
    clearMocks();
    const { mockIPC } = await import("@tauri-apps/api/mocks");
    let deliver: (payload: unknown) => void = () => {};
    mockIPC((cmd) => {
      calls.push({ cmd, args: {} });
      if (cmd === "cache_status") return { state: "ready", path: "/x" };
      if (cmd === "load_client_table_head") return new Promise((resolve) => (deliver = resolve));
      return null;
    });
    const t = render(App, { props: { viewportHeight: TEN_ROWS } });
    await until(() => expect(t.getByTestId("rows-loading").textContent).toContain("Loading client files…"));
    expect(t.getByRole("searchbox", { name: "Search client names" })).toBeTruthy();
    expect(t.container.querySelector('[data-count="needs_reconnect"]')!.textContent).toBe("…");
    expect(t.queryByTestId("empty-state")).toBeNull();
    expect(t.queryByTestId("practice-sync")).toBeNull();
    expect(text(t.getByTestId("shown"))).toBe("");
    expect(calls.filter((c) => c.cmd === "table_painted")).toHaveLength(0);

    deliver(encodeClientTable(makeTable(files)));
    await until(() => expect(t.container.querySelectorAll('[role="row"][data-id]')).toHaveLength(2));
    expect(t.queryByTestId("rows-loading")).toBeNull();
    expect(text(t.getByTestId("shown"))).toBe("Showing 2 of 2 client files");
    expect(t.container.querySelector('[data-count="needs_reconnect"]')!.textContent).toBe("1");
    await until(() => expect(calls.filter((c) => c.cmd === "table_painted")).toHaveLength(1));
  });

  it("paints the first rows while the rest load; counts, other views and export wait for all of them", async () => {
    const five = [
      makeFile({ id: 1, display_name: "Echo Electrical" }),
      makeFile({ id: 2, display_name: "alpha Accounting", connection: { state: "needs_reconnect", reason: "expired" } }),
      makeFile({ id: 3, display_name: "Delta Data", connection: { state: "needs_reconnect", reason: "expired" } }),
      makeFile({ id: 4, display_name: "Émile Bakery" }),
      makeFile({ id: 5, display_name: "Bravo Bakery" }),
    ];
    const table = makeTable(five);
    const { t, calls, deliverAllRows } = await startWithFirstRows(table, 2);
    // Row ids in on-screen order (row elements are in slot order: see lib/row-slots.ts).
    const ids = () =>
      Array.from(t.container.querySelectorAll<HTMLElement>('[role="row"][data-id]'))
        .sort((a, b) => Number(a.getAttribute("aria-rowindex")) - Number(b.getAttribute("aria-rowindex")))
        .map((r) => Number(r.dataset.id));
    await until(() => expect(ids()).toEqual([2, 5]));
    expect(text(t.getByTestId("shown"))).toBe("Loading all 5 client files…");
    expect(t.container.querySelector('[data-count="needs_reconnect"]')!.textContent).toBe("…");
    expect((t.getByTestId("export-csv") as HTMLButtonElement).disabled).toBe(true);
    // Two files need a reconnect, but only one of them is here yet: no count is better than a wrong one.
    expect(t.queryByTestId("reconnect-all")).toBeNull();
    expect(t.getByTestId("practice-sync")).toBeTruthy();
    await until(() => expect(calls.filter((c) => c.cmd === "table_painted").map((c) => c.args.complete)).toEqual([false]));

    // A search needs every row: it waits for them rather than search the first two.
    await fireEvent.input(t.getByRole("searchbox", { name: "Search client names" }), { target: { value: "bakery" } });
    expect(ids()).toEqual([]);
    expect(t.getByTestId("rows-loading")).toBeTruthy();

    await deliverAllRows();
    await until(() => expect(ids()).toEqual([5, 4]));
    expect(text(t.getByTestId("shown"))).toBe("Showing 2 of 5 client files");
    expect(t.container.querySelector('[data-count="needs_reconnect"]')!.textContent).toBe("0");
    await fireEvent.input(t.getByRole("searchbox", { name: "Search client names" }), { target: { value: "" } });
    expect(ids()).toEqual([2, 5, 3, 1, 4]);
    expect(t.container.querySelector('[data-count="needs_reconnect"]')!.textContent).toBe("2");
    expect(text(t.getByTestId("reconnect-all"))).toContain("(2)");
    expect((t.getByTestId("export-csv") as HTMLButtonElement).disabled).toBe(false);
    await until(() => expect(calls.filter((c) => c.cmd === "table_painted").map((c) => c.args.complete)).toEqual([false, true]));
  });

  it("draws only the visible rows while the first rows are on screen alone, then the overscan too", async () => {
    const table = makeTable(Array.from({ length: 40 }, (_, i) => makeFile({ id: i + 1, display_name: `Client ${String(i).padStart(2, "0")}` })));
    const { t, deliverAllRows } = await startWithFirstRows(table, 20);
    const drawn = () => t.container.querySelectorAll('[role="row"][data-id]').length;
    await until(() => expect(drawn()).toBe(10));
    await deliverAllRows();
    await until(() => expect(text(t.getByTestId("shown"))).toBe("Showing 40 of 40 client files"));
    expect(drawn()).toBe(14);
  });

  it("a failed load shows the core's message and can retry", async () => {
    const calls = installCore({ table: makeTable(files) });
    clearMocks();
    const { mockIPC } = await import("@tauri-apps/api/mocks");
    let fail = true;
    mockIPC((cmd) => {
      calls.push({ cmd, args: {} });
      if (cmd === "cache_status") return { state: "ready", path: "/x" };
      if (cmd === "load_client_table_head") {
        if (fail) throw { kind: "storage", message: "The cache could not be read. Try again." };
        return encodeClientTable(makeTable(files));
      }
      return null;
    });
    const t = render(App, { props: { viewportHeight: TEN_ROWS } });
    await until(() => expect(text(t.getByTestId("load-failed"))).toContain("The cache could not be read. Try again."));
    fail = false;
    await fireEvent.click(t.getByText("Try again"));
    await until(() => expect(t.container.querySelectorAll('[role="row"][data-id]')).toHaveLength(2));
  });
});

describe("pages", () => {
  it("hover links lead to the right client's pages, and Back keeps search, sort and filters", async () => {
    const t = start({ table: makeTable(files), details });
    await until(() => expect(t.container.querySelectorAll('[role="row"][data-id]')).toHaveLength(2));
    const input = t.container.querySelector<HTMLInputElement>('input[type="search"]')!;
    await fireEvent.input(input, { target: { value: "bakery" } });
    await fireEvent.click(t.container.querySelector('[data-sort="connection"]')!);
    await fireEvent.click(t.container.querySelector('[data-filter="xero"]')!);
    const link = t.container.querySelector<HTMLAnchorElement>('[data-id="1"] [data-link="console"]')!;
    expect(link.getAttribute("href")).toBe("#/clients/1/console");
    go(link.getAttribute("href")!);
    await until(() => expect(text(t.container.querySelector(".page-title"))).toBe("Bravo Bakery"));
    expect(t.calls.filter((c) => c.cmd === "client_details").at(-1)!.args).toEqual({ id: 1 });
    // Escape goes back to the table with the same state.
    await fireEvent.keyDown(document.body, { key: "Escape" });
    expect(location.hash).toBe("#/");
    await until(() => expect(t.container.querySelector('[role="grid"]')).not.toBeNull());
    expect(t.container.querySelector<HTMLInputElement>('input[type="search"]')!.value).toBe("bakery");
    expect(t.container.querySelector('[data-sort="connection"]')!.closest('[role="columnheader"]')!.getAttribute("aria-sort")).toBe("ascending");
    expect(t.container.querySelector('[data-filter="xero"]')!.getAttribute("aria-pressed")).toBe("true");
    expect(Array.from(t.container.querySelectorAll('[role="row"][data-id]')).map((r) => r.getAttribute("data-id"))).toEqual(["1"]);

    const work = t.container.querySelector<HTMLAnchorElement>('[data-id="1"] [data-link="work-list"]')!;
    expect(work.getAttribute("href")).toBe("#/clients/1/work-list");
  });

  it("the Client Console shows everything the cache knows, and the history", async () => {
    go("#/clients/2/console");
    const t = start({ table: makeTable(files), details });
    await until(() => expect(t.container.querySelector('[data-field="tenant_id"]')).not.toBeNull());
    const field = (name: string) => text(t.container.querySelector(`[data-field="${name}"]`));
    expect(text(t.container.querySelector(".page-title"))).toBe("<img src=x onerror=alert(1)>");
    expect(t.container.querySelector("img")).toBeNull();
    expect(field("remote_name")).toBe("Alpha Remote Ltd");
    expect(field("software")).toBe("Xero");
    expect(field("connection")).toBe("Needs reconnect");
    expect(field("connection_reason")).toBe("Consent was revoked in Xero");
    expect(field("payroll")).toBe("Unavailable: the organisation is not subscribed");
    expect(field("fixed_assets")).toBe("Disconnected by staff");
    expect(field("tenant_id")).toBe("11111111-2222-4333-8444-555555555555");
    expect(field("connection_id")).toBe("conn-abc");
    expect(field("short_code")).toBe("!mBdtL");
    expect(field("xpm_name")).toBe("Alpha XPM");
    expect(field("xpm_status")).toBe("Archived in XPM");
    expect(field("xpm_url")).toBe("https://practicemanager.xero.com/Client/9/Detail");
    expect(field("last_success")).toContain("24 Nov 2026, 12:00:00");
    expect(field("last_attempt")).toContain("25 Nov 2026, 11:00:00");
    expect(field("last_error")).toBe("Xero answered 503");
    // Work list summary, most severe first.
    const severities = Array.from(t.container.querySelectorAll("[data-severity]")).map((el) => el.getAttribute("data-severity"));
    expect(severities).toEqual(["critical", "high", "medium", "low"]);
    const rows = t.getAllByTestId("history-row");
    expect(rows).toHaveLength(1);
    expect(text(rows[0])).toContain("Renamed");
    expect(text(rows[0])).toContain("Alpha");
    expect(text(rows[0])).toContain("<img src=x onerror=alert(1)>");
    expect(t.getByTestId("back").getAttribute("href")).toBe("#/");
  });

  it("the Client Console of a file with no history says so", async () => {
    go("#/clients/1/console");
    const t = start({ table: makeTable(files), details });
    await until(() => expect(text(t.getByTestId("no-history"))).toBe("No changes recorded yet."));
    expect(t.container.querySelector('[data-field="xpm_name"]')).not.toBeNull();
  });

  it("the Work list shows the open problems by severity, with detail", async () => {
    go("#/clients/2/work-list");
    const t = start({ table: makeTable(files), details });
    await until(() => expect(t.container.querySelectorAll(".work-item")).toHaveLength(4));
    const items = Array.from(t.container.querySelectorAll(".work-item"));
    expect(items.map((i) => i.getAttribute("data-problem"))).toEqual(["needs_reconnect", "last_sync_failed", "payroll_unavailable", "no_xpm_link"]);
    expect(items.map((i) => text(i.querySelector(".severity")))).toEqual(["Critical", "High", "Medium", "Low"]);
    expect(text(items[0].querySelector(".work-detail"))).toBe("Consent was revoked in Xero");
    expect(items[3].querySelector(".work-detail")).toBeNull();
  });

  it("an empty Work list says Nothing to do", async () => {
    go("#/clients/1/work-list");
    const t = start({ table: makeTable(files), details });
    await until(() => expect(text(t.getByTestId("nothing-to-do"))).toContain("Nothing to do"));
  });

  it("a client that is gone shows the core's message", async () => {
    go("#/clients/77/console");
    const t = start({ table: makeTable(files), details });
    await until(() => expect(text(t.container.querySelector('[role="alert"]'))).toBe("That client file is no longer in the cache."));
  });
});
