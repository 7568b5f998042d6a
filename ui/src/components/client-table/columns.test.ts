// Each column renders each state with the right icon, text and tooltip.
import { fireEvent } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ClientFile } from "../../bindings/ClientFile";
import { makeFile, NOW } from "../../test/fixtures";
import { renderTable } from "../../test/render";

/** The icons a person sees (hidden ones are kept in the DOM for row recycling). */
const icon = (el: Element) =>
  Array.from(el.querySelectorAll("[data-icon]:not(.icon-hidden)"))
    .filter((i) => !i.closest("[hidden]"))
    .map((i) => i.getAttribute("data-icon"));
/** Visible text, ignoring hidden elements. */
const shownText = (el: Element): string => {
  const clone = el.cloneNode(true) as Element;
  clone.querySelectorAll("[hidden]").forEach((h) => h.remove());
  return clone.textContent!.trim();
};
const titleOf = (el: Element | null) => el?.getAttribute("title") ?? "";

describe("1 Client name", () => {
  it("shows the display name, the remote name in the tooltip, and the last sync", () => {
    const t = renderTable([makeFile({ id: 1, display_name: "Kauri Dental", remote_name: "Kauri Dental Ltd" })]);
    const c = t.cell(1, 1);
    expect(c.querySelector(".name")!.textContent).toBe("Kauri Dental");
    expect(titleOf(c.querySelector(".name"))).toContain("Kauri Dental Ltd");
    const sync = c.querySelector("[data-sync]")!;
    expect(sync.textContent!.trim()).toBe("Synced 5 min ago");
    expect(sync.getAttribute("data-sync")).toBe("ok");
    expect(titleOf(sync)).toMatch(/^Last synced 25 Nov 2026/);
  });

  it("a failed last sync shows a warning with reason and attempt time, keeping the last good status", () => {
    const t = renderTable([
      makeFile({ id: 1, sync: { last_success_at: NOW - 2 * 86_400_000, last_attempt_at: NOW - 10 * 60_000, last_error: "Xero answered 503" } }),
    ]);
    const sync = t.cell(1, 1).querySelector("[data-sync]")!;
    expect(sync.getAttribute("data-sync")).toBe("failed");
    expect(icon(sync)).toEqual(["warning"]);
    expect(sync.textContent!.trim()).toBe("Sync failed 10 min ago");
    expect(titleOf(sync)).toContain("Xero answered 503");
    expect(titleOf(sync)).toContain("25 Nov 2026, 11:50:00");
    expect(titleOf(sync)).toContain("Showing the last good data, from 23 Nov 2026");
    // The last good status is still shown.
    expect(icon(t.cell(1, 3))).toEqual(["check"]);
    expect(t.row(1).classList.contains("failed")).toBe(true);
  });

  it("data older than a later attempt says so; never synced says so", () => {
    const t = renderTable([
      makeFile({ id: 1, sync: { last_success_at: NOW - 3 * 3_600_000, last_attempt_at: NOW - 60_000, last_error: null } }),
      makeFile({ id: 2, sync: { last_success_at: null, last_attempt_at: null, last_error: null } }),
    ]);
    const behind = t.cell(1, 1).querySelector("[data-sync]")!;
    expect(behind.getAttribute("data-sync")).toBe("behind");
    expect(icon(behind)).toEqual(["warning"]);
    expect(titleOf(behind)).toContain("a later sync attempt");
    expect(t.cell(2, 1).querySelector("[data-sync]")!.textContent!.trim()).toBe("Never synced");
  });

  it("reveals Work list and Client Console links to that client's pages", () => {
    const t = renderTable([makeFile({ id: 42 }), makeFile({ id: 7 })]);
    const links = t.cell(42, 1).querySelectorAll("a");
    expect(Array.from(links).map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["Work list", "#/clients/42/work-list"],
      ["Client Console", "#/clients/42/console"],
    ]);
    expect(t.cell(7, 1).querySelector<HTMLAnchorElement>('[data-link="console"]')!.getAttribute("href")).toBe("#/clients/7/console");
  });
});

