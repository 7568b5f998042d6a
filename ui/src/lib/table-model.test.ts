import { describe, expect, it } from "vitest";
import type { ClientFile } from "../bindings/ClientFile";
import { generateFiles, makeFile, NOW } from "../test/fixtures";
import { applyQuery, buildModel, sortedOrder, viewIds, warmSortOrders, type Query, type Sort } from "./table-model";

const base: Query = { search: "", status: [], software: [], sort: { key: "name", dir: "asc" } };

function ids(files: ClientFile[], query: Partial<Query>): number[] {
  const model = buildModel(files);
  return viewIds(model, applyQuery(model, { ...base, ...query }));
}

const files: ClientFile[] = [
  makeFile({ id: 1, display_name: "Bravo Bakery", remote_name: "Bravo Bakery Holdings" }),
  makeFile({ id: 2, display_name: "alpha Accounting", connection: { state: "needs_reconnect", reason: "expired" } }),
  makeFile({ id: 3, display_name: "Émile Dental", software: { kind: "myob" }, connection: { state: "not_connected" }, xero: null, xpm: null }),
  makeFile({ id: 4, display_name: "Charlie Cafe", software: { kind: "quickbooks_online" }, connection: { state: "disconnected", reason: "removed" }, payroll: { state: "unavailable", reason: { kind: "not_subscribed" } } }),
  makeFile({ id: 5, display_name: "Delta Data", software: { kind: "other", name: "Sage" }, sync: { last_success_at: NOW - 1000, last_attempt_at: NOW, last_error: "503" }, xpm: null }),
  makeFile({ id: 6, display_name: "Echo Electrical", software: { kind: "none" }, connection: { state: "not_connected" }, xpm: { uuid: "u", name: "Echo", web_url: null, archived: true, deleted: false } }),
];

describe("search", () => {
  it("matches display names case-insensitively", () => {
    expect(ids(files, { search: "BAKERY" })).toEqual([1]);
    expect(ids(files, { search: "al" })).toEqual([2, 6, 3]); // "Émile Dental" contains "al"
  });
  it("also matches the remote name", () => {
    expect(ids(files, { search: "holdings" })).toEqual([1]);
  });
  it("ignores surrounding spaces and shows everything for an empty search", () => {
    expect(ids(files, { search: "  cafe " })).toEqual([4]);
    expect(ids(files, { search: "" })).toHaveLength(6);
  });
  it("returns nothing when nothing matches", () => {
    expect(ids(files, { search: "zzz" })).toEqual([]);
  });
  it("does not match across the end of the display name and the start of the remote name", () => {
    // "Bravo Bakery" + "Bravo Bakery Holdings": "bakerybravo" and "y\nb" would span the two.
    expect(ids(files, { search: "bakerybravo" })).toEqual([]);
    expect(ids(files, { search: "y\nb" })).toEqual([]);
    expect(ids(files, { search: "o b" })).toEqual([1]);
  });
  it("finds, on one model typed on and deleted back, what a fresh model finds for each text", () => {
    const many = generateFiles(2000);
    const model = buildModel(many);
    // Typing, deleting back, starting over, and more texts than the model remembers.
    const texts = ["d", "de", "den", "dent", "den", "de", "d", "", "a", "al", "ald", "al", "1", "12", "123", "12", "1"];
    for (let i = 0; i < 40; i++) texts.push(`${i}`, `${i}`.slice(0, 1));
    texts.push("de", "d", "dent");
    for (const search of texts) {
      const fresh = buildModel(many);
      const expected = viewIds(fresh, applyQuery(fresh, { ...base, search }));
      expect(viewIds(model, applyQuery(model, { ...base, search })), search).toEqual(expected);
    }
    expect(model.searches.size).toBeLessThanOrEqual(32);
  });
});

describe("name order, as the core sends the first rows (crates/core/src/name_order.rs)", () => {
  // The same names and expected orders as the core's name_order tests: if the two sides ever
  // disagree, one of the two tests fails.
  const order = (names: string[]) =>
    Array.from(sortedOrder(buildModel(names.map((display_name, i) => makeFile({ id: i + 1, display_name }))), { key: "name", dir: "asc" }), (i) => i + 1);
  it("ignores case and accents, and breaks ties by id", () => {
    expect(order(["émile", "Emile", "zebra", "Ángel", "apple", "EMILE"])).toEqual([4, 5, 1, 2, 6, 3]);
  });
  it("compares UTF-16 code units after NFKD", () => {
    expect(order(["\uE000 private", "\u{1F600} smile", "\uFF21lpha", "beta"])).toEqual([3, 4, 2, 1]);
  });
});

