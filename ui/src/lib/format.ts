// Words and times for people: labels, tooltips and relative times. Pure functions, no DOM.
import type { AccountingSoftware } from "../bindings/AccountingSoftware";
import type { ClientFile } from "../bindings/ClientFile";
import type { ConnectionState } from "../bindings/ConnectionState";
import type { ServiceState } from "../bindings/ServiceState";
import type { Severity } from "../bindings/Severity";
import type { UnavailableReason } from "../bindings/UnavailableReason";
import type { UnixMillis } from "../bindings/UnixMillis";

export function softwareLabel(software: AccountingSoftware): string {
  switch (software.kind) {
    case "xero":
      return "Xero";
    case "quickbooks_online":
      return "QuickBooks Online";
    case "myob":
      return "MYOB";
    case "none":
      return "None";
    case "other":
      return software.name || "Other";
  }
}

export function softwareTooltip(software: AccountingSoftware): string {
  switch (software.kind) {
    case "none":
      return "No accounting software syncs this file";
    case "other":
      return `Other accounting software: ${software.name || "not named"}`;
    default:
      return `Synced by ${softwareLabel(software)}`;
  }
}

export function connectionLabel(connection: ConnectionState): string {
  switch (connection.state) {
    case "connected":
      return "Connected";
    case "not_connected":
      return "Not connected";
    case "needs_reconnect":
      return "Needs reconnect";
    case "disconnected":
      return "Disconnected";
  }
}

/** The tooltip of the Connection cell: the state, and the reason when there is one. */
export function connectionTooltip(connection: ConnectionState): string {
  const label = connectionLabel(connection);
  return "reason" in connection ? `${label}: ${connection.reason || "no reason recorded"}` : label;
}

export function unavailableExplanation(reason: UnavailableReason): string {
  switch (reason.kind) {
    case "not_subscribed":
      return "the organisation is not subscribed";
    case "not_set_up":
      return "it has not been set up in Xero";
    case "scope_not_granted":
      return "the connection was not granted access to it";
    case "wrong_region":
      return "it is not offered for this organisation's region";
    case "not_reachable":
      return "it could not be reached";
    case "other":
      return reason.detail || "no reason recorded";
  }
}

export type ServiceName = "Payroll" | "Fixed Assets";

export function serviceLabel(state: ServiceState): string {
  switch (state.state) {
    case "not_checked":
      return "Not checked yet";
    case "connected":
      return "Connected";
    case "unavailable":
      return "Unavailable";
    case "disconnected_by_staff":
      return "Disconnected by staff";
  }
}

export function serviceTooltip(service: ServiceName, state: ServiceState): string {
  switch (state.state) {
    case "not_checked":
      return `${service}: not checked yet (no sync has looked at it)`;
    case "connected":
      return `${service}: connected`;
    case "unavailable":
      return `${service} unavailable: ${unavailableExplanation(state.reason)}`;
    case "disconnected_by_staff":
      return `${service}: disconnected by staff`;
  }
}

/** The Xero dashboard can be opened for files connected through Xero whose short code is known. */
export function accountDashboardAvailable(file: ClientFile): boolean {
  return (
    file.software.kind === "xero" && file.connection.state === "connected" && !!file.xero?.short_code
  );
}

export function accountDashboardTooltip(file: ClientFile): string {
  if (accountDashboardAvailable(file)) return `Xero dashboard of this organisation (${file.xero!.short_code})`;
  if (file.software.kind !== "xero") return "No Xero dashboard: this file is not synced by Xero";
  if (file.connection.state !== "connected") return "No Xero dashboard: the file is not connected";
  return "No Xero dashboard: the organisation's short code is not known yet";
}

export function xpmDashboardAvailable(file: ClientFile): boolean {
  return !!file.xpm?.web_url;
}

export function xpmDashboardTooltip(file: ClientFile): string {
  if (!file.xpm) return "No XPM dashboard: not linked to an XPM client";
  if (!file.xpm.web_url) return `No XPM dashboard: XPM gave no page for ${file.xpm.name}`;
  return `XPM page of ${file.xpm.name}`;
}

export type XpmLinkState = "none" | "linked" | "archived" | "deleted";

export function xpmLinkState(file: ClientFile): XpmLinkState {
  if (!file.xpm) return "none";
  if (file.xpm.deleted) return "deleted";
  if (file.xpm.archived) return "archived";
  return "linked";
}