describe("2 Accounting software", () => {
  const cases: [ClientFile["software"], string][] = [
    [{ kind: "xero" }, "Synced by Xero"],
    [{ kind: "quickbooks_online" }, "Synced by QuickBooks Online"],
    [{ kind: "myob" }, "Synced by MYOB"],
    [{ kind: "other", name: "Sage" }, "Other accounting software: Sage"],
    [{ kind: "none" }, "No accounting software syncs this file"],
  ];
  it.each(cases)("%o", (software, tooltip) => {
    const t = renderTable([makeFile({ id: 1, software })]);
    const c = t.cell(1, 2);
    expect(c.querySelector("[data-logo]")!.getAttribute("data-logo")).toBe(software.kind);
    expect(titleOf(c.querySelector("[title]"))).toContain(tooltip);
    if (software.kind === "other") expect(c.querySelector("text")!.textContent).toBe("S");
  });
  it("the Xero logo is the dashboard control: enabled once the short code is known", () => {
    const t = renderTable([makeFile({ id: 1 }), makeFile({ id: 2, xero: { tenant_id: "t", connection_id: null, short_code: null } })]);
    const button = t.cell(1, 2).querySelector("button")!;
    expect(button.getAttribute("aria-disabled")).toBeNull();
    expect(button.getAttribute("title")).toContain("Open it in your browser");
    const unknown = t.cell(2, 2).querySelector("button")!;
    expect(unknown.getAttribute("aria-disabled")).toBe("true");
    expect(unknown.getAttribute("title")).toContain("short code yet");
  });
});

describe("3 Connection", () => {
  it("connected: a checkmark, no button", () => {
    const t = renderTable([makeFile({ id: 1 })]);
    const c = t.cell(1, 3);
    expect(icon(c)).toEqual(["check"]);
    expect(c.querySelector("button")).toBeNull();
    expect(titleOf(c.querySelector("[title]"))).toBe("Connected");
  });
  const cases: [ClientFile["connection"], string, string, string, string][] = [
    [{ state: "not_connected" }, "plug", "Connect", "Not connected", "connect"],
    [{ state: "needs_reconnect", reason: "The refresh token expired" }, "plug", "Reconnect", "Needs reconnect: The refresh token expired", "reconnect"],
    [{ state: "disconnected", reason: "Removed at Xero" }, "plug-off", "Disconnected", "Disconnected: Removed at Xero", "reconnect"],
  ];
  it.each(cases)("%o: Connect icon, label and tooltip (enabled for a Xero file)", (connection, iconName, label, tooltip, verb) => {
    const t = renderTable([makeFile({ id: 1, connection })]);
    const button = t.cell(1, 3).querySelector("button")!;
    expect(icon(button)).toEqual([iconName]);
    expect(button.textContent!.trim()).toBe(label);
    expect(button.getAttribute("title")).toBe(
      `${tooltip}. ${verb[0].toUpperCase()}${verb.slice(1)} it: Xero opens in your browser and asks which organisations to allow`,
    );
    expect(button.getAttribute("aria-disabled")).toBeNull();
    expect(button.dataset.action).toBe("connect");
  });
  it("other software: the Connect icon stays disabled and says why, honestly", () => {
    const t = renderTable([
      makeFile({ id: 1, software: { kind: "quickbooks_online" }, connection: { state: "not_connected" }, xero: null }),
      makeFile({ id: 2, software: { kind: "none" }, connection: { state: "not_connected" }, xero: null }),
    ]);
    const qbo = t.cell(1, 3).querySelector("button")!;
    expect(qbo.getAttribute("aria-disabled")).toBe("true");
    expect(qbo.getAttribute("title")).toBe(
      "Not connected. Switchboard connects Xero organisations only; connecting QuickBooks Online files is not supported",
    );
    const none = t.cell(2, 3).querySelector("button")!;
    expect(none.getAttribute("aria-disabled")).toBe("true");
    expect(none.getAttribute("title")).toBe("Not connected. No accounting software syncs this file, so there is nothing to connect");
  });
});

