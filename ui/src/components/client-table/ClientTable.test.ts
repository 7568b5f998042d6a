// Search, sort, filters with counts, keyboard navigation, virtualisation and CSV export.
import { fireEvent } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientFile } from "../../bindings/ClientFile";
import { router } from "../../lib/router.svelte";
import { generateFiles, makeFile, NOW } from "../../test/fixtures";
import { clearMocks, installCore, until } from "../../test/harness";
import { renderTable } from "../../test/render";

afterEach(() => {
  clearMocks();
  history.replaceState(null, "", "#/");
  router.route = { page: "table" };
});

const files: ClientFile[] = [
  makeFile({ id: 1, display_name: "Bravo Bakery", remote_name: "Bravo Holdings" }),
  makeFile({ id: 2, display_name: "Alpha Accounting", connection: { state: "needs_reconnect", reason: "expired" } }),
  makeFile({ id: 3, display_name: "Echo Electrical", software: { kind: "myob" }, connection: { state: "not_connected" }, xero: null, xpm: null }),
  makeFile({ id: 4, display_name: "Charlie Cafe", software: { kind: "quickbooks_online" }, connection: { state: "not_connected" }, payroll: { state: "unavailable", reason: { kind: "not_subscribed" } } }),
  makeFile({ id: 5, display_name: "Delta Data", sync: { last_success_at: NOW - 86_400_000, last_attempt_at: NOW, last_error: "503" }, xpm: null }),
];

const search = (container: HTMLElement) => container.querySelector<HTMLInputElement>('input[type="search"]')!;
const chip = (container: HTMLElement, id: string) => container.querySelector<HTMLButtonElement>(`[data-filter="${id}"]`)!;
const count = (container: HTMLElement, id: string) => container.querySelector(`[data-count="${id}"]`)!.textContent;
const header = (container: HTMLElement, key: string) => container.querySelector<HTMLButtonElement>(`[data-sort="${key}"]`)!;

describe("search", () => {
  it("narrows the rows by name and remote name, case-insensitively", async () => {
    const t = renderTable(files);
    expect(t.shownIds()).toEqual([2, 1, 4, 5, 3]);
    await fireEvent.input(search(t.container), { target: { value: "CAFE" } });
    expect(t.shownIds()).toEqual([4]);
    await fireEvent.input(search(t.container), { target: { value: "holdings" } });
    expect(t.shownIds()).toEqual([1]);
    expect(t.container.querySelector('[data-testid="shown"]')!.textContent!.trim()).toBe("Showing 1 of 5 client files");
  });

  it("no matches: says so and offers to clear", async () => {
    const t = renderTable(files);
    await fireEvent.input(search(t.container), { target: { value: "zebra" } });
    expect(t.shownIds()).toEqual([]);
    expect(t.container.textContent).toContain("No client files match “zebra”");
    const clear = Array.from(t.container.querySelectorAll("button")).find((b) => b.textContent === "Clear search and filters" && b.classList.contains("btn"))!;
    await fireEvent.click(clear);
    expect(t.shownIds()).toHaveLength(5);
    expect(search(t.container).value).toBe("");
  });
});

