// The one-click links and the Settings menu's dialogs over a fake core (mockIPC): what each sends
// to the core, what a refusal shows, and that nothing closes on an error.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientFile } from "../../bindings/ClientFile";
import type { ConsoleUser } from "../../bindings/ConsoleUser";
import { closeDialog, openDialog } from "../../lib/dialogs.svelte";
import { dismissToast, operation } from "../../lib/operation.svelte";
import { makeFile } from "../../test/fixtures";
import { until } from "../../test/harness";
import { renderTable } from "../../test/render";
import ActionDialogs from "./ActionDialogs.svelte";
import ConsoleSettingsDialog from "./ConsoleSettingsDialog.svelte";
import ConsoleUsersDialog from "./ConsoleUsersDialog.svelte";
import DeleteDialog from "./DeleteDialog.svelte";
import PayrollDialog from "./PayrollDialog.svelte";
import RenameDialog from "./RenameDialog.svelte";
import UserAccessDialog from "./UserAccessDialog.svelte";

type Handler = (args: Record<string, unknown>) => unknown;
let calls: { cmd: string; args: Record<string, unknown> }[] = [];

/** A fake core answering only the given commands (a thrown object is an ErrorPayload). */
function core(handlers: Record<string, Handler>) {
  calls = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    const handler = handlers[cmd];
    if (!handler) throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
    return handler(a);
  });
}
const sent = (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
const refused = (message: string, kind = "invalid_input") => () => {
  throw { kind, message };
};

beforeEach(() => {
  dismissToast();
  closeDialog();
});
afterEach(() => clearMocks());

const maple = (overrides: Partial<ClientFile> = {}) =>
  makeFile({ id: 7, display_name: "Maple Florist", remote_name: "Maple Florist Limited", ...overrides });

describe("one-click dashboards", () => {
  it("the Xero logo and the Account Dashboard arrow ask the core for the file's dashboard; the XPM arrow for its XPM page", async () => {
    core({
      open_xero_dashboard: () => ({ url: "https://go.xero.com/…" }),
      open_xpm_dashboard: () => ({ url: "https://practicemanager.xero.com/…" }),
    });
    const t = renderTable([maple()]);
    await fireEvent.click(t.cell(7, 2).querySelector("button")!);
    await fireEvent.click(t.cell(7, 5).querySelector("button")!);
    await fireEvent.click(t.cell(7, 6).querySelector("button")!);
    await until(() => expect(calls.map((c) => c.cmd)).toEqual(["open_xero_dashboard", "open_xero_dashboard", "open_xpm_dashboard"]));
    // Only the file's id crosses: the UI never names a URL.
    expect(calls.map((c) => c.args)).toEqual([{ id: 7 }, { id: 7 }, { id: 7 }]);
  });

  it("a refused link is explained in a toast", async () => {
    core({ open_xpm_dashboard: refused("Switchboard did not open that link: only links to go.xero.com are opened.") });
    const t = renderTable([maple()]);
    await fireEvent.click(t.cell(7, 6).querySelector("button")!);
    await until(() => expect(operation.toast?.text).toContain("did not open that link"));
    expect(operation.toast?.level).toBe("error");
  });
});

describe("Settings menu", () => {
  it("each item opens its dialog for that row", async () => {
    core({ console_settings: () => ({ enabled: false, key_reports: false, action_items: false, cadence: "never" }) });
    const t = renderTable([maple()]);
    render(ActionDialogs);
    await fireEvent.click(t.cell(7, 9).querySelector("button")!);
    await fireEvent.click(document.querySelector('[data-action="rename_client"]')!);
    const dialog = await until(() => document.querySelector('[data-testid="rename-dialog"]')!);
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.querySelector(".modal-client")!.textContent).toBe("Maple Florist");
    await fireEvent.keyDown(dialog, { key: "Escape" });
    expect(document.querySelector('[data-testid="rename-dialog"]')).toBeNull();
  });

  it("offers Reconnect payroll for a file whose payroll staff disconnected", async () => {
    const t = renderTable([maple({ payroll: { state: "disconnected_by_staff" } })]);
    await fireEvent.click(t.cell(7, 9).querySelector("button")!);
    const item = document.querySelector('[data-action="disconnect_payroll"]')!;
    expect(item.textContent!.trim()).toBe("Reconnect payroll");
    expect(item.getAttribute("aria-disabled")).toBeNull();
  });

  it("Disconnect payroll is disabled for a file Xero does not sync", async () => {
    const t = renderTable([maple({ software: { kind: "myob" }, xero: null })]);
    await fireEvent.click(t.cell(7, 9).querySelector("button")!);
    const item = document.querySelector('[data-action="disconnect_payroll"]')!;
    expect(item.getAttribute("aria-disabled")).toBe("true");
    expect(item.getAttribute("title")).toContain("not connected through Xero");
  });
});

