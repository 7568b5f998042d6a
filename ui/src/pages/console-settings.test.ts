// The Client Console page's Settings card: the console as cached, the row's Settings actions, and
// the page's history growing in place after one of them.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, expect, it } from "vitest";
import type { AuditEntry } from "../bindings/AuditEntry";
import ActionDialogs from "../components/dialogs/ActionDialogs.svelte";
import { setNow } from "../lib/clock.svelte";
import { closeDialog } from "../lib/dialogs.svelte";
import { makeDetails, makeFile, NOW } from "../test/fixtures";
import { until } from "../test/harness";
import ConsolePage from "./ConsolePage.svelte";

afterEach(() => {
  clearMocks();
  closeDialog();
});

it("shows the console settings and users, and a rename from the page shows up in its history", async () => {
  setNow(NOW);
  let name = "Maple Florist";
  const history: AuditEntry[] = [];
  const detailCalls: number[] = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case "client_details":
        detailCalls.push(a.id as number);
        return makeDetails(makeFile({ id: 4, display_name: name }), [], [...history]);
      case "console_settings":
        return { enabled: true, key_reports: true, action_items: true, cadence: "weekly" };
      case "console_users":
        return [{ id: 1, file_id: 4, name: "Aroha Ngata", email: "aroha@maple.example", role: "owner", updated_at: 0 }];
      case "rename_client":
        history.unshift({ at: NOW, file_id: 4, file_name: name, action: "rename", old_value: name, new_value: String(a.name), actor: "Zoë Ñandú-O'Brien" });
        name = String(a.name);
        return makeFile({ id: 4, display_name: name });
    }
    throw { kind: "invalid_input", message: `unexpected ${cmd}` };
  });
  const page = render(ConsolePage, { props: { id: 4 } });
  render(ActionDialogs);
  await until(() => expect(page.container.querySelector('[data-field="console_users"]')!.textContent).toBe("Aroha Ngata"));
  expect(page.container.querySelector('[data-field="console_shows"]')!.textContent).toBe("key figures, what to act on");
  expect(page.getByTestId("no-history")).toBeTruthy();

  await fireEvent.click(page.container.querySelector('[data-console-action="rename_client"]')!);
  const input = await until(() => document.querySelector<HTMLInputElement>('[data-testid="rename-input"]')!);
  await fireEvent.input(input, { target: { value: "Maple (Auckland)" } });
  await fireEvent.click(document.querySelector('[data-testid="rename-save"]')!);
  await until(() => expect(page.getAllByTestId("history-row")).toHaveLength(1));
  expect(page.getByTestId("history-actor").textContent).toBe("Zoë Ñandú-O'Brien");
  expect(page.container.querySelector("h1")!.textContent).toBe("Maple (Auckland)");
  expect(detailCalls).toEqual([4, 4]);
});