describe("sort", () => {
  it("header buttons toggle ascending and descending, with aria-sort", async () => {
    const t = renderTable(files);
    const nameHeader = header(t.container, "name").closest('[role="columnheader"]')!;
    expect(nameHeader.getAttribute("aria-sort")).toBe("ascending");
    await fireEvent.click(header(t.container, "name"));
    expect(nameHeader.getAttribute("aria-sort")).toBe("descending");
    expect(t.shownIds()).toEqual([3, 5, 4, 1, 2]);

    await fireEvent.click(header(t.container, "connection"));
    const connHeader = header(t.container, "connection").closest('[role="columnheader"]')!;
    expect(connHeader.getAttribute("aria-sort")).toBe("ascending");
    expect(nameHeader.getAttribute("aria-sort")).toBe("none");
    // connected (by name), needs reconnect, not connected (by name)
    expect(t.shownIds()).toEqual([1, 5, 2, 4, 3]);
    await fireEvent.click(header(t.container, "connection"));
    expect(connHeader.getAttribute("aria-sort")).toBe("descending");
    expect(t.shownIds()).toEqual([4, 3, 2, 1, 5]);

    await fireEvent.click(header(t.container, "software"));
    expect(t.shownIds()).toEqual([2, 1, 5, 4, 3]);
    await fireEvent.click(header(t.container, "software"));
    expect(t.shownIds()).toEqual([3, 4, 2, 1, 5]);

    await fireEvent.click(header(t.container, "xpm"));
    expect(t.shownIds()).toEqual([2, 1, 4, 5, 3]);

    await fireEvent.click(header(t.container, "last_synced"));
    // oldest first: Delta synced a day ago, the rest 5 minutes ago (by name)
    expect(t.shownIds()).toEqual([5, 2, 1, 4, 3]);
    await fireEvent.click(header(t.container, "last_synced"));
    expect(t.shownIds()).toEqual([2, 1, 4, 3, 5]);
  });

  it("every data column has a sort button; Reports and Settings have none", () => {
    const t = renderTable(files);
    const headers = Array.from(t.container.querySelectorAll('[role="columnheader"]'));
    expect(headers.map((h) => h.textContent!.replace(/[▲▼]/g, "").replace(/\s+/g, " ").trim())).toEqual([
      "Client name Last synced",
      "Accounting software",
      "Connection",
      "Payroll & Fixed Assets",
      "Account Dashboard",
      "XPM Dashboard",
      "XPM",
      "Reports",
      "Settings",
    ]);
    expect(headers.slice(0, 7).every((h) => h.querySelector("button.sort"))).toBe(true);
    expect(headers.slice(7).some((h) => h.querySelector("button"))).toBe(false);
  });
});

describe("filters with counts", () => {
  it("each filter shows its count and narrows the rows", async () => {
    const t = renderTable(files);
    const expected: [string, string, number[]][] = [
      ["not_connected", "2", [4, 3]],
      ["needs_reconnect", "1", [2]],
      ["no_xpm_link", "2", [5, 3]],
      ["payroll_unavailable", "1", [4]],
      ["sync_failed", "1", [5]],
      ["xero", "3", [2, 1, 5]],
      ["quickbooks_online", "1", [4]],
      ["myob", "1", [3]],
      ["other", "0", []],
      ["none", "0", []],
    ];
    for (const [id, n, ids] of expected) {
      expect(count(t.container, id), id).toBe(n);
      await fireEvent.click(chip(t.container, id));
      expect(chip(t.container, id).getAttribute("aria-pressed")).toBe("true");
      expect(t.shownIds(), id).toEqual(ids);
      await fireEvent.click(chip(t.container, id));
      expect(t.shownIds()).toHaveLength(5);
    }
  });

  it("counts follow the search, and groups combine", async () => {
    const t = renderTable(files);
    await fireEvent.input(search(t.container), { target: { value: "ha" } }); // Alpha Accounting, Charlie Cafe
    expect(count(t.container, "not_connected")).toBe("1");
    expect(count(t.container, "myob")).toBe("0");
    expect(t.container.textContent).toContain("Counts are over the 2 files matching “ha”");
    await fireEvent.input(search(t.container), { target: { value: "" } });
    expect(t.container.textContent).toContain("Counts are over all 5 files");
    await fireEvent.click(chip(t.container, "not_connected"));
    await fireEvent.click(chip(t.container, "needs_reconnect"));
    expect(t.shownIds()).toEqual([2, 4, 3]);
    await fireEvent.click(chip(t.container, "quickbooks_online"));
    expect(t.shownIds()).toEqual([4]);
  });

  it("the failed-sync badge in the header toggles the Last sync failed filter", async () => {
    const t = renderTable(files);
    const badge = t.container.querySelector<HTMLButtonElement>('[data-testid="failed-count"]')!;
    expect(badge.textContent!.trim()).toBe("1 file failed to sync");
    await fireEvent.click(badge);
    expect(t.shownIds()).toEqual([5]);
  });
});

describe("header bar", () => {
  it("practice-wide last synced, and the offline indicator when stale", () => {
    const t = renderTable(files, { last_synced_at: NOW - 2 * 3_600_000, stale: true });
    expect(t.container.querySelector('[data-testid="practice-sync"]')!.textContent!.trim()).toBe("Last synced 2 h ago");
    expect(t.container.querySelector('[data-testid="practice-sync"]')!.getAttribute("title")).toContain("25 Nov 2026, 10:00:00");
    const stale = t.container.querySelector('[data-testid="stale"]')!;
    expect(stale.textContent).toContain("Offline copy — data may be out of date");
    expect(stale.getAttribute("title")).toContain("Nothing has synced in the last 24 hours");
  });
  it("never synced, not stale, nothing failed", () => {
    const t = renderTable([makeFile({ id: 1 })], { last_synced_at: null, stale: false, failed_count: 0 });
    expect(t.container.querySelector('[data-testid="practice-sync"]')!.textContent!.trim()).toBe("Never synced");
    expect(t.container.querySelector('[data-testid="stale"]')).toBeNull();
    expect(t.container.querySelector('[data-testid="failed-count"]')).toBeNull();
  });
});

