// The client Reports page over a fake core: readable tables (amounts right-aligned in the
// organisation's currency, totals, negatives marked), "as of" on every report, the trend chart,
// remote text shown as text, Allow reports asked only on a click, Refresh, Open in Xero, the
// insight strip, and the Reports column opening the page.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "../App.svelte";
import type { CachedReport } from "../bindings/CachedReport";
import type { ClientReports } from "../bindings/ClientReports";
import type { Report } from "../bindings/Report";
import type { ReportInsight } from "../bindings/ReportInsight";
import type { ReportKind } from "../bindings/ReportKind";
import type { ReportRow } from "../bindings/ReportRow";
import { runAction } from "../lib/actions";
import { bottomLine, formatAmount, netProfitTrend, receivablesOver90, refreshAllText, tableItems, totalOf } from "../lib/reports";
import { router } from "../lib/router.svelte";
import { makeFile, makeTable, NOW } from "../test/fixtures";
import { go, resetApp, text, until, xeroStatusOf } from "../test/harness";
import { encodeClientTable } from "../lib/client-table";

// jsdom has no ResizeObserver (the chart measures its width with it); the webview does.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;


const cell = (t: string, cents: number | null = null) => ({ text: t, cents, link_id: null });
const line = (label: string, ...amounts: number[]): ReportRow => ({
  type: "row",
  cells: [cell(label), ...amounts.map((a) => cell((a / 100).toFixed(2), a))],
});
const total = (label: string, ...amounts: number[]): ReportRow => ({
  type: "summary",
  cells: [cell(label), ...amounts.map((a) => cell((a / 100).toFixed(2), a))],
});
const section = (title: string, rows: ReportRow[]): ReportRow => ({ type: "section", title, rows });

const MONTHS = ["30 Nov 26", "31 Oct 26", "30 Sep 26", "31 Aug 26", "31 Jul 26", "30 Jun 26", "31 May 26", "30 Apr 26", "31 Mar 26", "28 Feb 26", "31 Jan 26", "31 Dec 25"];
const NET = [-152_000, 245_050, 310_000, 120_000, 99_000, 87_000, 76_000, 50_000, 41_000, 30_000, 20_000, 10_000];

function report(id: string, columns: string[], rows: ReportRow[], title = "November 2026"): Report {
  return { report_id: id, name: id, titles: [id, "Harbour Bakery", title], report_date: "25 November 2026", updated_at: NOW, columns, rows };
}

const PL = report("ProfitAndLoss", ["", ...MONTHS], [
  section("Income", [line("Sales", ...NET.map((n) => n + 500_000)), total("Total Income", ...NET.map((n) => n + 500_000))]),
  section("", [line("Gross Profit", ...NET.map((n) => n + 400_000))]),
  section("Less Operating Expenses", [line("<img src=x onerror=alert(1)>", ...NET.map(() => 400_000))]),
  section("", [line("Net Profit", ...NET)]),
]);
const BS = report("BalanceSheet", ["", "25 Nov 2026"], [
  section("Assets", []),
  section("Bank", [line("Business Bank Account", 1_000_000), line("Business Credit Card", -25_075), total("Total Bank", 974_925)]),
  section("", [total("Net Assets", 974_925)]),
]);
const AR = report("AgedReceivablesByContact", ["Contact", "Current", "< 1 Month", "1 Month", "2 Months", "3 Months", "Older", "Total"], [
  section("", [line("Bayside Club", 100, 0, 0, 0, 5_000, 2_500, 7_600), total("Total", 100, 0, 0, 0, 5_000, 2_500, 7_600)]),
]);

function cached(kind: ReportKind, r: Report | null, extra: Partial<CachedReport> = {}): CachedReport {
  return { kind, title: kind, report: r, fetched_at: r ? NOW - 3_600_000 : null, currency: "AUD", last_attempt_at: null, last_error: null, ...extra };
}

function page(overrides: Partial<ClientReports> = {}): ClientReports {
  return {
    file: 7,
    display_name: "Harbour Bakery",
    access: { state: "granted" },
    can_open_in_xero: true,
    reports: [
      cached("profit_and_loss_months", PL),
      cached("profit_and_loss_year_to_date", null),
      cached("balance_sheet", BS, { last_error: "Xero's answer could not be read as a report: the answer was cut off.", last_attempt_at: NOW - 60_000 }),
      cached("aged_receivables", AR),
      cached("aged_payables", null),
      cached("bank_summary", null),
    ],
    ...overrides,
  };
}