describe("4 Payroll & Fixed Assets", () => {
  const cases: [ClientFile["payroll"], string | null, string][] = [
    [{ state: "connected" }, "check", "Payroll: connected"],
    [{ state: "unavailable", reason: { kind: "not_subscribed" } }, "unavailable", "Payroll unavailable: the organisation is not subscribed"],
    [{ state: "unavailable", reason: { kind: "not_set_up" } }, "unavailable", "Payroll unavailable: it has not been set up in Xero"],
    [{ state: "unavailable", reason: { kind: "scope_not_granted" } }, "unavailable", "Payroll unavailable: the connection was not granted access to it"],
    [{ state: "unavailable", reason: { kind: "wrong_region" } }, "unavailable", "Payroll unavailable: it is not offered for this organisation's region"],
    [{ state: "unavailable", reason: { kind: "not_reachable" } }, "unavailable", "Payroll unavailable: it could not be reached"],
    [{ state: "unavailable", reason: { kind: "other", detail: "HTTP 418" } }, "unavailable", "Payroll unavailable: HTTP 418"],
    [{ state: "disconnected_by_staff" }, "staff-off", "Payroll: disconnected by staff"],
    [{ state: "not_checked" }, null, "Payroll: not checked yet (no sync has looked at it)"],
  ];
  it.each(cases)("payroll %o", (payroll, iconName, tooltip) => {
    const t = renderTable([makeFile({ id: 1, payroll, fixed_assets: { state: "connected" } })]);
    const el = t.cell(1, 4).querySelector('[data-service="Payroll"]')!;
    expect(el.getAttribute("title")).toBe(tooltip);
    expect(icon(el)).toEqual(iconName ? [iconName] : []);
    expect(shownText(el).replace(/\s+/g, "")).toBe(iconName ? "Payroll" : "Payroll-");
  });
  it("fixed assets has its own state beside payroll", () => {
    const t = renderTable([
      makeFile({ id: 1, payroll: { state: "connected" }, fixed_assets: { state: "unavailable", reason: { kind: "not_subscribed" } } }),
    ]);
    const el = t.cell(1, 4).querySelector('[data-service="Fixed Assets"]')!;
    expect(el.getAttribute("title")).toBe("Fixed Assets unavailable: the organisation is not subscribed");
    expect(icon(el)).toEqual(["unavailable"]);
    expect(t.cell(1, 4).querySelector('[data-service="Payroll"]')!.getAttribute("data-state")).toBe("connected");
  });
});

describe("5 Account Dashboard", () => {
  it("arrow-in-box for a connected Xero file with a short code", () => {
    const t = renderTable([makeFile({ id: 1, xero: { tenant_id: "t", connection_id: "c", short_code: "!mBdtL" } })]);
    const button = t.cell(1, 5).querySelector("button")!;
    expect(icon(button)).toEqual(["arrow-in-box"]);
    expect(button.getAttribute("title")).toContain("Xero dashboard of this organisation (!mBdtL)");
    expect(button.getAttribute("aria-disabled")).toBeNull();
  });
  const cases: [Partial<ClientFile>, string][] = [
    [{ software: { kind: "myob" }, xero: null }, "not synced by Xero"],
    [{ connection: { state: "needs_reconnect", reason: "x" } }, "the file is not connected"],
    [{ connection: { state: "not_connected" } }, "the file is not connected"],
    [{ xero: { tenant_id: "t", connection_id: null, short_code: null } }, "short code is not known"],
  ];
  it.each(cases)("'-' when %o", (overrides, reason) => {
    const t = renderTable([makeFile({ id: 1, ...overrides })]);
    const c = t.cell(1, 5);
    expect(c.querySelector("button")).toBeNull();
    expect(c.textContent!.trim()).toBe("-");
    expect(titleOf(c.querySelector("[title]"))).toContain(reason);
  });
});

