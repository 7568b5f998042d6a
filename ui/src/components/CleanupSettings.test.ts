// Settings → Clean up over a fake core (mockIPC): what there is, with sizes; Remove sends only
// that item's id and shows what is left; the core's refusal is shown as its sentence.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { Leftover } from "../bindings/Leftover";
import { text, until } from "../test/harness";
import CleanupSettings from "./CleanupSettings.svelte";

const SET_ASIDE: Leftover = {
  id: "cache.unusable-20261201T101500Z.sqlite3",
  what: { kind: "set_aside_cache", path: "/home/u/.local/share/switchboard/cache.unusable-20261201T101500Z.sqlite3" },
  bytes: 6_412_000,
};
const XPM: Leftover = { id: "xpm-clients", what: { kind: "xpm_clients", clients: 1_250, linked_files: 3 }, bytes: 182_000 };

function install(answers: { list: Leftover[]; remove?: (ids: string[]) => Leftover[] | { kind: string; message: string } }) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "leftovers") return answers.list;
    if (cmd === "remove_leftovers" && answers.remove) {
      const answer = answers.remove((args as { ids: string[] }).ids);
      if ("kind" in answer) throw answer;
      return answer;
    }
    throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
  });
  return calls;
}

function items(container: HTMLElement) {
  return Array.from(container.querySelectorAll('[data-testid="cleanup-item"]'));
}

describe("CleanupSettings", () => {
  afterEach(() => clearMocks());

  it("lists set-aside caches and XPM clients with their sizes, and removes only the one chosen", async () => {
    const calls = install({ list: [SET_ASIDE, XPM], remove: () => [XPM] });
    const { container, getByLabelText } = render(CleanupSettings);
    await until(() => expect(items(container)).toHaveLength(2));
    const [cache, xpm] = items(container);
    expect(text(cache)).toContain("A cache set aside as unusable");
    expect(text(cache)).toContain(SET_ASIDE.id);
    expect(text(cache.querySelector('[data-testid="cleanup-size"]')!)).toBe("6.41 MB");
    expect(text(xpm)).toContain("1,250 XPM clients cached before XPM was disconnected");
    expect(text(xpm)).toContain("3 client files' links to them will be removed too.");
    expect(text(xpm.querySelector('[data-testid="cleanup-size"]')!)).toBe("about 182 KB");

    await fireEvent.click(getByLabelText("Remove: A cache set aside as unusable"));
    await until(() => expect(items(container)).toHaveLength(1));
    expect(calls.filter((c) => c.cmd === "remove_leftovers").map((c) => c.args)).toEqual([{ ids: [SET_ASIDE.id] }]);
    expect(items(container)[0].getAttribute("data-id")).toBe("xpm-clients");
  });

  it("says when there is nothing to clean up", async () => {
    install({ list: [] });
    const { container } = render(CleanupSettings);
    await until(() => expect(container.querySelector('[data-testid="cleanup-empty"]')).not.toBeNull());
    expect(container.querySelector("button")).toBeNull();
  });

  it("shows the core's refusal and keeps the list", async () => {
    const refusal = { kind: "invalid_input", message: "xpm-clients is not something Settings offers to clean up, so nothing was removed." };
    install({ list: [XPM], remove: () => refusal });
    const { container, getByText } = render(CleanupSettings);
    await until(() => expect(items(container)).toHaveLength(1));
    await fireEvent.click(getByText("Remove"));
    const error = await until(() => {
      const el = container.querySelector('[data-testid="cleanup-error"]');
      if (!el) throw new Error("no error yet");
      return el;
    });
    expect(text(error)).toBe(refusal.message);
    expect(items(container)).toHaveLength(1);
  });
});
