// Client names with direction overrides, hidden characters and line breaks: drawn as what they
// are (each such character a visible mark, the direction isolated, one line in the table),
// found by what the screen shows, and kept exact where they are edited.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setNow } from "../lib/clock.svelte";
import { operation } from "../lib/operation.svelte";
import { applyQuery, buildModel, viewIds } from "../lib/table-model";
import { nameParts, visibleName } from "../lib/visible-name";
import ConsolePage from "../pages/ConsolePage.svelte";
import { makeDetails, makeFile, NOW } from "../test/fixtures";
import { until } from "../test/harness";
import { renderTable } from "../test/render";
import DeleteDialog from "./dialogs/DeleteDialog.svelte";
import RenameDialog from "./dialogs/RenameDialog.svelte";

const OVERRIDE = "\u202Egnp.exe"; // reads "exe.png" when drawn as is
const TWO_LINES = "Acme\nLtd";
const files = [
  makeFile({ id: 1, display_name: OVERRIDE }),
  makeFile({ id: 2, display_name: TWO_LINES, remote_name: "Acme\u2066Holdings\u2069" }),
  makeFile({ id: 3, display_name: "Plain Plumbing" }),
  makeFile({ id: 4, display_name: "مكتب المحاسبة" }),
  makeFile({ id: 5, display_name: "Family 👨‍👩‍👧 Trust" }),
];

afterEach(() => clearMocks());

describe("visible names", () => {
  it("replace direction controls and hidden characters with marks, line breaks with ↵", () => {
    expect(nameParts(OVERRIDE)).toEqual([
      { text: "⟨U+202E⟩", hidden: "Hidden character U+202E (right-to-left override)" },
      { text: "gnp.exe" },
    ]);
    expect(visibleName(TWO_LINES)).toBe("Acme↵Ltd");
    expect(visibleName("A\r\nB\u2028C")).toBe("A↵B↵C");
    expect(visibleName("Ac\u200Bme\u0007")).toBe("Ac⟨U+200B⟩me⟨U+0007⟩");
    expect(visibleName("Acme\u2066Holdings\u2069")).toBe("Acme⟨U+2066⟩Holdings⟨U+2069⟩");
  });

  it("leave ordinary names alone, right-to-left scripts and emoji sequences included", () => {
    for (const name of ["Plain Plumbing", "مكتب المحاسبة", "Family 👨‍👩‍👧 Trust", "Émile  Dental"]) {
      expect(nameParts(name)).toEqual([{ text: name }]);
    }
  });
});

describe("names in the table", () => {
  it("are isolated, with the override shown as a mark and no override left in the text", () => {
    const t = renderTable(files);
    const name = t.cell(1, 1).querySelector(".name")!;
    const bdi = name.querySelector("bdi.client-name")!;
    expect(bdi).toBeTruthy();
    expect(name.textContent).toBe("⟨U+202E⟩gnp.exe");
    expect(name.textContent).not.toContain("\u202E");
    const mark = bdi.querySelector(".name-mark")!;
    expect(mark.textContent).toBe("⟨U+202E⟩");
    expect(mark.getAttribute("title")).toBe("Hidden character U+202E (right-to-left override)");
    expect(name.getAttribute("title")).toBe("⟨U+202E⟩gnp.exe");
  });

  it("keep a name with a line break on one line, the break shown as a mark", () => {
    const t = renderTable(files);
    const name = t.cell(2, 1).querySelector<HTMLElement>(".name")!;
    expect(name.textContent).toBe("Acme↵Ltd");
    expect(name.textContent).not.toMatch(/[\n\r]/);
    expect(name.getAttribute("title")).toBe("Acme↵Ltd (called “Acme⟨U+2066⟩Holdings⟨U+2069⟩” in the accounting software)");
    expect(t.cell(3, 1).querySelector(".name")!.textContent).toBe("Plain Plumbing");
    expect(t.cell(3, 1).querySelector(".name-mark")).toBeNull();
  });

  it("are found by what the screen shows as well as by the stored name", () => {
    const model = buildModel(files);
    const find = (search: string) =>
      viewIds(model, applyQuery(model, { search, status: [], software: [], sort: { key: "name", dir: "asc" } }));
    expect(find("⟨U+202E⟩gnp")).toEqual([1]);
    expect(find("gnp.exe")).toEqual([1]);
    expect(find("\u202Egnp")).toEqual([1]);
    expect(find("acme↵ltd")).toEqual([2]);
    expect(find("acme⟨u+2066⟩holdings")).toEqual([2]);
    expect(find("المحاسبة")).toEqual([4]);
    expect(find("exe.png")).toEqual([]);
  });

  it("search typed into the box finds what is on screen", async () => {
    const t = renderTable(files);
    const box = t.container.querySelector<HTMLInputElement>('input[type="search"]')!;
    await fireEvent.input(box, { target: { value: "⟨U+202E⟩gnp.exe" } });
    await until(() => expect(t.renderedIds()).toEqual([1]));
  });
});

