// Words and numbers of the client Reports page: amounts in the organisation's currency (negatives
// in brackets and marked), the monthly trend out of the Profit and Loss by month, and what the
// page says about access and refreshes. Every remote string is shown as text by the components.
import type { CachedReport } from "../bindings/CachedReport";
import type { InsightKind } from "../bindings/InsightKind";
import type { Report } from "../bindings/Report";
import type { ReportAccess } from "../bindings/ReportAccess";
import type { ReportInsight } from "../bindings/ReportInsight";
import type { ReportKind } from "../bindings/ReportKind";
import type { ReportRow } from "../bindings/ReportRow";
import type { ReportsRefresh } from "../bindings/ReportsRefresh";
import type { AllReportsRefresh } from "../bindings/AllReportsRefresh";

const formats = new Map<string, Intl.NumberFormat>();

/** "1 report", "3 reports". */
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function numberFormat(currency: string | null): Intl.NumberFormat {
  const key = currency ?? "";
  let format = formats.get(key);
  if (!format) {
    try {
      format = currency
        ? new Intl.NumberFormat("en-GB", { style: "currency", currency, currencyDisplay: "narrowSymbol", currencySign: "accounting" })
        : new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    } catch {
      // A currency code Intl does not know (remote data): plain numbers, the code shown beside.
      format = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formats.set(key, format);
  }
  return format;
}

/** `123450, "AUD"` → `$1,234.50`; negatives in brackets: `($20.00)`. */
export function formatAmount(cents: number, currency: string | null): string {
  const text = numberFormat(currency).format(Math.abs(cents) / 100);
  return cents < 0 ? `(${text})` : text;
}

/** The lines of a report (every non-section row) with the title of the section they are in. */
export function reportLines(report: Report): { section: string; row: ReportRow }[] {
  const out: { section: string; row: ReportRow }[] = [];
  const walk = (rows: ReportRow[], section: string) => {
    for (const row of rows) {
      if (row.type === "section") walk(row.rows, row.title);
      else out.push({ section, row });
    }
  };
  walk(report.rows, "");
  return out;
}

// Totals are found by where a report puts them, never by label alone: a contact named "Total"
// or an account named "Net Profit" is an ordinary line. Xero marks a section's total with a
// SummaryRow, and sends Gross Profit and Net Profit as the one line of an untitled section.

type Line = Exclude<ReportRow, { type: "section" }>;
const amountsOfLine = (row: Line) => row.cells.slice(1).map((c) => c.cents);
const soleLine = (row: ReportRow): Line | null =>
  row.type === "section" && row.title.trim() === "" && row.rows.length === 1 && row.rows[0].type !== "section"
    ? row.rows[0]
    : null;

/** The report's grand total: its last summary row (the aged summaries end with one). */
export function grandTotal(report: Report): (number | null)[] | null {
  const summaries = reportLines(report).filter(({ row }) => row.type === "summary");
  const last = summaries.at(-1)?.row;
  return last && last.type !== "section" ? amountsOfLine(last) : null;
}

/** A Profit and Loss's bottom line (net profit): the one line of the last untitled section. */
export function bottomLine(report: Report): (number | null)[] | null {
  for (let i = report.rows.length - 1; i >= 0; i--) {
    const line = soleLine(report.rows[i]);
    if (line) return amountsOfLine(line);
  }
  return null;
}

/** The total labelled `label`, looked for only among totals (summary rows, and the one line of
 * an untitled section), so an account or contact of that name is never taken for it. */
export function totalOf(report: Report, label: string): (number | null)[] | null {
  const wanted = label.toLowerCase();
  const labelled = (row: Line) => row.cells[0]?.text.trim().toLowerCase() === wanted;
  const walk = (rows: ReportRow[]): (number | null)[] | null => {
    for (const row of rows) {
      const line = soleLine(row);
      if (line && labelled(line)) return amountsOfLine(line);
      if (row.type === "section") {
        const found = walk(row.rows);
        if (found) return found;
      } else if (row.type === "summary" && labelled(row)) return amountsOfLine(row);
    }
    return null;
  };
  return walk(report.rows);
}

/** What a report table draws, in order: section headings (even of empty sections) and lines. */
export type TableItem =
  | { kind: "heading"; title: string; depth: number }
  | { kind: "line"; row: Exclude<ReportRow, { type: "section" }>; computed: boolean };

export function tableItems(report: Report): TableItem[] {
  const out: TableItem[] = [];
  const walk = (rows: ReportRow[], depth: number, untitled: boolean) => {
    for (const row of rows) {
      if (row.type === "section") {
        if (row.title.trim() !== "") out.push({ kind: "heading", title: row.title, depth });
        walk(row.rows, depth + 1, row.title.trim() === "");
      } else {
        // Lines of an untitled section are Xero's computed lines (Gross Profit, Net Profit).
        out.push({ kind: "line", row, computed: untitled && depth > 0 });
      }
    }
  };
  walk(report.rows, 0, false);
  return out;
}

/** Receivables outstanding over 90 days: the aged report's total in "3 Months" and "Older". */
export function receivablesOver90(report: Report): number | null {
  const totals = grandTotal(report);
  if (!totals) return null;
  const at = (name: string) => {
    const i = report.columns.slice(1).findIndex((c) => c.trim().toLowerCase() === name.toLowerCase());
    return i < 0 ? null : totals[i];
  };
  const three = at("3 Months");
  const older = at("Older");
  return three === null && older === null ? null : (three ?? 0) + (older ?? 0);
}

export interface TrendPoint {
  label: string;
  cents: number;
}

/** Net profit month by month, oldest first (Xero orders the columns most recent first). */
export function netProfitTrend(report: Report): TrendPoint[] {
  const amounts = bottomLine(report) ?? [];
  return report.columns
    .slice(1)
    .map((label, i) => ({ label, cents: amounts[i] }))
    .filter((p): p is TrendPoint => typeof p.cents === "number")
    .reverse();
}

export function findReport(reports: CachedReport[], kind: ReportKind): CachedReport | undefined {
  return reports.find((r) => r.kind === kind);
}

export const REPORT_TITLES: Record<ReportKind, string> = {
  profit_and_loss_months: "Profit and Loss",
  profit_and_loss_year_to_date: "Profit and Loss, year to date",
  balance_sheet: "Balance Sheet",
  aged_receivables: "Aged Receivables",
  aged_payables: "Aged Payables",
  bank_summary: "Bank Summary",
};

export function accessText(access: ReportAccess): string | null {
  switch (access.state) {
    case "granted":
      return null;
    case "not_connected":
      return "This client file is not connected to Xero, so its reports cannot be refreshed. Reports cached earlier are shown as they were.";
    case "not_granted":
      return `The practice has not allowed Switchboard to read ${access.missing.length === 6 ? "reports" : "some reports"} for this connection yet (${access.missing
        .map((k) => REPORT_TITLES[k])
        .filter((t, i, all) => all.indexOf(t) === i)
        .join(", ")}). Allow reports opens Xero in your browser to ask for read-only access to them.`;
  }
}

export function refreshText(result: ReportsRefresh): { level: "ok" | "warn"; text: string } {
  const parts: string[] = [];
  if (result.fetched > 0) parts.push(`Refreshed ${plural(result.fetched, "report")}.`);
  if (result.failed.length > 0) {
    const reasons = [...new Set(result.failed.map((f) => f.reason))];
    parts.push(`${result.failed.length} could not be refreshed (${reasons.join(" ")}); their cached copies are shown.`);
  }
  if (result.not_allowed.length > 0 && result.fetched === 0 && result.failed.length === 0) {
    parts.push("Nothing was fetched: reports are not allowed for this connection yet. Use Allow reports.");
  }
  return { level: result.failed.length > 0 || result.fetched === 0 ? "warn" : "ok", text: parts.join(" ") || "Nothing to refresh." };
}

/** What "Refresh every client" did, naming the clients that did not fully refresh. */
export function refreshAllText(result: AllReportsRefresh): { level: "ok" | "warn"; text: string } {
  if (result.clients === 0) {
    return { level: "warn", text: "No connected client allows reports yet: use Allow reports on a client's Reports page." };
  }
  const parts = [`Refreshed ${plural(result.fetched, "report")} of ${plural(result.clients, "client")}.`];
  if (result.failed.length > 0) {
    const SHOWN = 5;
    const names = result.failed.slice(0, SHOWN).map((f) => f.display_name);
    const more = result.failed.length > SHOWN ? ` and ${result.failed.length - SHOWN} more` : "";
    parts.push(`Not fully refreshed: ${names.join(", ")}${more} (${result.failed[0].reason}); their cached copies are shown.`);
  }
  return { level: result.failed.length > 0 ? "warn" : "ok", text: parts.join(" ") };
}

const INSIGHT_TEXT: Record<InsightKind, (i: ReportInsight, amount: (c: number) => string) => string> = {
  receivables_over_90_grew: (i, amount) =>
    `receivables over 90 days grew from ${amount(i.before_cents)} to ${amount(i.now_cents)} since the last refresh`,
  loss_this_month: (i, amount) => `made a loss of ${amount(-i.now_cents)} so far this month`,
};

export function insightText(insight: ReportInsight): string {
  return INSIGHT_TEXT[insight.kind](insight, (c) => formatAmount(c, insight.currency));
}
