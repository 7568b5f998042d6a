// Settings → Client packs by email over a fake core (mockIPC): the saved settings fill the form
// and the password field never (only whether one is saved shows); Save sends what was typed, with
// the password only when one was typed; a refusal and a failed test message show as their
// sentences; the test message goes to the address typed.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { MailSettings as Settings } from "../bindings/MailSettings";
import type { MailStatus } from "../bindings/MailStatus";
import { text, until } from "../test/harness";
import MailSettings from "./MailSettings.svelte";

const SAVED: Settings = {
  host: "smtp.practice.example",
  port: 465,
  security: "tls",
  username: "office",
  from_address: "packs@practice.example",
  from_name: "Smith & Zoë <Partners>",
};

type Answer = unknown | { kind: string; message: string };

function install(answers: { status: MailStatus; save?: (args: unknown) => Answer; test?: () => Answer }) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const answer =
      cmd === "mail_settings" ? answers.status
      : cmd === "save_mail_settings" && answers.save ? answers.save(args)
      : cmd === "send_test_mail" && answers.test ? answers.test()
      : { kind: "invalid_input", message: `unexpected command ${cmd}` };
    if (answer && typeof answer === "object" && "kind" in answer) throw answer;
    return answer;
  });
  return calls;
}

/** The element matching `selector`; throws until it is there (for `until`). */
function present(container: HTMLElement, selector: string): Element {
  const el = container.querySelector(selector);
  if (!el) throw new Error(`no ${selector} yet`);
  return el;
}

function field(container: HTMLElement, id: string): HTMLInputElement {
  const el = container.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id} yet`);
  return el;
}

describe("mail server settings", () => {
  afterEach(() => clearMocks());

  it("fills the form from the saved settings, never the password, and says a password is saved", async () => {
    install({ status: { settings: SAVED, password_saved: true } });
    const { container } = render(MailSettings);
    const host = await until(() => field(container, "mail-host"));
    expect(host.value).toBe("smtp.practice.example");
    expect(field(container, "mail-port").value).toBe("465");
    expect((container.querySelector('[data-testid="mail-security"]') as HTMLSelectElement).value).toBe("tls");
    expect(field(container, "mail-username").value).toBe("office");
    expect(field(container, "mail-from-name").value).toBe("Smith & Zoë <Partners>");
    expect(field(container, "mail-from-address").value).toBe("packs@practice.example");
    const password = field(container, "mail-password");
    expect(password.type).toBe("password");
    expect(password.value).toBe("");
    expect(text(container.querySelector('[data-testid="mail-password-state"]'))).toContain("A password is saved");
    expect(text(container)).toContain("None (only for a mail server on this computer)");
  });

  it("saves what was typed, sends the password only when typed, and clears it after", async () => {
    let saved: unknown = null;
    const calls = install({
      status: { settings: null, password_saved: false },
      save: (args) => {
        saved = args;
        const { settings } = args as { settings: Settings };
        return { settings, password_saved: true };
      },
    });
    const { container } = render(MailSettings);
    await until(() => field(container, "mail-host"));
    expect(field(container, "mail-port").value).toBe("587");
    expect(field(container, "mail-test-to").disabled).toBe(true);

    await fireEvent.input(field(container, "mail-host"), { target: { value: " smtp.practice.example " } });
    const security = container.querySelector('[data-testid="mail-security"]') as HTMLSelectElement;
    await fireEvent.change(security, { target: { value: "tls" } });
    expect(field(container, "mail-port").value).toBe("465");
    await fireEvent.input(field(container, "mail-username"), { target: { value: "office" } });
    await fireEvent.input(field(container, "mail-password"), { target: { value: "pw-typed" } });
    await fireEvent.input(field(container, "mail-from-name"), { target: { value: "Smith & Zoë <Partners>" } });
    await fireEvent.input(field(container, "mail-from-address"), { target: { value: "packs@practice.example" } });
    await fireEvent.click(field(container, "mail-save"));

    await until(() => expect(text(container.querySelector('[data-testid="mail-saved"]'))).toBe("Saved."));
    expect(saved).toEqual({ settings: SAVED, password: "pw-typed" });
    expect(field(container, "mail-password").value).toBe("");
    expect(text(container.querySelector('[data-testid="mail-password-state"]'))).toContain("A password is saved");

    // Saving again without typing a password keeps the saved one (null).
    await fireEvent.click(field(container, "mail-save"));
    await until(() => expect(calls.filter((c) => c.cmd === "save_mail_settings")).toHaveLength(2));
    expect((calls.at(-1)!.args as { password: string | null }).password).toBeNull();
  });

  it("shows a refusal as its sentence, keeps what was typed, and checks the port itself", async () => {
    const refusal = {
      kind: "invalid_input",
      message: "Without encryption, the password and every client pack would cross the network readable by anyone on the way, so it is allowed only for a mail server on this computer (localhost, 127.0.0.1 or ::1). For mail.example.com, choose STARTTLS or TLS.",
    };
    const calls = install({ status: { settings: SAVED, password_saved: true }, save: () => refusal });
    const { container } = render(MailSettings);
    await until(() => field(container, "mail-host"));

    await fireEvent.input(field(container, "mail-port"), { target: { value: "five" } });
    await fireEvent.click(field(container, "mail-save"));
    const portError = await until(() => present(container, '[role="alert"]'));
    expect(text(portError)).toContain("The port is a number");
    expect(calls.filter((c) => c.cmd === "save_mail_settings")).toHaveLength(0);

    await fireEvent.input(field(container, "mail-port"), { target: { value: "25" } });
    await fireEvent.input(field(container, "mail-host"), { target: { value: "mail.example.com" } });
    await fireEvent.click(field(container, "mail-save"));
    await until(() => expect(text(container.querySelector('[role="alert"]'))).toContain("allowed only for a mail server on this computer"));
    expect(field(container, "mail-host").value).toBe("mail.example.com");
    expect(text(container.querySelector('[data-testid="mail-saved"]'))).toBe("");
  });

  it("sends a test message to the address typed and shows a failure as its sentence", async () => {
    let answer: Answer = null;
    const calls = install({ status: { settings: SAVED, password_saved: true }, test: () => answer });
    const { container } = render(MailSettings);
    const to = await until(() => field(container, "mail-test-to"));
    expect(field(container, "mail-send-test").disabled).toBe(true);
    await fireEvent.input(to, { target: { value: " staff@practice.example " } });
    await fireEvent.click(field(container, "mail-send-test"));
    await until(() => expect(text(container.querySelector('[data-testid="mail-test-sent"]'))).toBe("Sent to staff@practice.example."));
    expect(calls.find((c) => c.cmd === "send_test_mail")!.args).toEqual({ to: "staff@practice.example" });

    answer = {
      kind: "mail",
      message: "The certificate of the mail server smtp.practice.example is not trusted by this computer: it was issued for another name. Nothing was sent.",
    };
    await fireEvent.click(field(container, "mail-send-test"));
    const error = await until(() => present(container, '[data-testid="mail-test-error"]'));
    expect(error.getAttribute("role")).toBe("alert");
    expect(text(error)).toContain("issued for another name");
    expect(text(container.querySelector('[data-testid="mail-test-sent"]'))).toBe("");
  });

  it("shows why the settings could not be read", async () => {
    mockIPC(() => {
      throw { kind: "credential_store", message: "The system's credential store could not be used (locked)." };
    });
    const { container } = render(MailSettings);
    const error = await until(() => present(container, '[data-testid="mail-load-error"]'));
    expect(error.getAttribute("role")).toBe("alert");
    expect(text(error)).toContain("credential store could not be used");
  });
});
