// The practice-wide "who can see what" page: one email's client files, from the cached user lists,
// as text; exported as CSV by the core.
import { fireEvent, render } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { setNow } from "../lib/clock.svelte";
import { dismissToast, operation } from "../lib/operation.svelte";
import { accessHref, parseHash } from "../lib/router.svelte";
import { NOW } from "../test/fixtures";
import { until } from "../test/harness";
import AccessReportPage from "./AccessReportPage.svelte";

afterEach(() => {
  clearMocks();
  dismissToast();
});

describe("who can see what", () => {
  it("the route carries the email, encoded", () => {
    expect(accessHref("ann+x/y@practice.example")).toBe("#/access/ann%2Bx%2Fy%40practice.example");
    expect(parseHash(accessHref("ann+x/y@practice.example"))).toEqual({ page: "access", email: "ann+x/y@practice.example" });
    expect(parseHash("#/access")).toEqual({ page: "access", email: "" });
    expect(parseHash("#/access/%E0%A4%A")).toEqual({ page: "access", email: "" });
  });

  it("lists every file the email reaches, says how many were never checked, and exports", async () => {
    setNow(NOW);
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "staff_access")
        return {
          email: "ann@practice.example",
          files_never_checked: 2,
          files: [
            { file_id: 3, display_name: "<script>x</script> Ltd", user_name: "Ann Smith", role: "FINANCIALADVISER", is_subscriber: false, fetched_at: NOW - 60_000 },
            { file_id: 9, display_name: "Maple", user_name: "Ann Smith", role: "ADMIN", is_subscriber: true, fetched_at: NOW - 60_000 },
          ],
        };
      if (cmd === "export_staff_access") return { path: "/home/u/Downloads/Switchboard access ann.csv", rows: 2 };
      if (cmd === "refresh_all_user_access") return { fetched: 40, failed: 1 };
      throw { kind: "invalid_input", message: `unexpected ${cmd}` };
    });
    const page = render(AccessReportPage, { props: { email: "ann@practice.example" } });
    const rows = await until(() => {
      const r = page.getAllByTestId("access-row");
      expect(r).toHaveLength(2);
      return r;
    });
    expect(rows[0].querySelector("script")).toBeNull();
    expect(rows[0].querySelector("a")!.getAttribute("href")).toBe("#/clients/3/console");
    expect(rows[1].textContent).toContain("Subscriber");
    expect(page.getByTestId("access-unchecked").textContent).toContain("2 Xero files have never had their users fetched");
    await fireEvent.click(page.getByTestId("access-export"));
    await until(() => expect(operation.toast?.text).toBe("Exported 2 rows to /home/u/Downloads/Switchboard access ann.csv"));
    expect(calls.map((c) => c.cmd)).toEqual(["staff_access", "export_staff_access"]);
    expect(calls[1].args).toEqual({ email: "ann@practice.example" });

    // Refresh all: asks Xero for every file, says how it went, and shows the report again.
    await fireEvent.click(page.getByTestId("access-fetch-all"));
    await until(() => expect(operation.toast?.text).toBe("Fetched the users of 40 client files; Xero did not answer for 1"));
    expect(operation.toast?.level).toBe("warn");
    await until(() => expect(calls.map((c) => c.cmd).slice(2)).toEqual(["refresh_all_user_access", "staff_access"]));
  });
});