const INSIGHT: ReportInsight = {
  file: 9, display_name: "Kauri <b>Dental</b>", kind: "receivables_over_90_grew", currency: "NZD",
  before_cents: 10_000, now_cents: 250_000, before_at: NOW - 7 * 86_400_000, now_at: NOW,
};

interface Call { cmd: string; args: Record<string, unknown> }

function core(answers: { reports: () => ClientReports; insights?: ReportInsight[]; onAllow?: () => void }): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: (args ?? {}) as Record<string, unknown> });
    switch (cmd) {
      case "cache_status": return { state: "ready", path: "/tmp/c.sqlite3" };
      case "load_client_table":
      case "load_client_table_head": return encodeClientTable(makeTable([makeFile({ id: 7, display_name: "Harbour Bakery" })]));
      case "xero_status": return xeroStatusOf({ redirect_ports: [] });
      case "table_painted": return null;
      case "client_reports": return answers.reports();
      case "report_insights": return answers.insights ?? [];
      case "refresh_reports": return { fetched: 5, failed: [{ kind: "balance_sheet", reason: "Xero could not be reached (the connection failed)." }], not_allowed: [] };
      case "refresh_all_reports": return {
        clients: 8, fetched: 45,
        failed: Array.from({ length: 6 }, (_, i) => ({ file: 20 + i, display_name: `Client ${i}`, reason: "Xero could not be reached (the connection failed)." })),
      };
      case "allow_reports": answers.onAllow?.(); return { connected: 1, sync: { synced: 1, failed: 0, disconnected: 0, needs_reconnect: 0, cancelled: false } };
      case "open_reports_in_xero": return null;
    }
    throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
  });
  return calls;
}

beforeEach(resetApp);
afterEach(() => clearMocks());

describe("report formatting", () => {
  it("writes amounts in the currency, negatives in brackets", () => {
    expect(formatAmount(123_450, "AUD")).toBe("$1,234.50");
    expect(formatAmount(-2_000, "GBP")).toBe("(£20.00)");
    expect(formatAmount(5, null)).toBe("0.05");
    expect(formatAmount(-123_456, "not a code")).toBe("(1,234.56)");
  });

  it("puts the trend oldest first and keeps empty section headings", () => {
    const trend = netProfitTrend(PL);
    expect(trend.map((p) => p.label)).toEqual([...MONTHS].reverse());
    expect(trend.at(-1)?.cents).toBe(-152_000);
    const items = tableItems(BS);
    expect(items[0]).toEqual({ kind: "heading", title: "Assets", depth: 0 });
    expect(items.filter((i) => i.kind === "line" && i.computed).length).toBe(1); // Net Assets
    expect(receivablesOver90(AR)).toBe(7_500);
  });
});

describe("report totals", () => {
  it("a contact named Total and an account named Net Profit are ordinary lines", () => {
    const aged = report("AgedReceivablesByContact", AR.columns, [
      line("Total", 900, 0, 0, 0, 0, 0, 900),
      line("Zebra Co", 0, 0, 0, 0, 100, 50, 150),
      total("Total", 900, 0, 0, 0, 100, 50, 1_050),
    ]);
    expect(receivablesOver90(aged)).toBe(150);
    const pl = report("ProfitAndLoss", ["", "30 Nov 26", "31 Oct 26"], [
      section("Less Operating Expenses", [line("Net Profit", 150_000, 1_000), total("Total Operating Expenses", 150_000, 1_000)]),
      section("", [line("Net Profit", -50_000, 89_000)]),
    ]);
    expect(bottomLine(pl)).toEqual([-50_000, 89_000]);
    expect(netProfitTrend(pl).map((p) => p.cents)).toEqual([89_000, -50_000]);
    const bs = report("BalanceSheet", ["", "25 Nov 2026"], [
      section("Bank", [line("Total Bank", 5), line("Net Assets", 7), total("Total Bank", 12)]),
      section("", [total("Net Assets", 12)]),
    ]);
    expect(totalOf(bs, "Total Bank")).toEqual([12]);
    expect(totalOf(bs, "Net Assets")).toEqual([12]);
  });
});