describe("sort", () => {
  const cases: [Sort, number[]][] = [
    [{ key: "name", dir: "asc" }, [2, 1, 4, 5, 6, 3]], // accents fold: Émile sorts as emile
    [{ key: "name", dir: "desc" }, [3, 6, 5, 4, 1, 2]],
    // software: Xero, QuickBooks Online, MYOB, other, none; ties by name
    [{ key: "software", dir: "asc" }, [2, 1, 4, 3, 5, 6]],
    [{ key: "software", dir: "desc" }, [6, 5, 3, 4, 2, 1]],
    // connection: connected, needs reconnect, disconnected, not connected
    [{ key: "connection", dir: "asc" }, [1, 5, 2, 4, 6, 3]],
    [{ key: "connection", dir: "desc" }, [6, 3, 4, 2, 1, 5]],
    // xpm: linked, archived, (deleted), none
    [{ key: "xpm", dir: "asc" }, [2, 1, 4, 6, 5, 3]],
    [{ key: "xpm", dir: "desc" }, [5, 3, 6, 2, 1, 4]],
    // only file 1 is connected through Xero with a short code
    [{ key: "account_dashboard", dir: "asc" }, [1, 2, 4, 5, 6, 3]],
    [{ key: "account_dashboard", dir: "desc" }, [2, 4, 5, 6, 3, 1]],
    [{ key: "services", dir: "desc" }, [4, 2, 1, 5, 6, 3]], // only file 4 has payroll unavailable
    [{ key: "last_synced", dir: "asc" }, [2, 1, 4, 6, 3, 5]],
  ];
  it.each(cases)("%o", (sort, expected) => {
    expect(ids(files, { sort })).toEqual(expected);
  });
  it("breaks ties by name so equal keys are stable", () => {
    const many = Array.from({ length: 50 }, (_, i) => makeFile({ id: i + 1, display_name: `N${String(49 - i).padStart(2, "0")}` }));
    const got = ids(many, { sort: { key: "connection", dir: "desc" } });
    expect(got).toEqual([...got].sort((a, b) => b - a));
  });
  it("caches each permutation", () => {
    const model = buildModel(files);
    const a = sortedOrder(model, { key: "connection", dir: "asc" });
    expect(sortedOrder(model, { key: "connection", dir: "asc" })).toBe(a);
  });
});

describe("filters and counts", () => {
  it("each status filter narrows and is counted", () => {
    expect(ids(files, { status: ["not_connected"] })).toEqual([4, 6, 3]);
    expect(ids(files, { status: ["needs_reconnect"] })).toEqual([2]);
    expect(ids(files, { status: ["no_xpm_link"] })).toEqual([5, 3]);
    expect(ids(files, { status: ["payroll_unavailable"] })).toEqual([4]);
    expect(ids(files, { status: ["sync_failed"] })).toEqual([5]);
    const model = buildModel(files);
    const view = applyQuery(model, base);
    expect(view.counts).toMatchObject({ not_connected: 3, needs_reconnect: 1, no_xpm_link: 2, payroll_unavailable: 1, sync_failed: 1 });
  });
  it("each software filter narrows and is counted", () => {
    expect(ids(files, { software: ["xero"] })).toEqual([2, 1]);
    expect(ids(files, { software: ["quickbooks_online"] })).toEqual([4]);
    expect(ids(files, { software: ["myob"] })).toEqual([3]);
    expect(ids(files, { software: ["other"] })).toEqual([5]);
    expect(ids(files, { software: ["none"] })).toEqual([6]);
    const view = applyQuery(buildModel(files), base);
    expect(view.counts).toMatchObject({ xero: 2, quickbooks_online: 1, myob: 1, other: 1, none: 1 });
  });
  it("combines: any of within a group, all groups together, and the search", () => {
    expect(ids(files, { status: ["needs_reconnect", "payroll_unavailable"] })).toEqual([2, 4]);
    expect(ids(files, { status: ["not_connected"], software: ["myob", "none"] })).toEqual([6, 3]);
    expect(ids(files, { status: ["not_connected"], software: ["myob"], search: "echo" })).toEqual([]);
  });
  it("counts are over the search-narrowed set and ignore the filter selection", () => {
    const model = buildModel(files);
    const view = applyQuery(model, { ...base, search: "e", status: ["sync_failed"] });
    // "e" matches every name but "alpha Accounting"
    expect(view.searchMatches).toBe(5);
    expect(view.counts.not_connected).toBe(3);
    expect(view.counts.needs_reconnect).toBe(0);
    expect(view.counts.sync_failed).toBe(1);
    expect(viewIds(model, view)).toEqual([5]);
  });
});

describe("10,000 rows", () => {
  it("filters and sorts a generated practice consistently", () => {
    const big = generateFiles(10_000);
    const model = buildModel(big);
    const view = applyQuery(model, { ...base, search: "plumbing", status: ["needs_reconnect"], sort: { key: "last_synced", dir: "desc" } });
    const got = viewIds(model, view).map((id) => big[id - 1]);
    expect(got.length).toBeGreaterThan(0);
    for (const f of got) {
      expect(f.display_name.toLowerCase() + (f.remote_name ?? "").toLowerCase()).toContain("plumbing");
      expect(f.connection.state).toBe("needs_reconnect");
    }
    for (let i = 1; i < got.length; i++) {
      expect(got[i - 1].sync.last_success_at ?? -Infinity).toBeGreaterThanOrEqual(got[i].sync.last_success_at ?? -Infinity);
    }
  });
});

describe("warmSortOrders", () => {
  it("builds every order in the background and can be stopped", async () => {
    const model = buildModel(generateFiles(200));
    const stop = warmSortOrders(model);
    await new Promise((r) => setTimeout(r, 400));
    expect(model.orders.size).toBe(16);
    stop();
    const other = buildModel(generateFiles(10));
    warmSortOrders(other)();
    await new Promise((r) => setTimeout(r, 100));
    expect(other.orders.size).toBe(1); // only the name order built by buildModel
  });
});