describe("Rename client", () => {
  it("shows the name from Xero beside it, keeps the dialog open with the core's message on bad input, and renames", async () => {
    let answer: Handler = refused("A client name cannot be empty.");
    core({ rename_client: (a) => answer(a) });
    const onclose = vi.fn();
    const { getByTestId } = render(RenameDialog, { props: { file: maple(), onclose } });
    expect(getByTestId("remote-name").textContent).toBe("Maple Florist Limited");
    const input = getByTestId("rename-input") as HTMLInputElement;
    expect(input.value).toBe("Maple Florist");
    await fireEvent.input(input, { target: { value: "   " } });
    await fireEvent.click(getByTestId("rename-save"));
    await until(() => expect(getByTestId("dialog-error").textContent).toBe("A client name cannot be empty."));
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(onclose).not.toHaveBeenCalled();

    answer = (a) => maple({ display_name: String(a.name).trim() });
    await fireEvent.input(input, { target: { value: " Maple (Auckland) " } });
    await fireEvent.click(getByTestId("rename-save"));
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(sent("rename_client").at(-1)).toEqual({ id: 7, name: " Maple (Auckland) " });
    expect(operation.toast?.text).toBe("Renamed to Maple (Auckland)");
  });
});

describe("Disconnect payroll", () => {
  it("disconnects a connected payroll, and offers to reconnect one disconnected by staff", async () => {
    core({ set_payroll_disconnected: (a) => maple({ payroll: a.disconnect ? { state: "disconnected_by_staff" } : { state: "not_checked" } }) });
    const onclose = vi.fn();
    const first = render(PayrollDialog, { props: { file: maple(), onclose } });
    expect(first.getByTestId("payroll-now").textContent).toBe("Connected");
    await fireEvent.click(first.getByTestId("payroll-apply"));
    await until(() => expect(onclose).toHaveBeenCalledTimes(1));
    first.unmount();

    const second = render(PayrollDialog, { props: { file: maple({ payroll: { state: "disconnected_by_staff" } }), onclose } });
    expect(second.getByTestId("payroll-apply").textContent).toBe("Reconnect payroll");
    await fireEvent.click(second.getByTestId("payroll-apply"));
    await until(() => expect(onclose).toHaveBeenCalledTimes(2));
    expect(sent("set_payroll_disconnected")).toEqual([{ id: 7, disconnect: true }, { id: 7, disconnect: false }]);
  });
});