describe("keyboard", () => {
  it("arrows, PageUp/PageDown, Home/End move the selection; it scrolls into view", async () => {
    const big = Array.from({ length: 100 }, (_, i) => makeFile({ id: i + 1, display_name: `Client ${String(i + 1).padStart(3, "0")}` }));
    const t = renderTable(big);
    const key = (k: string) => fireEvent.keyDown(document.body, { key: k });
    const selected = () => t.container.querySelector('[role="row"][aria-selected="true"]')?.getAttribute("data-id");
    expect(selected()).toBeUndefined();
    await key("ArrowDown");
    expect(selected()).toBe("1");
    expect(t.grid().getAttribute("aria-activedescendant")).toBe("row-1");
    await key("ArrowDown");
    await key("ArrowDown");
    expect(selected()).toBe("3");
    await key("ArrowUp");
    expect(selected()).toBe("2");
    await key("PageDown"); // 10 rows visible: a page is 9
    expect(selected()).toBe("11");
    await key("End");
    expect(selected()).toBe("100");
    expect(t.renderedIds()).toContain(100);
    expect(t.renderedIds()).not.toContain(1);
    await key("PageUp");
    expect(selected()).toBe("91");
    await key("Home");
    expect(selected()).toBe("1");
    expect(t.renderedIds()).toContain(1);
  });

  it("Enter opens the Client Console and w the Work list of the selected row", async () => {
    renderTable(files);
    await fireEvent.keyDown(document.body, { key: "ArrowDown" });
    await fireEvent.keyDown(document.body, { key: "ArrowDown" }); // Bravo Bakery (id 1)
    await fireEvent.keyDown(document.body, { key: "Enter" });
    expect(location.hash).toBe("#/clients/1/console");
    await fireEvent.keyDown(document.body, { key: "w" });
    expect(location.hash).toBe("#/clients/1/work-list");
  });

  it("/ and Ctrl+F focus the search; Escape clears it", async () => {
    const t = renderTable(files);
    const input = search(t.container);
    await fireEvent.keyDown(document.body, { key: "/" });
    expect(document.activeElement).toBe(input);
    input.blur();
    await fireEvent.keyDown(document.body, { key: "f", ctrlKey: true });
    expect(document.activeElement).toBe(input);
    await fireEvent.input(input, { target: { value: "delta" } });
    expect(t.shownIds()).toEqual([5]);
    await fireEvent.keyDown(input, { key: "Escape" });
    expect(input.value).toBe("");
    expect(t.shownIds()).toHaveLength(5);
  });

  it("typing 'w' or '/' in the search box types, it does not navigate", async () => {
    const t = renderTable(files);
    await fireEvent.keyDown(document.body, { key: "ArrowDown" });
    const input = search(t.container);
    input.focus();
    const w = await fireEvent.keyDown(input, { key: "w" });
    expect(w).toBe(true); // not prevented
    expect(location.hash).not.toContain("work-list");
  });
});