export function xpmTooltip(file: ClientFile): string {
  switch (xpmLinkState(file)) {
    case "none":
      return "Not linked to an XPM client";
    case "linked":
      return `Linked to XPM client ${file.xpm!.name}`;
    case "archived":
      return `Linked to XPM client ${file.xpm!.name}, which is archived in XPM`;
    case "deleted":
      return `Linked to XPM client ${file.xpm!.name}, which is deleted in XPM`;
  }
}

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: "Critical",
  high: "High",
  medium: "Medium",
  low: "Low",
};

// ---- time ------------------------------------------------------------------------------

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 days ago", or a date for anything older than 30 days. */
export function relativeTime(at: UnixMillis, now: number): string {
  const diff = now - at;
  if (diff < -MINUTE) return `at ${exactTime(at)}`; // a clock ahead of ours: say when, not "in …"
  if (diff < MINUTE) return "just now";
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)} min ago`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)} h ago`;
  const days = Math.floor(diff / DAY);
  if (days === 1) return "yesterday";
  if (days <= 30) return `${days} days ago`;
  return `on ${dateOnly(at)}`;
}

const exactFormat = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "short",
});

const dateFormat = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "numeric" });

export function exactTime(at: UnixMillis): string {
  return exactFormat.format(new Date(at));
}

export function dateOnly(at: UnixMillis): string {
  return dateFormat.format(new Date(at));
}

// One formatter for every count: `toLocaleString("en-GB")` builds a new one on each call, and
// the table writes a dozen counts on every keystroke in search.
const countFormat = new Intl.NumberFormat("en-GB");

/** A count as staff read it, with thousands separators: "10,000". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** What the name cell's second line says about the file's sync, and its tooltip. */
export interface SyncNote {
  text: string;
  tooltip: string;
  /** "failed": the last attempt failed; "behind": a later attempt did not complete; otherwise "ok". */
  level: "ok" | "failed" | "behind" | "never";
}

export function syncNote(file: ClientFile, now: number): SyncNote {
  const { last_success_at: ok, last_attempt_at: attempt, last_error: error } = file.sync;
  if (error !== null) {
    const when = attempt === null ? "at an unknown time" : `at ${exactTime(attempt)}`;
    const good = ok === null ? "It has never synced successfully." : `Showing the last good data, from ${exactTime(ok)}.`;
    return {
      text: attempt === null ? "Last sync failed" : `Sync failed ${relativeTime(attempt, now)}`,
      tooltip: `Last sync failed ${when}: ${error}. ${good}`,
      level: "failed",
    };
  }
  if (ok === null) {
    return attempt === null
      ? { text: "Never synced", tooltip: "Never synced", level: "never" }
      : {
          text: "Never synced",
          tooltip: `A sync was attempted at ${exactTime(attempt)} but did not complete`,
          level: "behind",
        };
  }
  if (attempt !== null && attempt > ok) {
    return {
      text: `Synced ${relativeTime(ok, now)}`,
      tooltip: `Data from ${exactTime(ok)}; a later sync attempt at ${exactTime(attempt)} did not complete`,
      level: "behind",
    };
  }
  return { text: `Synced ${relativeTime(ok, now)}`, tooltip: `Last synced ${exactTime(ok)}`, level: "ok" };
}

const AUDIT_ACTIONS: Record<string, string> = {
  rename: "Renamed",
  link_xpm: "Linked to an XPM client",
  unlink_xpm: "Removed the XPM link",
  connect: "Connected to Xero",
  reconnect: "Reconnected to Xero",
  disconnect_payroll: "Disconnected payroll",
  reconnect_payroll: "Reconnected payroll",
  console_settings: "Changed Client Console settings",
  console_user_add: "Added a Client Console user",
  console_user_edit: "Edited a Client Console user",
  console_user_remove: "Removed a Client Console user",
  client_pack_sent: "Sent the client pack",
  client_pack_failed: "Could not send the client pack",
  delete: "Deleted the client",
  export_report: "Saved a report to a file",
  xero_app_settings: "Changed the Xero app settings",
  mail_settings: "Changed the mail server for client packs",
  xpm_connect: "Connected XPM",
  xpm_disconnect: "Disconnected XPM",
  allow_reports: "Allowed reports",
  export_csv: "Exported the client list",
  export_history: "Exported the history of changes",
  start_fresh: "Started a fresh cache",
  remove_leftover: "Cleaned up",
  merge: "Merged with another client file",
};

/** A history entry's action for people; unknown actions are shown as recorded. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS[action] ?? action.replace(/_/g, " ");
}

/** Decimal units, as Xero states its allowances and file managers show sizes (1 KB = 1,000 bytes). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${formatCount(value)} bytes`;
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}