describe("the Reports page", () => {
  it("opens from the Reports column and shows readable tables with 'as of' on every report", async () => {
    core({ reports: () => page(), insights: [INSIGHT] });
    go("#/");
    const { container } = render(App);
    await until(() => expect(container.querySelector("[data-row-id], .row")).not.toBeNull());
    expect(runAction("open_reports", makeFile({ id: 7 }))).toBe(true);
    expect(router.route).toEqual({ page: "reports", id: 7 });
    await until(() => expect(text(container.querySelector("h1"))).toBe("Harbour Bakery"));

    // Every report card says how old its copy is (or that there is none yet).
    const cards = [...container.querySelectorAll("[data-report]")];
    expect(cards.length).toBe(6);
    for (const c of cards) expect(text(c.querySelector("[data-testid=as-of]"))).toMatch(/^(As of \d+ \w+ 2026|Not fetched yet)/);

    // This month and last month of the Profit and Loss, right-aligned amounts, negatives marked.
    const pl = container.querySelector("[data-report=profit_and_loss_months]")!;
    expect([...pl.querySelectorAll("thead th")].map(text)).toEqual(["", "This month", "Last month"]);
    const net = pl.querySelector("tr[data-label='Net Profit']")!;
    const [thisMonth, lastMonth] = [...net.querySelectorAll("td")];
    expect(text(thisMonth)).toBe("($1,520.00) negative");
    expect(thisMonth.classList.contains("negative")).toBe(true);
    expect(thisMonth.classList.contains("num")).toBe(true);
    expect(text(lastMonth)).toBe("$2,450.50");
    expect(net.classList.contains("fin-computed")).toBe(true);
    expect(pl.querySelector("tr[data-label='Total Income']")!.classList.contains("fin-summary")).toBe(true);

    // Remote text is text: no element is made from an account name or a client name.
    expect(container.querySelector("img")).toBeNull();
    expect(pl.textContent).toContain("<img src=x onerror=alert(1)>");
    const strip = container.querySelector("[data-testid=insight-strip]")!;
    expect(strip.querySelector("b")).toBeNull();
    expect(text(strip)).toContain("Kauri <b>Dental</b>: receivables over 90 days grew from $100.00 to $2,500.00 since the last refresh");

    // A failed refresh is said on the report that kept its copy.
    const bs = container.querySelector("[data-report=balance_sheet]")!;
    expect(text(bs)).toContain("The last refresh");
    expect(text(bs)).toContain("the answer was cut off. The copy above is the last good one.");
    expect(text(bs.querySelector("tr[data-label='Business Credit Card'] td"))).toBe("($250.75) negative");

    // Key figures and the trend chart: twelve bars, losses drawn as losses.
    expect(container.querySelector("[data-testid=net-profit-this-month]")!.getAttribute("data-cents")).toBe("-152000");
    expect(text(container.querySelector("[data-testid=receivables-over-90]"))).toBe("$75.00");
    const bars = container.querySelectorAll("svg g[data-month]");
    expect(bars.length).toBe(12);
    expect(bars[11].querySelector("rect")!.classList.contains("loss")).toBe(true);
    expect(container.querySelector("[data-testid=allow-reports]")).toBeNull();
  });

  it("asks for the report scopes only when Allow reports is clicked, then refreshes", async () => {
    let granted = false;
    const calls = core({
      reports: () => page({ access: granted ? { state: "granted" } : { state: "not_granted", missing: ["profit_and_loss_months", "profit_and_loss_year_to_date", "balance_sheet", "aged_receivables", "aged_payables", "bank_summary"] } }),
      onAllow: () => (granted = true),
    });
    go("#/clients/7/reports");
    const { container } = render(App);
    await until(() => expect(container.querySelector("[data-testid=allow-reports]")).not.toBeNull());
    expect(text(container.querySelector("[data-testid=access-notice]"))).toContain("has not allowed Switchboard to read reports");
    expect(calls.some((c) => c.cmd === "allow_reports")).toBe(false);

    await fireEvent.click(container.querySelector("[data-testid=allow-reports]")!);
    await until(() => expect(calls.some((c) => c.cmd === "refresh_reports")).toBe(true));
    expect(calls.filter((c) => c.cmd === "allow_reports").length).toBe(1);
    await until(() => expect(container.querySelector("[data-testid=allow-reports]")).toBeNull());
    expect(container.querySelector("[data-testid=access-notice]")).toBeNull();
  });

  it("refreshes, says what failed, and opens Xero through the core", async () => {
    const calls = core({ reports: () => page() });
    go("#/clients/7/reports");
    const { container } = render(App);
    await until(() => expect(container.querySelector("[data-testid=refresh-reports]")).not.toBeNull());
    await fireEvent.click(container.querySelector("[data-testid=refresh-reports]")!);
    await until(() => expect(text(container.querySelector("[data-testid=refresh-message]"))).toContain("Refreshed 5 reports."));
    expect(text(container.querySelector("[data-testid=refresh-message]"))).toContain(
      "1 could not be refreshed (Xero could not be reached (the connection failed).); their cached copies are shown.",
    );
    expect(calls.find((c) => c.cmd === "refresh_reports")!.args).toEqual({ id: 7 });
    await fireEvent.click(container.querySelector("[data-testid=open-in-xero]")!);
    await until(() => expect(calls.find((c) => c.cmd === "open_reports_in_xero")?.args).toEqual({ id: 7 }));
  });

  it("refreshes every client from the insight strip and names the ones that did not fully refresh", async () => {
    const calls = core({ reports: () => page() });
    go("#/clients/7/reports");
    const { container } = render(App);
    await until(() => expect(container.querySelector("[data-testid=refresh-all-reports]")).not.toBeNull());
    const reads = calls.filter((c) => c.cmd === "report_insights").length;
    await fireEvent.click(container.querySelector("[data-testid=refresh-all-reports]")!);
    await until(() => expect(text(container.querySelector("[data-testid=refresh-message]"))).toContain("Refreshed 45 reports of 8 clients."));
    expect(text(container.querySelector("[data-testid=refresh-message]"))).toContain(
      "Not fully refreshed: Client 0, Client 1, Client 2, Client 3, Client 4 and 1 more (Xero could not be reached (the connection failed).); their cached copies are shown.",
    );
    expect(calls.filter((c) => c.cmd === "refresh_all_reports").length).toBe(1);
    await until(() => expect(calls.filter((c) => c.cmd === "report_insights").length).toBe(reads + 1));
  });

  it("says when no client allows reports yet", () => {
    expect(refreshAllText({ clients: 0, fetched: 0, failed: [] })).toEqual({
      level: "warn",
      text: "No connected client allows reports yet: use Allow reports on a client's Reports page.",
    });
    expect(refreshAllText({ clients: 1, fetched: 6, failed: [] })).toEqual({ level: "ok", text: "Refreshed 6 reports of 1 client." });
  });

  it("shows the first insights, largest first as the core sends them, and the rest on request", async () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ ...INSIGHT, file: 100 + i, display_name: `Client ${i}` }));
    core({ reports: () => page(), insights: many });
    go("#/clients/7/reports");
    const { container } = render(App);
    await until(() => expect(container.querySelectorAll("[data-testid=insight-strip] li").length).toBe(6));
    expect(text(container.querySelector("[data-testid=insight-strip] li"))).toMatch(/^Client 0:/);
    await fireEvent.click(container.querySelector("[data-testid=insights-more]")!);
    expect(container.querySelectorAll("[data-testid=insight-strip] li").length).toBe(9);
    expect(text(container.querySelector("[data-testid=insights-more]"))).toBe("Show fewer");
  });

  it("shows cached reports of a file that is no longer connected, without Refresh", async () => {
    core({ reports: () => page({ access: { state: "not_connected" }, can_open_in_xero: false }) });
    go("#/clients/7/reports");
    const { container } = render(App);
    await until(() => expect(container.querySelector("[data-testid=access-notice]")).not.toBeNull());
    expect((container.querySelector("[data-testid=refresh-reports]") as HTMLButtonElement).disabled).toBe(true);
    expect((container.querySelector("[data-testid=open-in-xero]") as HTMLButtonElement).disabled).toBe(true);
    expect(container.querySelector("[data-report=profit_and_loss_months] table")).not.toBeNull();
  });
});