describe("virtualised rendering", () => {
  it("10,000 rows: only the visible ones (plus overscan) are in the DOM, with ARIA row indices", async () => {
    const big = generateFiles(10_000);
    const t = renderTable(big);
    const grid = t.grid();
    expect(grid.getAttribute("aria-rowcount")).toBe("10001");
    const rows = t.container.querySelectorAll('[role="row"][data-id]');
    expect(rows.length).toBeLessThanOrEqual(10 + 2 * 6 + 1);
    expect(rows[0].getAttribute("aria-rowindex")).toBe("2");
    // Scroll to row 5,000.
    Object.defineProperty(grid, "scrollTop", { value: 5000 * 48, configurable: true });
    await fireEvent.scroll(grid);
    const indices = Array.from(t.container.querySelectorAll('[role="row"][data-id]')).map((r) => Number(r.getAttribute("aria-rowindex")));
    expect(Math.min(...indices)).toBeLessThanOrEqual(5002);
    expect(Math.max(...indices)).toBeGreaterThanOrEqual(5011);
    expect(indices.length).toBeLessThanOrEqual(23);
  });

  /** Gives the grid a scroll position that counts how often it is written. */
  function trackScroll(grid: HTMLElement) {
    const scroll = { top: 0, writes: 0 };
    Object.defineProperty(grid, "scrollTop", {
      configurable: true,
      get: () => scroll.top,
      set: (value: number) => {
        scroll.top = value;
        scroll.writes++;
      },
    });
    return scroll;
  }

  it("a sort or scroll re-fills the row elements in place: none is created, removed or moved", async () => {
    const t = renderTable(generateFiles(10_000));
    const rows = () => Array.from(t.container.querySelectorAll('[role="row"][data-id]'));
    const same = (a: Element[], b: Element[]) => a.length === b.length && a.every((r, i) => r === b[i]);
    const atTop = rows();
    await fireEvent.click(header(t.container, "connection"));
    await fireEvent.click(header(t.container, "xpm"));
    expect(same(rows(), atTop)).toBe(true);

    const grid = t.grid();
    const scroll = trackScroll(grid);
    scroll.top = 100 * 48;
    await fireEvent.scroll(grid);
    const midway = rows();
    const shown = t.shownIds();
    scroll.top = 101 * 48;
    await fireEvent.scroll(grid);
    expect(same(rows(), midway)).toBe(true);
    // Scrolled by one row: one file left the window, one came in, the rest stayed in their rows.
    expect(t.shownIds().slice(0, -1)).toEqual(shown.slice(1));
  });

  /** The aria-rowindex of the top row drawn (row elements are in slot order, not on-screen order). */
  const topRowIndex = (container: HTMLElement) =>
    Math.min(...Array.from(container.querySelectorAll('[role="row"][data-id]'), (r) => Number(r.getAttribute("aria-rowindex"))));

  it("a new search or sort takes a scrolled grid back to the top", async () => {
    const t = renderTable(generateFiles(10_000));
    const grid = t.grid();
    const scroll = trackScroll(grid);
    scroll.top = 5000 * 48;
    await fireEvent.scroll(grid);
    await fireEvent.input(search(t.container), { target: { value: "a" } });
    expect(scroll.top).toBe(0);
    expect(topRowIndex(t.container)).toBe(2);

    scroll.top = 300 * 48;
    await fireEvent.scroll(grid);
    await fireEvent.click(header(t.container, "software"));
    expect(scroll.top).toBe(0);
    expect(topRowIndex(t.container)).toBe(2);
  });

  it("at the top, a keystroke leaves the grid's scroll position alone (writing it forces a layout)", async () => {
    const t = renderTable(files);
    const scroll = trackScroll(t.grid());
    await fireEvent.input(search(t.container), { target: { value: "a" } });
    await fireEvent.click(header(t.container, "software"));
    expect(scroll.writes).toBe(0);
    expect(t.shownIds()).toEqual([2, 1, 5, 4, 3]);
  });
});

describe("CSV export", () => {
  it("sends the on-screen ids in on-screen order and says where the file went", async () => {
    const calls = installCore({ exportPath: "/home/anna/Downloads/switchboard.csv" });
    const t = renderTable(files);
    await fireEvent.click(header(t.container, "name")); // Z→A
    await fireEvent.click(chip(t.container, "xero"));
    expect(t.shownIds()).toEqual([5, 1, 2]);
    const button = Array.from(t.container.querySelectorAll("button")).find((b) => b.textContent!.includes("Export CSV"))!;
    await fireEvent.click(button);
    const result = await until(() => {
      const el = t.container.querySelector('[data-testid="export-result"]');
      if (!el) throw new Error("no result yet");
      return el;
    });
    expect(calls.filter((c) => c.cmd === "export_csv")).toEqual([{ cmd: "export_csv", args: { ids: [5, 1, 2] } }]);
    expect(result.textContent).toContain("Exported 3 rows to /home/anna/Downloads/switchboard.csv");
  });

  it("shows the core's message when the export fails", async () => {
    installCore({ exportError: { kind: "write", message: "Could not write to Downloads: disk full." } });
    const t = renderTable(files);
    const button = Array.from(t.container.querySelectorAll("button")).find((b) => b.textContent!.includes("Export CSV"))!;
    await fireEvent.click(button);
    const result = await until(() => t.container.querySelector('[data-testid="export-result"]')!.textContent);
    expect(result).toContain("Could not write to Downloads: disk full.");
  });
});
