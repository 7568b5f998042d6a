// Every modal keeps keyboard focus: it takes focus when it opens, Tab and Shift+Tab cycle inside it,
// Escape closes it from wherever focus is inside, focus that strays outside comes back, and on
// close focus goes back to the control that opened it.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClientFile } from "../../bindings/ClientFile";
import { closeDialog, dialogs, openDialog, openMergeOffer, type DialogKind } from "../../lib/dialogs.svelte";
import { tabbables } from "../../lib/focus-trap";
import { picker, resetXpmForTests } from "../../lib/xpm.svelte";
import { makeFile } from "../../test/fixtures";
import ClientImportActions from "../ClientImportActions.svelte";
import XpmLinkDialog from "../XpmLinkDialog.svelte";
import ActionDialogs from "./ActionDialogs.svelte";
import AddClientDialog from "./AddClientDialog.svelte";
import ImportDialog from "./ImportDialog.svelte";

const file = (overrides: Partial<ClientFile> = {}): ClientFile =>
  makeFile({ id: 7, display_name: "Maple Florist", remote_name: "Maple Florist Limited", ...overrides });

let opener: HTMLButtonElement;
let outside: HTMLButtonElement;

beforeEach(() => {
  // The core answers every call with a refusal: the dialogs then show an error, and their focus
  // handling is what is tested here.
  mockIPC(() => {
    throw { kind: "offline", message: "The core is not here in this test." };
  });
  closeDialog();
  resetXpmForTests();
  opener = document.createElement("button");
  opener.textContent = "Open";
  outside = document.createElement("button");
  outside.textContent = "Elsewhere";
  document.body.append(opener, outside);
  opener.focus();
});

afterEach(() => {
  opener.remove();
  outside.remove();
  clearMocks();
});

const dialog = () => document.querySelector<HTMLElement>('[role="dialog"][aria-modal="true"]');
const focused = () => document.activeElement as HTMLElement;

async function press(key: string, shiftKey = false) {
  await fireEvent.keyDown(focused(), { key, shiftKey });
  await tick();
}

/** Opens a modal with `open` and checks the trap, Escape and the return of focus to the opener. */
async function checkModal(open: () => void | Promise<void>, isClosed: () => boolean) {
  await open();
  await tick();
  await tick();
  const box = dialog();
  expect(box, "a modal dialog is open").not.toBeNull();
  expect(box!.contains(focused()), "focus moved into the dialog").toBe(true);

  // Tab goes round every control once and comes back, never leaving the dialog.
  const list = tabbables(box!);
  expect(list.length).toBeGreaterThan(0);
  list[0].focus();
  for (let i = 1; i <= list.length; i++) {
    await press("Tab");
    expect(box!.contains(focused()), `Tab ${i} stays inside`).toBe(true);
    expect(focused()).toBe(list[i % list.length]);
  }
  // Shift+Tab from the first control goes to the last, and back through them all.
  list[0].focus();
  await press("Tab", true);
  expect(focused()).toBe(list[list.length - 1]);
  for (let i = list.length - 2; i >= 0; i--) {
    await press("Tab", true);
    expect(focused()).toBe(list[i]);
  }

  // Focus moved outside by other means (a script, a click behind the backdrop) comes back.
  outside.focus();
  expect(box!.contains(focused()), "focus brought back inside").toBe(true);

  // Escape from the last control (deepest in the dialog), not only from the dialog itself.
  list[list.length - 1].focus();
  await press("Escape");
  await tick();
  expect(isClosed(), "Escape closed it").toBe(true);
  expect(dialog()).toBeNull();
  expect(focused(), "focus back on the control that opened it").toBe(opener);
}

describe("the Settings menu's dialogs keep focus", () => {
  const kinds: DialogKind[] = ["rename_client", "disconnect_payroll", "delete_client", "console_settings", "console_users", "user_access"];
  for (const kind of kinds) {
    it(`${kind}: Tab cycles inside, Escape closes, focus returns to the opener`, async () => {
      render(ActionDialogs);
      const f = kind === "disconnect_payroll" ? file({ payroll: { state: "disconnected_by_staff" } as ClientFile["payroll"] }) : file();
      await checkModal(
        () => openDialog(kind, f),
        () => dialogs.open === null,
      );
    });
  }

  it("merge: Tab cycles inside, Escape closes, focus returns to the opener", async () => {
    render(ActionDialogs);
    await checkModal(
      () =>
        openMergeOffer(file(), {
          outcome: "already_another_file",
          file: 7,
          file_name: "Maple Florist",
          other: 8,
          other_name: "Maple Florist Ltd",
          organisation_name: "Maple Florist Limited",
        }),
      () => dialogs.open === null,
    );
  });
});

describe("Add client and Import keep focus", () => {
  it("Add client", async () => {
    let closed = false;
    const { unmount } = render(AddClientDialog, { props: { onclose: () => { closed = true; unmount(); } } });
    // The dialog is rendered by the call above; re-check what checkModal expects from there.
    await checkModal(() => {}, () => closed);
  });

  for (const source of ["xpm", "csv"] as const) {
    it(`Import from ${source}`, async () => {
      let closed = false;
      const { unmount } = render(ImportDialog, { props: { source, onclose: () => { closed = true; unmount(); } } });
      await checkModal(() => {}, () => closed);
    });
  }
});

describe("the XPM link pop-up keeps focus", () => {
  it("Tab cycles inside, Escape closes, focus returns to the opener", async () => {
    render(XpmLinkDialog);
    await checkModal(
      () => {
        picker.file = file();
      },
      () => picker.file === null,
    );
  });
});

describe("the Import menu", () => {
  it("Escape on an item closes the menu and focus goes back to Import…", async () => {
    const { getByTestId, queryByTestId } = render(ClientImportActions);
    const trigger = getByTestId("import-menu");
    trigger.focus();
    await fireEvent.click(trigger);
    const item = getByTestId("import-csv");
    item.focus();
    await press("Escape");
    expect(queryByTestId("import-csv")).toBeNull();
    expect(focused()).toBe(trigger);
  });

  it("an Import dialog opened from the menu gives focus back to Import… on Escape", async () => {
    const { getByTestId } = render(ClientImportActions);
    const trigger = getByTestId("import-menu");
    trigger.focus();
    await fireEvent.click(trigger);
    await fireEvent.click(getByTestId("import-csv"));
    await tick();
    expect(dialog()!.contains(focused())).toBe(true);
    await press("Escape");
    await tick();
    expect(dialog()).toBeNull();
    expect(focused()).toBe(trigger);
  });
});
