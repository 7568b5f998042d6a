import { describe, expect, it } from "vitest";
import { makeFile, NOW } from "../test/fixtures";
import { auditActionLabel, formatCount, relativeTime, softwareLabel, syncNote, unavailableExplanation } from "./format";

describe("formatCount", () => {
  it("writes counts with thousands separators", () => {
    expect([0, 7, 999, 1000, 10000, 1234567].map(formatCount)).toEqual(["0", "7", "999", "1,000", "10,000", "1,234,567"]);
  });
});

describe("relativeTime", () => {
  it.each([
    [NOW - 10_000, "just now"],
    [NOW - 5 * 60_000, "5 min ago"],
    [NOW - 3 * 3_600_000, "3 h ago"],
    [NOW - 30 * 3_600_000, "yesterday"],
    [NOW - 5 * 86_400_000, "5 days ago"],
    [NOW - 45 * 86_400_000, "on 11 Oct 2026"],
    [NOW + 3_600_000, "at 25 Nov 2026, 13:00:00 UTC"],
  ])("%d → %s", (at, text) => {
    expect(relativeTime(at, NOW)).toBe(text);
  });
});

describe("labels", () => {
  it("software, reasons and history actions read as words", () => {
    expect(softwareLabel({ kind: "quickbooks_online" })).toBe("QuickBooks Online");
    expect(softwareLabel({ kind: "other", name: "" })).toBe("Other");
    expect(unavailableExplanation({ kind: "other", detail: "" })).toBe("no reason recorded");
    expect(auditActionLabel("link_xpm")).toBe("Linked to an XPM client");
    expect(auditActionLabel("merge")).toBe("Merged with another client file");
    expect(auditActionLabel("some_new_thing")).toBe("some new thing");
  });
  it("a failed sync with no attempt time still says it failed", () => {
    const note = syncNote(makeFile({ id: 1, sync: { last_success_at: null, last_attempt_at: null, last_error: "boom" } }), NOW);
    expect(note).toMatchObject({ level: "failed", text: "Last sync failed" });
    expect(note.tooltip).toBe("Last sync failed at an unknown time: boom. It has never synced successfully.");
  });
});
