import { describe, expect, it } from "vitest";
import type { TokenSetInfo } from "../bindings/TokenSetInfo";
import { makeFile, NOW } from "../test/fixtures";
import {
  connectSummaryText,
  connectsThisFile,
  connectUnsupported,
  fileConnectText,
  lapseText,
  needsReconnectCount,
  parsePorts,
  progressText,
  redirectUri,
  syncReportText,
} from "./xero";

const REPORT = { synced: 0, failed: 0, disconnected: 0, needs_reconnect: 0, cancelled: false };

describe("redirect ports", () => {
  it("parses commas, spaces and semicolons; drops duplicates and blanks", () => {
    expect(parsePorts("53682, 53683;53684  53682,")).toEqual({ ok: true, ports: [53682, 53683, 53684] });
    expect(parsePorts("")).toEqual({ ok: true, ports: [] });
  });
  it("refuses what is not a port", () => {
    expect(parsePorts("53682, http")).toEqual({ ok: false, message: "“http” is not a port number. Use numbers separated by commas." });
    expect(parsePorts("70000")).toEqual({ ok: false, message: "70000 is not a port number (1–65535)." });
    expect(parsePorts("0").ok).toBe(false);
    expect(parsePorts("-5").ok).toBe(false);
  });
  it("gives the exact loopback redirect URI Xero must have registered", () => {
    expect(redirectUri(53682)).toBe("http://localhost:53682/callback");
  });
});

describe("what an operation did", () => {
  it("connect", () => {
    expect(connectSummaryText({ connected: 3, sync: { ...REPORT, synced: 3 } })).toBe("Connected 3 client files.");
    expect(connectSummaryText({ connected: 1, sync: { ...REPORT, synced: 1 } })).toBe("Connected 1 client file.");
    expect(connectSummaryText({ connected: 0, sync: REPORT })).toBe("Xero connected no organisations (none were allowed).");
    expect(connectSummaryText({ connected: 4, sync: { synced: 1, failed: 1, needs_reconnect: 1, disconnected: 1, cancelled: false } })).toBe(
      "Connected 4 client files; 1 failed to sync, 1 needs reconnecting, 1 no longer connected at Xero.",
    );
  });
  it("sync", () => {
    expect(syncReportText({ ...REPORT, synced: 1200 })).toBe("Synced 1,200 client files.");
    expect(syncReportText({ ...REPORT, synced: 2, needs_reconnect: 3, cancelled: true })).toBe("Sync cancelled after 2 client files; 3 need reconnecting.");
  });
  it("progress", () => {
    expect(progressText(null)).toBe("Starting…");
    expect(progressText({ done: 0, total: 0, failed: 0 })).toBe("Starting…");
    expect(progressText({ done: 1500, total: 2000, failed: 0 })).toBe("1,500 of 2,000 files");
    expect(progressText({ done: 3, total: 4, failed: 2 })).toBe("3 of 4 files · 2 failed");
  });
});

describe("files", () => {
  it("counts the files that need reconnecting", () => {
    expect(
      needsReconnectCount([
        makeFile({ id: 1 }),
        makeFile({ id: 2, connection: { state: "needs_reconnect", reason: "x" } }),
        makeFile({ id: 3, connection: { state: "disconnected", reason: "y" } }),
      ]),
    ).toBe(1);
  });
  it("only Xero files can be connected from the row", () => {
    expect(connectUnsupported(makeFile({ id: 1 }))).toBeNull();
    expect(connectUnsupported(makeFile({ id: 2, software: { kind: "myob" } }))).toContain("Xero organisations only");
    expect(connectUnsupported(makeFile({ id: 3, software: { kind: "other", name: "Sage" } }))).toContain("connecting Sage files");
  });
});

describe("the Connect icon of one file", () => {
  it("connects that file only for a Xero file not yet linked to an organisation", () => {
    expect(connectsThisFile(makeFile({ id: 1, connection: { state: "not_connected" }, xero: null }))).toBe(true);
    // Linked to an organisation already: a reconnect, whichever organisations the consent reaches.
    expect(connectsThisFile(makeFile({ id: 2, connection: { state: "needs_reconnect", reason: "x" } }))).toBe(false);
    expect(connectsThisFile(makeFile({ id: 3, connection: { state: "disconnected", reason: "y" } }))).toBe(false);
    for (const software of [{ kind: "quickbooks_online" }, { kind: "myob" }, { kind: "none" }, { kind: "other", name: "Sage" }] as const) {
      expect(connectsThisFile(makeFile({ id: 4, software, connection: { state: "not_connected" }, xero: null }))).toBe(false);
    }
  });
  it("says what happened; a twin is a question for the dialog, not a toast", () => {
    expect(fileConnectText({ outcome: "connected", file: 1, sync: { ...REPORT, synced: 1 } }, "Acme")).toEqual({ level: "ok", text: "Connected Acme to Xero." });
    expect(fileConnectText({ outcome: "connected", file: 1, sync: { ...REPORT, failed: 1 } }, "Acme")).toEqual({
      level: "warn",
      text: "Connected Acme to Xero; 1 failed to sync.",
    });
    expect(fileConnectText({ outcome: "nothing_picked", file: 1 }, "Acme")?.text).toBe(
      "No organisation was picked in Xero, so Acme was not connected. Nothing changed.",
    );
    const twin = { outcome: "already_another_file", file: 1, file_name: "Acme", other: 2, other_name: "Acme Ltd", organisation_name: null } as const;
    expect(fileConnectText(twin, "Acme")).toBeNull();
  });
});

describe("sign-in lapse", () => {
  const info: TokenSetInfo = { id: 1, xero_user_id: "u", scopes: [], access_expires_at: NOW, lapses_at: NOW + 3 * 86_400_000, needs_reconnect: false };
  it("soon, later, gone", () => {
    expect(lapseText(info, NOW)).toEqual({ text: "Connection lapses 28 Nov 2026 (in 3 days) if unused", level: "soon" });
    expect(lapseText({ ...info, lapses_at: NOW + 40 * 86_400_000 }, NOW).level).toBe("ok");
    expect(lapseText({ ...info, lapses_at: NOW - 1 }, NOW)).toEqual({ text: "Lapsed on 25 Nov 2026. Reconnect the file.", level: "gone" });
    expect(lapseText({ ...info, needs_reconnect: true }, NOW).level).toBe("gone");
  });
});
