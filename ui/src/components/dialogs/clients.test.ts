// Add client and Import over a fake core (mockIPC): what each dialog sends, that a name already in
// the list is asked about before anything is added, that an import shows its preview first, and
// that a CSV file with a bad line cannot be imported.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CsvImportPreview } from "../../bindings/CsvImportPreview";
import type { XpmImportPreview } from "../../bindings/XpmImportPreview";
import { dismissToast, operation } from "../../lib/operation.svelte";
import { makeFile } from "../../test/fixtures";
import { until } from "../../test/harness";
import ClientImportActions from "../ClientImportActions.svelte";
import AddClientDialog from "./AddClientDialog.svelte";
import ImportDialog from "./ImportDialog.svelte";

type Handler = (args: unknown) => unknown;
let calls: { cmd: string; args: unknown }[] = [];

function core(handlers: Record<string, Handler>) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const handler = handlers[cmd];
    if (!handler) throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
    return handler(args);
  });
}
const sent = (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
/** The element, or a throw (so `until` waits for it). */
function present(id: string): HTMLElement {
  const element = byTestId(id);
  if (!element) throw new Error(`nothing with data-testid ${id}`);
  return element;
}

beforeEach(() => dismissToast());
afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

describe("Add client", () => {
  it("sends the name, the software and no XPM link, then closes with a toast", async () => {
    const file = makeFile({ id: 9, display_name: "Harbour Cafe", software: { kind: "myob" } });
    core({ xpm_clients: () => [], add_client: () => ({ outcome: "added", file, warning: null }) });
    const onclose = vi.fn();
    render(AddClientDialog, { onclose });
    await fireEvent.input(byTestId("add-client-name")!, { target: { value: "Harbour Cafe" } });
    await fireEvent.change(byTestId("add-client-software")!, { target: { value: "myob" } });
    await fireEvent.click(byTestId("add-client-save")!);
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(sent("add_client")).toEqual([
      { client: { name: "Harbour Cafe", software: { kind: "myob" }, xpm_client_uuid: null }, confirmed: false },
    ]);
    expect(operation.toast?.text).toBe("Added Harbour Cafe (not connected)");
  });

  it("other software sends its name", async () => {
    core({ xpm_clients: () => [], add_client: () => ({ outcome: "added", file: makeFile({ id: 1 }), warning: null }) });
    render(AddClientDialog, { onclose: () => {} });
    await fireEvent.input(byTestId("add-client-name")!, { target: { value: "Reckon Co" } });
    await fireEvent.change(byTestId("add-client-software")!, { target: { value: "other" } });
    await fireEvent.input(byTestId("add-client-other")!, { target: { value: "Reckon One" } });
    await fireEvent.click(byTestId("add-client-save")!);
    await until(() => expect(sent("add_client")).toHaveLength(1));
    expect((sent("add_client")[0] as { client: { software: unknown } }).client.software).toEqual({ kind: "other", name: "Reckon One" });
  });

  it("a name already in the list is shown as a warning and added only when the person confirms", async () => {
    const file = makeFile({ id: 3, display_name: "Smith Pty Ltd" });
    core({
      xpm_clients: () => [],
      add_client: (a) =>
        (a as { confirmed: boolean }).confirmed
          ? { outcome: "added", file, warning: "The list already has a client file named \"Smith Pty Ltd\"." }
          : { outcome: "needs_confirmation", warning: "The list already has a client file named \"Smith Pty Ltd\"." },
    });
    const onclose = vi.fn();
    render(AddClientDialog, { onclose });
    await fireEvent.input(byTestId("add-client-name")!, { target: { value: "Smith Pty Ltd" } });
    await fireEvent.click(byTestId("add-client-save")!);
    const warning = await until(() => present("add-client-warning"));
    expect(warning.textContent).toContain("already has a client file named");
    expect(onclose).not.toHaveBeenCalled();
    await fireEvent.click(byTestId("add-client-confirm")!);
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(sent("add_client").map((a) => (a as { confirmed: boolean }).confirmed)).toEqual([false, true]);
  });

  it("a refusal is shown in the dialog, which stays open", async () => {
    core({ xpm_clients: () => [], add_client: () => Promise.reject({ kind: "invalid_input", message: "A client name cannot be empty." }) });
    const onclose = vi.fn();
    render(AddClientDialog, { onclose });
    await fireEvent.click(byTestId("add-client-save")!);
    const error = await until(() => present("dialog-error"));
    expect(error.textContent).toBe("A client name cannot be empty.");
    expect(onclose).not.toHaveBeenCalled();
  });

  it("an XPM client can be picked by name and its uuid is sent", async () => {
    core({
      xpm_clients: () => [
        { uuid: "x-1", name: "Alpha Ltd", email: null, tax_number: null, client_code: "A1", prospect: false, archived: false, deleted: false, web_url: null },
      ],
      add_client: () => ({ outcome: "added", file: makeFile({ id: 1 }), warning: null }),
    });
    render(AddClientDialog, { onclose: () => {} });
    await fireEvent.input(byTestId("add-client-name")!, { target: { value: "Alpha" } });
    const search = await until(() => present("add-client-xpm"));
    await fireEvent.input(search, { target: { value: "alp" } });
    await fireEvent.click(byTestId("add-client-xpm-matches")!.querySelector("button")!);
    expect(byTestId("add-client-xpm-picked")!.textContent).toContain("Alpha Ltd (A1)");
    await fireEvent.click(byTestId("add-client-save")!);
    await until(() => expect(sent("add_client")).toHaveLength(1));
    expect((sent("add_client")[0] as { client: { xpm_client_uuid: string } }).client.xpm_client_uuid).toBe("x-1");
  });
});

const xpmPreview = (overrides: Partial<XpmImportPreview> = {}): XpmImportPreview => ({
  cached: 6,
  to_add: 2,
  first_rows: [
    { xpm_client_uuid: "x-1", name: "Alpha Ltd", client_code: "A1", name_in_list: false },
    { xpm_client_uuid: "x-2", name: "Beta Trading", client_code: null, name_in_list: true },
  ],
  names_in_list: 1,
  already_linked: 1,
  archived: 1,
  deleted: 1,
  prospects: 1,
  unusable_names: 0,
  first_skipped: [
    { name: "Old Client", reason: "archived" },
    { name: "Maybe Client", reason: "prospect" },
  ],
  ...overrides,
});

describe("Import from XPM", () => {
  it("previews counts, the first rows and why clients are skipped, then imports on Import", async () => {
    core({ preview_xpm_import: () => xpmPreview(), import_from_xpm: () => ({ added: 2 }) });
    const onclose = vi.fn();
    render(ImportDialog, { source: "xpm", onclose });
    const counts = await until(() => present("import-counts"));
    expect(counts.textContent).toContain("2 to add");
    expect(counts.textContent).toContain("1 prospect");
    expect(byTestId("import-rows")!.textContent).toContain("Beta Trading");
    expect(byTestId("import-rows")!.textContent).toContain("Name already in the list");
    const skipped = byTestId("import-skipped")!.textContent!;
    expect(skipped).toContain("Old Client");
    expect(skipped).toContain("archived in XPM");
    expect(skipped).toContain("a prospect, not a client yet");
    expect(sent("import_from_xpm")).toHaveLength(0);
    await fireEvent.click(byTestId("import-run")!);
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(sent("import_from_xpm")).toHaveLength(1);
    expect(operation.toast?.text).toBe("Imported 2 client files (not connected)");
  });

  it("with nothing new, says so and Import is disabled", async () => {
    core({ preview_xpm_import: () => xpmPreview({ to_add: 0, first_rows: [], already_linked: 3 }) });
    render(ImportDialog, { source: "xpm", onclose: () => {} });
    await until(() => present("import-nothing"));
    expect((byTestId("import-run") as HTMLButtonElement).disabled).toBe(true);
  });
});

const csvPreview = (overrides: Partial<CsvImportPreview> = {}): CsvImportPreview => ({
  separator: ";",
  lines: 2,
  ready: 2,
  with_errors: 0,
  with_warnings: 0,
  first_rows: [
    { line: 2, name: "=SUM(A1)", software: { kind: "xero" }, xpm_client: "Alpha Ltd", error: null, warning: null },
    { line: 3, name: "Paper Co", software: { kind: "other", name: "Reckon" }, xpm_client: null, error: null, warning: null },
  ],
  problems: [],
  ignored_columns: [],
  ...overrides,
});

async function pickFile(text: string | Uint8Array) {
  const input = byTestId("import-csv-file") as HTMLInputElement;
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const file = new File([bytes as BlobPart], "clients.csv", { type: "text/csv" });
  // jsdom's File has no arrayBuffer(); the web view's has.
  Object.defineProperty(file, "arrayBuffer", { value: async () => bytes.slice().buffer });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  await fireEvent.change(input);
}

describe("Import from a CSV file", () => {
  it("sends the file's bytes as they are, previews them, and imports the same bytes", async () => {
    core({ preview_csv_import: () => csvPreview(), import_csv: () => ({ added: 2 }) });
    const onclose = vi.fn();
    render(ImportDialog, { source: "csv", onclose });
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("name;software\r\n=SUM(A1);Xero\r\n")]);
    await pickFile(bytes);
    const rows = await until(() => present("import-rows"));
    expect(rows.textContent).toContain("=SUM(A1)");
    expect(rows.textContent).toContain("Reckon");
    expect(Array.from(sent("preview_csv_import")[0] as Uint8Array)).toEqual(Array.from(bytes));
    const run = byTestId("import-run") as HTMLButtonElement;
    await until(() => expect(run.disabled).toBe(false));
    await fireEvent.click(run);
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(Array.from(sent("import_csv")[0] as Uint8Array)).toEqual(Array.from(bytes));
  });

  it("lists each bad line with its error and does not let the file be imported", async () => {
    core({
      preview_csv_import: () =>
        csvPreview({
          lines: 3,
          ready: 1,
          with_errors: 2,
          problems: [
            { line: 3, name: "\u202Egnp.exe", software: null, xpm_client: null, error: "Unknown accounting software \"Sage\".", warning: null },
            { line: 4, name: "", software: null, xpm_client: null, error: "Missing name.", warning: null },
          ],
        }),
    });
    render(ImportDialog, { source: "csv", onclose: () => {} });
    await pickFile("name,software\n");
    const problems = await until(() => present("import-problems"));
    expect(problems.textContent).toContain("Unknown accounting software");
    expect(problems.textContent).toContain("Missing name.");
    // A name from the file is drawn as what it is: its direction override shown as a mark.
    expect(problems.textContent).toContain("⟨U+202E⟩gnp.exe");
    expect(byTestId("import-blocked")).not.toBeNull();
    expect((byTestId("import-run") as HTMLButtonElement).disabled).toBe(true);
  });

  it("a whole-file refusal (too big, no header) is shown and nothing can be imported", async () => {
    core({ preview_csv_import: () => Promise.reject({ kind: "invalid_input", message: "The file is 25.0 MB; Switchboard imports client lists of up to 20 MB." }) });
    render(ImportDialog, { source: "csv", onclose: () => {} });
    await pickFile("x");
    const error = await until(() => present("dialog-error"));
    expect(error.textContent).toContain("up to 20 MB");
    expect((byTestId("import-run") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("a file over the size cap", () => {
  it("is refused before it is read or sent", async () => {
    core({});
    render(ImportDialog, { source: "csv", onclose: () => {} });
    const input = byTestId("import-csv-file") as HTMLInputElement;
    const file = new File(["x"], "huge.csv");
    Object.defineProperty(file, "size", { value: 25 * 1024 * 1024 });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    await fireEvent.change(input);
    const error = await until(() => present("dialog-error"));
    expect(error.textContent).toContain("huge.csv is 25.0 MB");
    expect(calls).toHaveLength(0);
  });
});

describe("the action bar", () => {
  it("Add client opens its dialog; Import… offers XPM and a CSV file", async () => {
    core({ xpm_clients: () => [], preview_xpm_import: () => xpmPreview() });
    render(ClientImportActions);
    await fireEvent.click(byTestId("add-client")!);
    expect(byTestId("add-client-dialog")).not.toBeNull();
    await fireEvent.click(byTestId("dialog-close")!);
    expect(byTestId("add-client-dialog")).toBeNull();
    await fireEvent.click(byTestId("import-menu")!);
    await fireEvent.click(byTestId("import-xpm")!);
    await until(() => present("import-counts"));
    expect(document.querySelector("#import-dialog-title")!.textContent).toBe("Import clients from XPM");
  });
});
