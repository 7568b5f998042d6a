// The practice's history in Settings, over a fake core (mockIPC): each change with its label, who
// made it (or a dash for entries from before the log named people), its details; and the core's
// error as its sentence.
import { render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../bindings/AuditEntry";
import { operation, resetOperationForTests } from "../lib/operation.svelte";
import { text, until } from "../test/harness";
import PracticeHistory from "./PracticeHistory.svelte";

const entry = (action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  at: 1_764_000_000_000,
  file_id: null,
  file_name: "",
  action,
  old_value: null,
  new_value: null,
  actor: "Zoë Ñandú-O'Brien",
  ...extra,
});

function install(answer: AuditEntry[] | { kind: string; message: string }) {
  mockIPC((cmd) => {
    if (cmd !== "practice_history") throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
    if (!Array.isArray(answer)) throw answer;
    return answer;
  });
}

/** A fake core whose history gains an entry with each export, as the real one does. */
function installWithExport(exportAnswer: { path: string; rows: number } | { kind: string; message: string }) {
  const history: AuditEntry[] = [entry("xpm_connect")];
  const calls: string[] = [];
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "practice_history") return [...history];
    if (cmd === "export_history") {
      if (!("path" in exportAnswer)) throw exportAnswer;
      history.unshift(entry("export_history", { new_value: `${exportAnswer.rows} change(s) to ${exportAnswer.path}` }));
      return exportAnswer;
    }
    throw { kind: "invalid_input", message: `unexpected command ${cmd}` };
  });
  return calls;
}

async function rows(container: HTMLElement) {
  return until(() => {
    const found = Array.from(container.querySelectorAll('[data-testid="practice-history-row"]'));
    if (found.length === 0) throw new Error("not loaded");
    return found.map((row) => Array.from(row.querySelectorAll("td")).map((td) => text(td)));
  });
}

describe("PracticeHistory", () => {
  afterEach(() => {
    clearMocks();
    resetOperationForTests();
  });

  it("lists each change with its label, who made it and what changed", async () => {
    install([
      entry("export_csv", { new_value: "3 client file(s) to /home/z/Downloads/Switchboard clients.csv" }),
      entry("xero_app_settings", { old_value: "client id none", new_value: "client id ABC", actor: null }),
      entry("something_newer"),
    ]);
    const { container } = render(PracticeHistory);
    const cells = await rows(container);
    expect(cells.map((c) => c.slice(1))).toEqual([
      ["Exported the client list", "Zoë Ñandú-O'Brien", "3 client file(s) to /home/z/Downloads/Switchboard clients.csv"],
      ["Changed the Xero app settings", "—", "client id none → client id ABC"],
      ["something newer", "Zoë Ñandú-O'Brien", "—"],
    ]);
  });

  it("says so when nothing is recorded, and shows the core's error", async () => {
    install([]);
    const empty = render(PracticeHistory);
    await until(() => expect(empty.container.querySelector('[data-testid="no-practice-history"]')).not.toBeNull());
    empty.unmount();
    install({ kind: "cache_unavailable", message: "The cache could not be read." });
    const failed = render(PracticeHistory);
    await until(() => expect(text(failed.container.querySelector('[role="status"]'))).toBe("The cache could not be read."));
  });

  it("exports every change, says where, and shows the export in the history", async () => {
    const calls = installWithExport({ path: "/home/z/Downloads/Switchboard history.csv", rows: 12 });
    const { container } = render(PracticeHistory);
    await rows(container);
    (container.querySelector('[data-testid="export-history"]') as HTMLButtonElement).click();
    await until(() => expect(operation.toast?.text).toBe("Exported 12 changes to /home/z/Downloads/Switchboard history.csv"));
    const cells = await until(async () => {
      const found = await rows(container);
      if (found.length < 2) throw new Error("not reloaded");
      return found;
    });
    expect(cells[0][1]).toBe("Exported the history of changes");
    expect(calls.filter((c) => c === "export_history")).toHaveLength(1);
  });

  it("shows the core's sentence when the export fails, and keeps the history", async () => {
    installWithExport({ kind: "write", message: "Could not write /home/z/Downloads/Switchboard history.csv: disk full" });
    const { container } = render(PracticeHistory);
    await rows(container);
    (container.querySelector('[data-testid="export-history"]') as HTMLButtonElement).click();
    await until(() => expect(operation.toast).toMatchObject({ level: "error", text: expect.stringContaining("disk full") }));
    expect(await rows(container)).toHaveLength(1);
  });
});
