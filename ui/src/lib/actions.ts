// The row actions of the Client Connections table, in one place.
//
// The controls (Connect, the dashboards, the XPM link, Reports and the Settings menu) are drawn
// with their real state today; what a click *does* arrives with later issues. Until an action
// has a handler here, its control is rendered aria-disabled with a tooltip that says so honestly.
// A later issue wires an action by giving it a `run` function; no component needs to change.
import type { ClientFile } from "../bindings/ClientFile";
import { busyReason, showToast, startConnect, startConnectFile } from "./operation.svelte";
import { connectsThisFile, connectUnsupported } from "./xero";
import { openDashboard, openDialog } from "./dialogs.svelte";
import { xpmDashboardAvailable } from "./format";
import { openXpmPicker } from "./xpm.svelte";
import { navigate, reportsHref } from "./router.svelte";

export type ActionId =
  | "connect"
  | "open_xero_dashboard"
  | "open_xpm_dashboard"
  | "link_xpm"
  | "open_reports"
  | "user_access"
  | "console_settings"
  | "console_users"
  | "rename_client"
  | "disconnect_payroll"
  | "delete_client";

export interface RowAction {
  /** What the control is called (menu item text, accessible name prefix). */
  label: string;
  /** Why it cannot be used yet: the end of "Available once …". */
  pendingOn: string;
  /** The behaviour; absent until the issue that builds it wires it. */
  run?: (file: ClientFile) => void | Promise<unknown>;
  /**
   * Why the action cannot act on this file (or not right now), or null when it can. Absent: a
   * wired action always can. The control is then aria-disabled and its tooltip gives the reason.
   */
  blockedFor?: (file: ClientFile) => string | null;
  /**
   * What the control does, added to an enabled control's name and tooltip: an instruction that
   * holds for a pointer, a key or a screen reader alike (never "Click to…").
   */
  hint?: (file: ClientFile) => string;
  /**
   * When a click on the blocked control deserves an answer (a tooltip is not seen on touch or
   * by a quick click): the words of a toast, or null for no answer.
   */
  explainClick?: (file: ClientFile) => string | null;
}

export const ROW_ACTIONS: Record<ActionId, RowAction> = {
  connect: {
    label: "Connect",
    pendingOn: "Xero sign-in is set up",
    // A file not yet linked to an organisation: one consent, and the organisation picked becomes
    // it. Otherwise a reconnect: one consent can bring back several organisations; the sync that
    // follows updates this row.
    run: (file) => (connectsThisFile(file) ? startConnectFile(file) : startConnect()),
    blockedFor: (file) => connectUnsupported(file) ?? busyReason(),
    // Other software: say why nothing happens, and start nothing.
    explainClick: (file) => connectUnsupported(file),
    hint: (file) =>
      connectsThisFile(file)
        ? "Connect it: Xero opens in your browser; pick this client's organisation"
        : `${file.connection.state === "not_connected" ? "Connect" : "Reconnect"} it: Xero opens in your browser and asks which organisations to allow`,
  },
  // Issue 5: the one-click links and the Settings menu. The core builds and checks every link.
  open_xero_dashboard: {
    label: "Open the Xero dashboard",
    pendingOn: "opening Xero pages is set up",
    run: (file) => openDashboard("xero", file),
    blockedFor: (file) =>
      file.xero?.short_code ? null : "Xero has not told Switchboard this organisation's short code yet: sync it first",
    hint: () => "Open it in your browser",
  },
  open_xpm_dashboard: {
    label: "Open the XPM client page",
    pendingOn: "opening XPM pages is set up",
    run: (file) => openDashboard("xpm", file),
    blockedFor: (file) => (xpmDashboardAvailable(file) ? null : "XPM gave no page for this client"),
    hint: () => "Open it in your browser",
  },
  link_xpm: {
    label: "Link an XPM client",
    pendingOn: "XPM linking is set up",
    run: (file) => openXpmPicker(file),
    hint: (file) => (file.xpm ? "Change or remove the link" : "Pick the XPM client"),
  },
  open_reports: {
    label: "Client reports",
    pendingOn: "client reports are set up",
    // The page reads the cache, so it opens for every file (offline too) and says what it can show.
    run: (file) => navigate(reportsHref(file.id)),
    hint: () => "Open its reports (cached for offline reading)",
  },
  user_access: {
    label: "User access",
    pendingOn: "user access management is set up",
    run: (file) => openDialog("user_access", file),
  },
  console_settings: {
    label: "Client Console settings",
    pendingOn: "Client Console settings are set up",
    run: (file) => openDialog("console_settings", file),
  },
  console_users: {
    label: "Client Console users",
    pendingOn: "Client Console users are set up",
    run: (file) => openDialog("console_users", file),
  },
  rename_client: {
    label: "Rename client",
    pendingOn: "renaming is set up",
    run: (file) => openDialog("rename_client", file),
  },
  disconnect_payroll: {
    label: "Disconnect payroll",
    pendingOn: "payroll settings are set up",
    run: (file) => openDialog("disconnect_payroll", file),
    blockedFor: (file) =>
      file.xero || file.payroll.state === "disconnected_by_staff"
        ? null
        : "Payroll comes from Xero, and this file is not connected through Xero",
  },
  delete_client: {
    label: "Delete client",
    pendingOn: "deleting client files is set up",
    run: (file) => openDialog("delete_client", file),
  },
};

export const SETTINGS_MENU: readonly ActionId[] = [
  "user_access",
  "console_settings",
  "console_users",
  "rename_client",
  "disconnect_payroll",
  "delete_client",
];

/** Whether the action is wired (and, given a file, whether it can act on that file now). */
export function isAvailable(id: ActionId, file?: ClientFile): boolean {
  if (typeof ROW_ACTIONS[id].run !== "function") return false;
  return file === undefined || blockedReason(id, file) === null;
}

/** Why the control for this file is disabled, or null when a click does something. */
export function blockedReason(id: ActionId, file: ClientFile): string | null {
  const action = ROW_ACTIONS[id];
  if (!action.run) return pendingNote(id);
  return action.blockedFor?.(file) ?? null;
}

/** The full tooltip of a row action's control, given what the control shows. */
export function actionTitle(id: ActionId, file: ClientFile, shows: string): string {
  const blocked = blockedReason(id, file);
  if (blocked !== null) return `${shows}. ${blocked}`;
  const hint = ROW_ACTIONS[id].hint?.(file);
  return hint ? `${shows}. ${hint}` : shows;
}

/** The tooltip suffix for an action that is not wired yet. */
export function pendingNote(id: ActionId): string {
  return `Available once ${ROW_ACTIONS[id].pendingOn}`;
}

/** Runs an action if it is wired; returns whether it ran. */
export function runAction(id: ActionId, file: ClientFile): boolean {
  const action = ROW_ACTIONS[id];
  if (!action.run || blockedReason(id, file) !== null) {
    const said = action.run ? action.explainClick?.(file) : null;
    if (said) showToast("warn", `${said}.`);
    return false;
  }
  void action.run(file);
  return true;
}