describe("names in dialogs and pages", () => {
  it("the rename dialog starts with the exact stored name; its title shows the marks", () => {
    const onclose = vi.fn();
    const file = makeFile({ id: 1, display_name: OVERRIDE, remote_name: TWO_LINES });
    const { getByTestId, container } = render(RenameDialog, { props: { file, onclose } });
    expect((getByTestId("rename-input") as HTMLInputElement).value).toBe(OVERRIDE);
    expect(container.ownerDocument.querySelector(".modal-client")!.textContent).toBe("⟨U+202E⟩gnp.exe");
    expect(getByTestId("remote-name").textContent).toBe("Acme↵Ltd");
    expect(getByTestId("rename-hidden").textContent!.trim()).toBe(
      "This name holds hidden characters; Switchboard shows it as ⟨U+202E⟩gnp.exe.",
    );
  });

  it("the rename toast names the client as the screen draws it", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "rename_client") return makeFile({ id: 1, display_name: String((args as { name: string }).name) });
      throw { kind: "invalid_input", message: `unexpected ${cmd}` };
    });
    const onclose = vi.fn();
    const { getByTestId } = render(RenameDialog, { props: { file: makeFile({ id: 1, display_name: "Maple" }), onclose } });
    await fireEvent.input(getByTestId("rename-input"), { target: { value: OVERRIDE } });
    await fireEvent.click(getByTestId("rename-save"));
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(operation.toast?.text).toBe("Renamed to ⟨U+202E⟩gnp.exe");
  });

  it("the delete dialog shows the name to type with its marks", () => {
    const file = makeFile({ id: 1, display_name: OVERRIDE });
    const { container } = render(DeleteDialog, { props: { file, onclose: vi.fn() } });
    const strong = container.ownerDocument.querySelector('label[for="delete-name"] strong')!;
    expect(strong.textContent).toBe("⟨U+202E⟩gnp.exe");
    expect(strong.querySelector("bdi")).toBeTruthy();
  });

  it("the Client Console's title and fields show the marks", async () => {
    setNow(NOW);
    mockIPC((cmd) => {
      if (cmd === "client_details") return makeDetails(makeFile({ id: 4, display_name: OVERRIDE, remote_name: TWO_LINES }), [], []);
      if (cmd === "console_settings") return null;
      if (cmd === "console_users") return [];
      throw { kind: "invalid_input", message: `unexpected ${cmd}` };
    });
    const page = render(ConsolePage, { props: { id: 4 } });
    const title = await until(() => {
      const h1 = page.container.querySelector("h1")!;
      expect(h1.textContent).toBe("⟨U+202E⟩gnp.exe");
      return h1;
    });
    expect(title.querySelector("bdi .name-mark")).toBeTruthy();
    expect(page.container.querySelector('[data-field="display_name"]')!.textContent).toBe("⟨U+202E⟩gnp.exe");
    expect(page.container.querySelector('[data-field="remote_name"]')!.textContent).toBe("Acme↵Ltd");
  });
});
