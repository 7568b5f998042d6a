// What Xero sent, in Settings, over a fake core (mockIPC): this month by API, earlier months,
// the share of an allowance when one is given, and the core's error as its sentence.
import { render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { EgressUsage as Usage } from "../bindings/EgressUsage";
import { text, until } from "../test/harness";
import EgressUsage from "./EgressUsage.svelte";

const USAGE: Usage = {
  months: [
    {
      month: "2026-03",
      bytes: 12_345_678,
      calls: 3_042,
      by_api: [
        { api: "accounting", bytes: 9_000_000, calls: 2_000 },
        { api: "connections", bytes: 3_000_000, calls: 42 },
        { api: "payroll", bytes: 345_678, calls: 1_000 },
      ],
    },
    { month: "2026-02", bytes: 2_500_000_000, calls: 90_000, by_api: [] },
    { month: "2026-01", bytes: 0, calls: 0, by_api: [] },
  ],
};

function install(answer: Usage | { kind: string; message: string }) {
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd !== "egress_usage") throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
    if ("kind" in answer) throw answer;
    return answer;
  });
  return calls;
}

describe("EgressUsage", () => {
  afterEach(() => clearMocks());

  it("shows this month's total, by API, and the months before", async () => {
    const calls = install(USAGE);
    const { container } = render(EgressUsage);
    const month = await until(() => {
      const el = container.querySelector('[data-testid="egress-this-month"]');
      if (!el) throw new Error("not loaded");
      return el;
    });
    expect(calls).toEqual(["egress_usage"]);
    expect(text(month)).toBe("March 2026 (UTC): 12.3 MB in 3,042 calls.");
    const rows = Array.from(container.querySelectorAll('[data-testid="egress-by-api"] tbody tr')).map((row) =>
      Array.from(row.children).map(text),
    );
    expect(rows).toEqual([
      ["Accounting", "9.00 MB", "2,000"],
      ["Connections", "3.00 MB", "42"],
      ["Payroll", "346 KB", "1,000"],
    ]);
    const earlier = Array.from(container.querySelectorAll('[data-testid="egress-months"] li')).map(text);
    expect(earlier).toEqual(["February 2026 2.50 GB", "January 2026 0 bytes"]);
    // Without an allowance, only the totals.
    expect(container.querySelector('[data-testid="egress-share"]')).toBeNull();
  });

  it("shows the share of the tier's allowance when it is known", async () => {
    install(USAGE);
    const { container } = render(EgressUsage, { props: { allowanceBytes: 10_000_000_000 } });
    const share = await until(() => {
      const el = container.querySelector('[data-testid="egress-share"]');
      if (!el) throw new Error("not loaded");
      return el;
    });
    expect(text(container.querySelector('[data-testid="egress-this-month"]'))).toBe(
      "March 2026 (UTC): 12.3 MB in 3,042 calls of the tier's 10.0 GB allowance.",
    );
    expect(text(share)).toBe("0.1% used");
    expect(share.querySelector("meter")?.getAttribute("value")).toBe(String(12_345_678 / 10_000_000_000));
  });

  it("says so when the month is over the allowance", async () => {
    install(USAGE);
    const { container } = render(EgressUsage, { props: { allowanceBytes: 10_000_000 } });
    const share = await until(() => {
      const el = container.querySelector('[data-testid="egress-share"]');
      if (!el) throw new Error("not loaded");
      return el;
    });
    expect(text(share)).toBe("Over the allowance: Xero bills the excess per GB.");
  });

  it("shows the core's sentence when the usage cannot be read", async () => {
    install({ kind: "cache_unavailable", message: "The cache could not be read." });
    const { container } = render(EgressUsage);
    await until(() => expect(text(container.querySelector('[data-testid="egress-usage"] [role="status"]'))).toBe("The cache could not be read."));
  });
});
