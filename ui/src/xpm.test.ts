// XPM in the UI over a fake core (mockIPC): the XPM column's pop-up (suggestions first with their
// reason, search over the cached list, keyboard, link / change / remove), the XPM Dashboard
// action, the review screen's bulk confirm and reject, and XPM in Settings.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { ClientFile } from "./bindings/ClientFile";
import type { XpmClientRecord } from "./bindings/XpmClientRecord";
import type { XpmReview } from "./bindings/XpmReview";
import type { XpmStatus } from "./bindings/XpmStatus";
import type { XpmSuggestion } from "./bindings/XpmSuggestion";
import { buildIndex, MAX_RESULTS, searchXpm } from "./lib/xpm.svelte";
import { makeFile, makeTable, NOW } from "./test/fixtures";
import { go, resetApp, text, until, xeroStatusOf } from "./test/harness";
import { TEN_ROWS } from "./test/render";
import { encodeClientTable } from "./lib/client-table";

const record = (uuid: string, name: string, extra: Partial<XpmClientRecord> = {}): XpmClientRecord => ({
  uuid,
  name,
  email: null,
  tax_number: null,
  client_code: null,
  prospect: false,
  archived: false,
  deleted: false,
  web_url: `https://practicemanager.xero.com/Client/${uuid}/Detail`,
  ...extra,
});

const CLIENTS: XpmClientRecord[] = [
  record("a", "Acme Plumbing Pty Ltd", { client_code: "C001" }),
  record("b", "Bravo Bakery Limited"),
  record("c", "Acme Roofing", { archived: true }),
  record("d", "Gone Ltd", { deleted: true }),
  record("e", "<img src=x onerror=alert(1)>"),
];

const SUGGEST: XpmSuggestion = {
  file_id: 1,
  file_name: "Acme Plumbing",
  xpm_uuid: "a",
  xpm_name: "Acme Plumbing Pty Ltd",
  score: 95,
  reason: "Same name once legal suffixes, punctuation, case and & / and are set aside",
};

interface Fake {
  files: ClientFile[];
  calls: { cmd: string; args: Record<string, unknown> }[];
  status?: XpmStatus;
  review?: XpmReview;
}

function install(fake: Fake) {
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    fake.calls.push({ cmd, args: a });
    switch (cmd) {
      case "cache_status":
        return { state: "ready", path: "/tmp/cache.sqlite3" };
      case "load_client_table":
      case "load_client_table_head":
        return encodeClientTable(makeTable(fake.files));
      case "table_painted":
        return null;
      case "xero_status":
        return xeroStatusOf({ redirect_ports: [53682] });
      case "xpm_clients":
        return CLIENTS;
      case "xpm_suggestions":
        return a.id === 1 ? [SUGGEST] : [];
      case "link_xpm": {
        const uuid = a.xpmUuid as string | null;
        const c = CLIENTS.find((x) => x.uuid === uuid) ?? null;
        fake.files = fake.files.map((f) =>
          f.id === a.id ? { ...f, xpm: c && { uuid: c.uuid, name: c.name, web_url: c.web_url, archived: c.archived, deleted: c.deleted } } : f,
        );
        return fake.files.find((f) => f.id === a.id);
      }
      case "open_xpm_dashboard":
        return null;
      case "xpm_status":
        return fake.status;
      case "refresh_xpm":
        return { full: false, received: 3, cached: 1200 };
      case "disconnect_xpm":
        fake.status = { ...fake.status!, connected: false };
        return fake.status;
      case "xpm_review":
        return fake.review;
      case "confirm_xpm_links":
        return (a.links as unknown[]).length;
      default:
        throw { kind: "not_found", message: `no fake for ${cmd}` };
    }
  });
}

beforeEach(resetApp);
afterEach(() => clearMocks());


