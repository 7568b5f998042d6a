// Updates over a fake core (mockIPC): the check at start runs only when the build has an update
// server and policy allows; an update on offer shows its version and notes (as text) with one
// button, and only that button's click asks the shell to install; a refusal is shown as its sentence.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UpdateInfo } from "../bindings/UpdateInfo";
import type { UpdateStatus } from "../bindings/UpdateStatus";
import { checkAtStart, resetUpdatesForTests } from "../lib/updates.svelte";
import { text, until } from "../test/harness";
import UpdateBanner from "./UpdateBanner.svelte";
import UpdateSettings from "./UpdateSettings.svelte";

const OFFER: UpdateInfo = {
  version: "1.3.0",
  notes: "Faster sync.\n<b>not bold</b>",
  date: "2026-12-01T12:00:00Z",
};
const ENABLED: UpdateStatus = { state: "enabled", current_version: "1.2.0" };

type Answer = unknown | { kind: string; message: string };

function install(answers: { status: UpdateStatus; check?: () => Answer; install?: () => Answer }) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const answer =
      cmd === "update_status" ? answers.status
      : cmd === "check_for_update" && answers.check ? answers.check()
      : cmd === "install_update" && answers.install ? answers.install()
      : { kind: "invalid_input", message: `unexpected command ${cmd}` };
    if (answer && typeof answer === "object" && "kind" in answer) throw answer;
    return answer;
  });
  return calls;
}

const commands = (calls: { cmd: string }[]) => calls.map((c) => c.cmd);

/** The element with this test id, once it is there. */
function found(container: HTMLElement, id: string): () => Element {
  return () => {
    const el = container.querySelector(`[data-testid="${id}"]`);
    if (!el) throw new Error(`no ${id} yet`);
    return el;
  };
}

describe("updates", () => {
  beforeEach(() => resetUpdatesForTests());
  afterEach(() => clearMocks());

  it("checks at start when enabled, shows the offer with its notes as text, and installs only on the click", async () => {
    const calls = install({ status: ENABLED, check: () => OFFER, install: () => null });
    const { container, getByText } = render(UpdateBanner);
    await checkAtStart();
    const banner = await until(found(container, "update-banner"));
    expect(text(banner)).toContain("Version 1.3.0 is available");
    const notes = banner.querySelector('[data-testid="update-notes"]')!;
    expect(notes.textContent).toBe("Faster sync.\n<b>not bold</b>");
    expect(notes.querySelector("b")).toBeNull();
    expect(commands(calls)).toEqual(["update_status", "check_for_update"]);

    await fireEvent.click(getByText("Install and restart"));
    await until(() => expect(commands(calls)).toContain("install_update"));
    expect(calls.find((c) => c.cmd === "install_update")!.args).toEqual({ version: "1.3.0" });
  });

  it("never checks when the build has no update server or IT turned checks off", async () => {
    for (const status of [
      { state: "not_built_in", current_version: "1.2.0" },
      { state: "off_by_policy", current_version: "1.2.0", how: "SWITCHBOARD_UPDATES=off" },
    ] as UpdateStatus[]) {
      resetUpdatesForTests();
      const calls = install({ status, check: () => OFFER });
      await checkAtStart();
      expect(commands(calls)).toEqual(["update_status"]);
      const { container, unmount } = render(UpdateSettings);
      const state = await until(found(container, "update-state"));
      expect(text(state)).toContain(status.state === "off_by_policy" ? "turned off on this computer by your IT team (SWITCHBOARD_UPDATES=off)" : "does not check for updates");
      expect(container.querySelector('[data-testid="check-update"]')).toBeNull();
      unmount();
      clearMocks();
    }
  });

  it("says when Switchboard is up to date, and shows a failed check's sentence", async () => {
    let answer: Answer = null;
    install({ status: ENABLED, check: () => answer });
    const { container, getByText } = render(UpdateSettings);
    await until(() => expect(text(container.querySelector('[data-testid="update-state"]'))).toContain("This is Switchboard 1.2.0."));

    await fireEvent.click(getByText("Check for updates"));
    await until(() => expect(container.querySelector('[data-testid="up-to-date"]')).not.toBeNull());

    answer = { kind: "update", message: "The update server's answer is not a valid update manifest (EOF). Nothing was downloaded; try again later." };
    await fireEvent.click(getByText("Check for updates"));
    const error = await until(found(container, "update-error"));
    expect(text(error)).toContain("not a valid update manifest");
    expect(container.querySelector('[data-testid="up-to-date"]')).toBeNull();
  });

  it("shows a refused install (bad signature) and keeps the offer", async () => {
    const refusal = { kind: "update", message: "The downloaded update is not signed by Switchboard's publisher, so it was refused and nothing was installed." };
    install({ status: ENABLED, check: () => OFFER, install: () => refusal });
    await checkAtStart();
    const { container, getByText } = render(UpdateSettings);
    await until(() => expect(container.querySelector('[data-testid="update-notice"]')).not.toBeNull());
    await fireEvent.click(getByText("Install and restart"));
    const error = await until(found(container, "update-error"));
    expect(text(error)).toContain("refused and nothing was installed");
    expect(text(container)).toContain("Version 1.3.0 is available");
  });
});