describe("6 XPM Dashboard", () => {
  it("arrow-in-box when linked to an XPM client with a page", () => {
    const t = renderTable([makeFile({ id: 1 })]);
    const button = t.cell(1, 6).querySelector("button")!;
    expect(icon(button)).toEqual(["arrow-in-box"]);
    expect(button.getAttribute("title")).toContain("XPM page of XPM Client 1");
  });
  it("'-' when not linked, or when XPM gave no page", () => {
    const t = renderTable([
      makeFile({ id: 1, xpm: null }),
      makeFile({ id: 2, xpm: { uuid: "u", name: "Acme", web_url: null, archived: false, deleted: false } }),
    ]);
    expect(t.cell(1, 6).textContent!.trim()).toBe("-");
    expect(titleOf(t.cell(1, 6).querySelector("[title]"))).toBe("No XPM dashboard: not linked to an XPM client");
    expect(titleOf(t.cell(2, 6).querySelector("[title]"))).toBe("No XPM dashboard: XPM gave no page for Acme");
  });
});

describe("7 XPM", () => {
  const xpm = (archived: boolean, deleted: boolean) => ({ uuid: "u", name: "Acme", web_url: null, archived, deleted });
  const cases: [ClientFile["xpm"], string, string[], string][] = [
    [null, "none", [], "Not linked to an XPM client"],
    [xpm(false, false), "linked", ["check"], "Linked to XPM client Acme"],
    [xpm(true, false), "archived", ["check", "warning"], "Linked to XPM client Acme, which is archived in XPM"],
    [xpm(false, true), "deleted", ["check", "warning"], "Linked to XPM client Acme, which is deleted in XPM"],
  ];
  it.each(cases)("%o", (link, state, icons, tooltip) => {
    const t = renderTable([makeFile({ id: 1, xpm: link })]);
    const button = t.cell(1, 7).querySelector("button")!;
    expect(button.querySelector("[data-state]")!.getAttribute("data-state")).toBe(state);
    expect(icon(button)).toEqual(icons);
    expect(shownText(button)).toBe(state === "none" ? "-" : "");
    const hint = state === "none" ? "Pick the XPM client" : "Change or remove the link";
    expect(button.getAttribute("title")).toBe(`${tooltip}. ${hint}`);
    expect(button.getAttribute("aria-disabled")).toBeNull();
  });
});

describe("8 Reports and 9 Settings", () => {
  it("Reports is the client's report link: a click opens its Reports page", async () => {
    const t = renderTable([makeFile({ id: 1, display_name: "Acme" })]);
    const button = t.cell(1, 8).querySelector("button")!;
    expect(icon(button)).toEqual(["report"]);
    expect(button.getAttribute("title")).toBe("Reports for Acme. Open its reports (cached for offline reading)");
    expect(button.getAttribute("aria-disabled")).not.toBe("true");
    await fireEvent.click(button);
    expect(location.hash).toBe("#/clients/1/reports");
    history.replaceState(null, "", "#/");
  });

  it("Settings opens a menu with the six items, each available", async () => {
    const t = renderTable([makeFile({ id: 1, display_name: "Acme" })]);
    const button = t.cell(1, 9).querySelector("button")!;
    expect(button.getAttribute("aria-haspopup")).toBe("menu");
    await fireEvent.click(button);
    const menu = document.querySelector('[role="menu"]')!;
    expect(menu).not.toBeNull();
    const items = Array.from(menu.querySelectorAll('[role="menuitem"]'));
    expect(items.map((i) => i.querySelector("span")!.textContent)).toEqual([
      "User access",
      "Client Console settings",
      "Client Console users",
      "Rename client",
      "Disconnect payroll",
      "Delete client",
    ]);
    for (const item of items) {
      expect(item.getAttribute("aria-disabled")).toBeNull();
    }
    expect(menu.querySelector(".menu-foot")).toBeNull();
    expect(document.activeElement).toBe(items[0]);
    await fireEvent.keyDown(items[0], { key: "ArrowDown" });
    expect(document.activeElement).toBe(items[1]);
    await fireEvent.keyDown(items[1], { key: "Escape" });
    expect(document.querySelector('[role="menu"]')).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});

describe("hostile names", () => {
  it("render as text: no element is created from a name", () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const t = renderTable([makeFile({ id: 1, display_name: hostile, remote_name: "<script>alert(2)</script>" })]);
    expect(t.container.querySelector("img")).toBeNull();
    expect(t.container.querySelector("script")).toBeNull();
    expect(t.cell(1, 1).querySelector(".name")!.textContent).toBe(hostile);
  });
});