async function start(files: ClientFile[], extra: Partial<Fake> = {}) {
  const fake: Fake = { files, calls: [], ...extra };
  install(fake);
  const r = render(App, { props: { viewportHeight: TEN_ROWS } });
  const doc = r.container.ownerDocument;
  await until(() => expect(doc.querySelector('[role="row"][data-id], .page-title, [data-testid="xpm-settings"]')).not.toBeNull());
  const q = (sel: string) => doc.querySelector<HTMLElement>(sel);
  const all = (sel: string) => Array.from(doc.querySelectorAll<HTMLElement>(sel));
  const cell = (id: number, col: number) => q(`[role="row"][data-id="${id}"] [aria-colindex="${col}"]`)!;
  return { fake, q, all, cell, count: (cmd: string) => fake.calls.filter((c) => c.cmd === cmd).length };
}

describe("XPM link pop-up", () => {
  it("shows suggestions first with their reason, searches the cached list, and links with the keyboard", async () => {
    const t = await start([makeFile({ id: 1, display_name: "Acme Plumbing", xpm: null })]);
    await fireEvent.click(t.cell(1, 7).querySelector("button")!);
    await until(() => expect(t.all('[data-testid="xpm-option"]').length).toBe(1));
    const first = t.q('[data-testid="xpm-option"]')!;
    expect(first.dataset.uuid).toBe("a");
    expect(text(first.querySelector('[data-testid="xpm-reason"]'))).toContain("legal suffixes");
    expect(document.activeElement).toBe(t.q('[data-testid="xpm-search"]'));
    expect(t.q('[data-testid="xpm-search"]')!.getAttribute("placeholder")).toBe("Search 5 XPM clients by name, code or email");

    const search = t.q('[data-testid="xpm-search"]') as HTMLInputElement;
    const lists = t.count("xpm_clients");
    await fireEvent.input(search, { target: { value: "acme" } });
    const uuids = t.all('[data-testid="xpm-option"]').map((o) => o.dataset.uuid);
    expect(uuids).toEqual(["a", "c"]);
    expect(t.count("xpm_clients")).toBe(lists);
    expect(t.count("xpm_suggestions")).toBe(1); // a keystroke asks the core nothing
    expect(text(t.q('[data-testid="xpm-count"]'))).toBe("2 matches.");

    await fireEvent.keyDown(search, { key: "ArrowDown" });
    expect(t.all('[data-testid="xpm-option"]')[1].getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(search, { key: "Enter" });
    await until(() => expect(t.q('[data-testid="xpm-dialog"]')).toBeNull());
    const link = t.fake.calls.find((c) => c.cmd === "link_xpm")!;
    expect(link.args).toEqual({ id: 1, xpmUuid: "c" });
    await until(() => expect(t.cell(1, 7).querySelector("[data-state]")!.getAttribute("data-state")).toBe("archived"));
    expect(text(t.q('[data-testid="toast-text"]'))).toContain("Linked Acme Plumbing to XPM client Acme Roofing");
  });

  it("the checkmark shows the current link to change or remove it; remote names stay text", async () => {
    const linked = makeFile({ id: 2, display_name: "Bravo", xpm: { uuid: "b", name: "Bravo Bakery Limited", web_url: null, archived: false, deleted: false } });
    const t = await start([linked]);
    await fireEvent.click(t.cell(2, 7).querySelector("button")!);
    await until(() => expect(t.q('[data-testid="xpm-current-name"]')).not.toBeNull());
    expect(text(t.q('[data-testid="xpm-current-name"]'))).toBe("Bravo Bakery Limited");

    const search = t.q('[data-testid="xpm-search"]') as HTMLInputElement;
    await fireEvent.input(search, { target: { value: "img" } });
    const hostile = t.q('[data-testid="xpm-option"]')!;
    expect(hostile.querySelector("img")).toBeNull();
    expect(text(hostile.querySelector(".xpm-name"))).toBe("<img src=x onerror=alert(1)>");

    // Deleted clients are listed but cannot be chosen.
    await fireEvent.input(search, { target: { value: "gone" } });
    await fireEvent.keyDown(search, { key: "Enter" });
    expect(t.count("link_xpm")).toBe(0);

    await fireEvent.click(t.q('[data-testid="xpm-unlink"]')!);
    await until(() => expect(t.q('[data-testid="xpm-dialog"]')).toBeNull());
    expect(t.fake.calls.find((c) => c.cmd === "link_xpm")!.args).toEqual({ id: 2, xpmUuid: null });
    await until(() => expect(t.cell(2, 7).querySelector("[data-state]")!.getAttribute("data-state")).toBe("none"));
  });

  it("Escape closes without linking", async () => {
    const t = await start([makeFile({ id: 1, xpm: null })]);
    await fireEvent.click(t.cell(1, 7).querySelector("button")!);
    await until(() => expect(t.q('[data-testid="xpm-search"]')).not.toBeNull());
    await fireEvent.keyDown(t.q('[data-testid="xpm-search"]')!, { key: "Escape" });
    expect(t.q('[data-testid="xpm-dialog"]')).toBeNull();
    expect(t.count("link_xpm")).toBe(0);
  });
});

describe("XPM search", () => {
  it("caps what is painted and counts the rest", () => {
    const many = Array.from({ length: 15_000 }, (_, i) => record(`u${i}`, `Client ${i} Holdings`));
    const found = searchXpm("holdings", [], buildIndex(many));
    expect(found.items).toHaveLength(MAX_RESULTS);
    expect(found.total).toBe(15_000);
    expect(searchXpm("client 14999 ", [], buildIndex(many)).items.map((i) => i.client.uuid)).toEqual(["u14999"]);
  });

  it("narrowing as a person types gives the same results as searching afresh", () => {
    const index = buildIndex(["Kauri Holdings", "Kauri Joinery", "Smith Holdings", "Kaur Partners"].map((n, i) => record(`k${i}`, n)));
    const names = (q: string) => searchXpm(q, [], index).items.map((i) => i.client.name);
    expect(names("kau")).toEqual(["Kauri Holdings", "Kauri Joinery", "Kaur Partners"]);
    expect(names("kauri")).toEqual(["Kauri Holdings", "Kauri Joinery"]);
    expect(names("kauri h")).toEqual(["Kauri Holdings"]);
    expect(names("kau")).toEqual(["Kauri Holdings", "Kauri Joinery", "Kaur Partners"]); // deleting widens again
    expect(names("holdings")).toEqual(["Kauri Holdings", "Smith Holdings"]);
    const other = buildIndex([record("z", "Kauri Other")]);
    expect(searchXpm("kauri", [], other).items.map((i) => i.client.name)).toEqual(["Kauri Other"]); // a new list
  });
});

describe("XPM Dashboard column", () => {
  it("opens the linked client's page through the core; '-' without a page", async () => {
    const t = await start([makeFile({ id: 1 }), makeFile({ id: 2, xpm: null })]);
    const button = t.cell(1, 6).querySelector("button")!;
    expect(button.getAttribute("aria-disabled")).toBeNull();
    await fireEvent.click(button);
    await until(() => expect(t.count("open_xpm_dashboard")).toBe(1));
    expect(t.fake.calls.find((c) => c.cmd === "open_xpm_dashboard")!.args).toEqual({ id: 1 });
    expect(t.cell(2, 6).querySelector("button")).toBeNull();
  });
});

describe("Link XPM clients review", () => {
  it("confirms the selected suggestions in bulk, rejects others, lists flags and conflicts", async () => {
    go("#/xpm-review");
    const review: XpmReview = {
      suggestions: [SUGGEST, { ...SUGGEST, file_id: 3, file_name: "Other", xpm_uuid: "b", xpm_name: "Bravo Bakery Limited", score: 100, reason: "Same name" }],
      flagged: [{ file: { id: 9, name: "Old" }, xpm_uuid: "c", xpm_name: "Acme Roofing", problem: "This XPM client was archived in XPM." }],
      conflicts: [{ xpm_uuid: "a", xpm_name: "Acme Plumbing Pty Ltd", files: [{ id: 4, name: "One" }, { id: 5, name: "Two" }] }],
    };
    const t = await start([], { review });
    await until(() => expect(t.all('[data-testid="review-row"]').length).toBe(2));
    expect(text(t.q('[data-testid="review-flagged"]'))).toContain("archived");
    expect(text(t.q('[data-testid="review-conflict"]'))).toBe("Acme Plumbing Pty Ltd: One, Two");

    const boxes = () => t.all('[data-testid="review-row"] input[type="checkbox"]') as HTMLInputElement[];
    await fireEvent.click(boxes()[1]);
    await fireEvent.click(t.q('[data-testid="review-reject"]')!);
    expect(t.all('[data-testid="review-row"]').length).toBe(1);
    expect(t.count("confirm_xpm_links")).toBe(0);

    await fireEvent.click(boxes()[0]);
    await fireEvent.click(t.q('[data-testid="review-confirm"]')!);
    await until(() => expect(t.count("confirm_xpm_links")).toBe(1));
    expect(t.fake.calls.find((c) => c.cmd === "confirm_xpm_links")!.args).toEqual({ links: [{ file_id: 1, xpm_uuid: "a" }] });
  });
});

describe("XPM in Settings", () => {
  it("shows the status, the last refresh and its failure, and refreshes", async () => {
    go("#/settings");
    const status: XpmStatus = {
      connected: true,
      needs_reconnect: false,
      clients: 1200,
      last_refresh_at: NOW - 3_600_000,
      last_attempt_at: NOW - 60_000,
      last_error: "XPM could not be reached (the connection failed).",
    };
    const t = await start([], { status });
    await until(() => expect(t.q('[data-testid="xpm-state"]')).not.toBeNull());
    expect(text(t.q('[data-testid="xpm-state"]'))).toBe("Connected: 1,200 XPM clients cached.");
    expect(text(t.q('[data-testid="xpm-last-refresh"]'))).toMatch(/^Last refreshed: .+\d/);
    expect(text(t.q('[data-testid="xpm-last-error"]'))).toContain("could not be reached");
    await fireEvent.click(t.q('[data-testid="xpm-refresh"]')!);
    await until(() => expect(t.count("refresh_xpm")).toBe(1));
    await until(() => expect(t.count("xpm_status")).toBe(2));
  });

  it("disconnects only once confirmed, and says the cached clients stay", async () => {
    go("#/settings");
    const status: XpmStatus = { connected: true, needs_reconnect: false, clients: 1200, last_refresh_at: NOW, last_attempt_at: NOW, last_error: null };
    const t = await start([], { status });
    await until(() => expect(t.q('[data-testid="xpm-disconnect"]')).not.toBeNull());
    await fireEvent.click(t.q('[data-testid="xpm-disconnect"]')!);
    expect(text(t.q('[data-testid="xpm-disconnect-confirm"]'))).toContain("the cached clients and links stay");
    expect(t.count("disconnect_xpm")).toBe(0);
    await fireEvent.click(t.q('[data-testid="xpm-disconnect-yes"]')!);
    await until(() => expect(t.count("disconnect_xpm")).toBe(1));
    await until(() => expect(text(t.q('[data-testid="xpm-state"]'))).toMatch(/^Not connected/));
    expect(t.q('[data-testid="xpm-disconnect"]')).toBeNull();
    expect(t.q('[data-testid="xpm-disconnect-confirm"]')).toBeNull();
  });

  it("offers Connect XPM when not connected", async () => {
    go("#/settings");
    const t = await start([], {
      status: { connected: false, needs_reconnect: false, clients: 0, last_refresh_at: null, last_attempt_at: null, last_error: null },
    });
    await until(() => expect(t.q('[data-testid="xpm-connect"]')).not.toBeNull());
    expect(text(t.q('[data-testid="xpm-connect"]'))).toBe("Connect XPM");
    expect(t.q('[data-testid="xpm-refresh"]')).toBeNull();
  });
});