describe("Delete client", () => {
  it("stays disabled until the name is typed; a failure at Xero is shown and nothing closes; then it deletes", async () => {
    let answer: Handler = refused("Xero did not let Switchboard disconnect the organisation: Xero answered 503. Try again later. Nothing was deleted.", "xero_refused");
    core({ delete_client: (a) => answer(a) });
    const onclose = vi.fn();
    const { getByTestId } = render(DeleteDialog, { props: { file: maple(), onclose } });
    const confirm = getByTestId("delete-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(getByTestId("delete-input"), { target: { value: "Maple" } });
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(getByTestId("delete-input"), { target: { value: "Maple Florist" } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await until(() => expect(getByTestId("dialog-error").textContent).toContain("Nothing was deleted."));
    expect(onclose).not.toHaveBeenCalled();

    answer = () => ({ file_id: 7, name: "Maple Florist", disconnected_from_xero: true, forgot_sign_in: false });
    await fireEvent.click(confirm);
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(sent("delete_client")).toEqual([
      { id: 7, typedName: "Maple Florist" },
      { id: 7, typedName: "Maple Florist" },
    ]);
    expect(operation.toast?.text).toBe("Deleted Maple Florist and disconnected it from Xero");
  });
});

describe("Client Console settings", () => {
  it("loads the settings, shows the core's validation message, and saves what was chosen", async () => {
    let save: Handler = refused("A console that is on sends the client a pack: choose key reports, what to act on, or both.");
    core({
      console_settings: () => ({ enabled: false, key_reports: false, action_items: false, cadence: "never" }),
      save_console_settings: (a) => save(a),
    });
    const onclose = vi.fn();
    const { getByTestId } = render(ConsoleSettingsDialog, { props: { file: maple(), onclose } });
    const enabled = await until(() => getByTestId("console-enabled"));
    await fireEvent.click(enabled);
    await fireEvent.click(getByTestId("console-save"));
    await until(() => expect(getByTestId("dialog-error").textContent).toContain("sends the client a pack"));
    expect(onclose).not.toHaveBeenCalled();

    save = (a) => a.settings;
    await fireEvent.click(getByTestId("console-key-reports"));
    await fireEvent.change(getByTestId("console-cadence"), { target: { value: "monthly" } });
    await fireEvent.click(getByTestId("console-save"));
    await until(() => expect(onclose).toHaveBeenCalled());
    expect(sent("save_console_settings").at(-1)).toEqual({
      id: 7,
      settings: { enabled: true, key_reports: true, action_items: false, cadence: "monthly" },
    });
  });
});

describe("Client pack preview and Send now", () => {
  const ann = { id: 1, file_id: 7, name: "Ann <b>", email: "ann@maple.example", role: "owner", updated_at: 0 };
  const saved = { enabled: true, key_reports: true, action_items: false, cadence: "monthly" };
  const previewOf = (a: Record<string, unknown>) => {
    const s = a.settings as typeof saved;
    return {
      to: ann,
      subject: `Maple Florist: your pack from Kauri & Co, 8 December 2026`,
      html: `<p>${s.action_items ? "For you to act on" : "Key figures only"}</p>`,
      text: s.action_items ? "FOR YOU TO ACT ON" : "KEY FIGURES",
      cannot_send: null,
    };
  };

  it("previews the settings as edited, in a sandboxed frame holding the email's own HTML", async () => {
    core({ console_settings: () => saved, console_users: () => [ann], pack_deliveries: () => [], preview_pack: previewOf });
    const { getByTestId } = render(ConsoleSettingsDialog, { props: { file: maple(), onclose: vi.fn() } });
    const frame = await until(() => getByTestId("pack-preview-html") as HTMLIFrameElement);
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toBe("<p>Key figures only</p>");
    expect(getByTestId("pack-preview-subject").textContent).toContain("Maple Florist: your pack from Kauri & Co");

    await fireEvent.click(getByTestId("console-action-items"));
    await until(() => expect(frame.getAttribute("srcdoc")).toBe("<p>For you to act on</p>"));
    expect(sent("preview_pack").at(-1)).toEqual({ id: 7, settings: { ...saved, action_items: true }, userId: null });
    expect(getByTestId("pack-send-now").hasAttribute("disabled")).toBe(true);
    expect(getByTestId("pack-send-now").getAttribute("title")).toContain("Save the settings first");
  });

  it("Send now says what was sent and why a send failed", async () => {
    core({
      console_settings: () => saved,
      console_users: () => [ann],
      pack_deliveries: () => [],
      preview_pack: previewOf,
      send_pack_now: () => [
        { user_id: 1, name: "Ann <b>", email: "ann@maple.example", at: 1, sent: false, failure: "The mail server refused ann@maple.example: 550 mailbox unavailable.", trigger: "send_now" },
      ],
    });
    const { getByTestId, getAllByTestId } = render(ConsoleSettingsDialog, { props: { file: maple(), onclose: vi.fn() } });
    const button = await until(() => {
      const b = getByTestId("pack-send-now");
      expect(b.hasAttribute("disabled")).toBe(false);
      return b;
    });
    await fireEvent.click(button);
    await until(() => expect(getByTestId("pack-send-result").textContent).toBe("1 of 1 could not be sent; see below."));
    const line = getAllByTestId("pack-delivery")[0];
    expect(line.textContent).toContain("Ann <b> <ann@maple.example>: not sent");
    expect(line.textContent).toContain("550 mailbox unavailable");
    expect(line.querySelector("b")).toBeNull();
  });
});

describe("Client Console users", () => {
  it("adds, refuses a duplicate with the core's message, edits and removes", async () => {
    let users: ConsoleUser[] = [];
    let nextId = 1;
    core({
      console_users: () => users,
      add_console_user: (a) => {
        const u = a.user as { name: string; email: string; role: ConsoleUser["role"] };
        if (users.some((x) => x.email.toLowerCase() === u.email.toLowerCase()))
          throw { kind: "invalid_input", message: `${u.email} is already a console user of Maple Florist (Ann); each email can be added once.` };
        users = [...users, { id: nextId++, file_id: 7, ...u, updated_at: 0 }];
        return users;
      },
      update_console_user: (a) => {
        users = users.map((x) => (x.id === a.userId ? { ...x, ...(a.user as object) } : x));
        return users;
      },
      remove_console_user: (a) => {
        users = users.filter((x) => x.id !== a.userId);
        return users;
      },
    });
    const { getByTestId, getAllByTestId, queryAllByTestId, getByLabelText } = render(ConsoleUsersDialog, { props: { file: maple(), onclose: () => {} } });
    await until(() => getByTestId("no-console-users"));
    const add = async (name: string, email: string) => {
      await fireEvent.input(getByTestId("console-user-name"), { target: { value: name } });
      await fireEvent.input(getByTestId("console-user-email"), { target: { value: email } });
      await fireEvent.click(getByTestId("console-user-save"));
    };
    await add("<b>Ann</b>", "ann@maple.example");
    await until(() => expect(getAllByTestId("console-user")).toHaveLength(1));
    // A name is text, never markup.
    expect(getAllByTestId("console-user")[0].querySelector("b")).toBeNull();
    expect(getAllByTestId("console-user")[0].textContent).toContain("<b>Ann</b>");

    await add("Annie", "ANN@maple.example");
    await until(() => expect(getByTestId("dialog-error").textContent).toContain("already a console user"));
    expect(getAllByTestId("console-user")).toHaveLength(1);

    await fireEvent.click(getByLabelText("Edit <b>Ann</b>"));
    await fireEvent.change(getByTestId("console-user-role"), { target: { value: "owner" } });
    await fireEvent.click(getByTestId("console-user-save"));
    await until(() => expect(sent("update_console_user")).toHaveLength(1));
    expect(sent("update_console_user")[0]).toEqual({ id: 7, userId: 1, user: { name: "<b>Ann</b>", email: "ann@maple.example", role: "owner" } });

    await fireEvent.click(getByTestId("console-user-remove"));
    await until(() => expect(queryAllByTestId("console-user")).toHaveLength(0));
  });
});

describe("User access", () => {
  it("asks Xero when nothing is cached, lists users as text, and opens user management through the core", async () => {
    const fetched = {
      file_id: 7,
      fetched_at: 1,
      manage_url: "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21sc7&redirecturl=/Settings/Users/",
      users: [
        { user_id: "u1", first_name: "Olive", last_name: "Owner", email: "olive@maple.example", role: "ADMIN", is_subscriber: true },
        { user_id: "u2", first_name: "<img src=x>", last_name: "", email: "ann@practice.example", role: "FINANCIALADVISER", is_subscriber: false },
      ],
    };
    core({
      user_access: () => ({ file_id: 7, fetched_at: null, manage_url: null, users: [] }),
      refresh_user_access: () => fetched,
      open_xero_users_page: () => ({ url: fetched.manage_url }),
    });
    const { getByTestId, getAllByTestId } = render(UserAccessDialog, { props: { file: maple(), onclose: () => {} } });
    const rows = await until(() => {
      const r = getAllByTestId("xero-user");
      expect(r).toHaveLength(2);
      return r;
    });
    expect(rows[0].textContent).toContain("Subscriber");
    expect(rows[1].querySelector("img")).toBeNull();
    expect(rows[1].textContent).toContain("<img src=x>");
    await fireEvent.click(getByTestId("manage-in-xero"));
    await until(() => expect(sent("open_xero_users_page")).toEqual([{ id: 7 }]));
  });

  it("offline, the cached list stays and the refusal is shown", async () => {
    core({
      user_access: () => ({
        file_id: 7,
        fetched_at: 1,
        manage_url: null,
        users: [{ user_id: "u1", first_name: "Olive", last_name: "Owner", email: "olive@maple.example", role: "ADMIN", is_subscriber: true }],
      }),
      refresh_user_access: refused("Xero could not be reached (the connection failed).", "xero_unreachable"),
    });
    const { getByTestId, getAllByTestId } = render(UserAccessDialog, { props: { file: maple(), onclose: () => {} } });
    await until(() => expect(getAllByTestId("xero-user")).toHaveLength(1));
    await fireEvent.click(getByTestId("access-refresh"));
    await until(() => expect(getByTestId("dialog-error").textContent).toContain("could not be reached"));
    expect(getAllByTestId("xero-user")).toHaveLength(1);
  });
});

it("openDialog with another file replaces the open dialog", async () => {
  core({});
  render(ActionDialogs);
  openDialog("rename_client", maple());
  await until(() => document.querySelector('[data-testid="rename-dialog"]')!);
  openDialog("delete_client", maple());
  await until(() => document.querySelector('[data-testid="delete-dialog"]')!);
  expect(document.querySelector('[data-testid="rename-dialog"]')).toBeNull();
});
