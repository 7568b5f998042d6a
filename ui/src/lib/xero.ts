// Xero connection words and small rules: redirect ports, what a connect or sync did, which files
// the Connect icon can (re)connect. Pure functions, no DOM, no IPC.
import type { ClientFile } from "../bindings/ClientFile";
import type { ConnectSummary } from "../bindings/ConnectSummary";
import type { FileConnectOutcome } from "../bindings/FileConnectOutcome";
import type { ReconnectQueue } from "../bindings/ReconnectQueue";
import type { TierUsage } from "../bindings/TierUsage";
import type { XeroTier } from "../bindings/XeroTier";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { SyncReport } from "../bindings/SyncReport";
import type { TokenSetInfo } from "../bindings/TokenSetInfo";
import { dateOnly, formatCount, softwareLabel } from "./format";

/** The redirect URI Xero must have registered for a loopback port: `http://localhost:<port>/callback`. */
export function redirectUri(port: number): string {
  return `http://localhost:${port}/callback`;
}

export type ParsedPorts = { ok: true; ports: number[] } | { ok: false; message: string };

/** "53682, 53683" → [53682, 53683]. Blank entries are ignored; duplicates are kept once. */
export function parsePorts(text: string): ParsedPorts {
  const ports: number[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    if (part === "") continue;
    if (!/^\d+$/.test(part)) return { ok: false, message: `“${part}” is not a port number. Use numbers separated by commas.` };
    const port = Number(part);
    if (port < 1 || port > 65535) return { ok: false, message: `${port} is not a port number (1–65535).` };
    if (!ports.includes(port)) ports.push(port);
  }
  return { ok: true, ports };
}

export function formatPorts(ports: readonly number[]): string {
  return ports.join(", ");
}

/** "1 client file", "3 client files". */
export const filesText = (n: number) => (n === 1 ? "1 client file" : `${formatCount(n)} client files`);

/** The parts of a sync report worth telling a person, e.g. "2 failed to sync, 1 needs reconnect". */
export function syncProblems(report: SyncReport): string[] {
  const parts: string[] = [];
  if (report.failed > 0) parts.push(`${formatCount(report.failed)} failed to sync`);
  if (report.needs_reconnect > 0) parts.push(`${formatCount(report.needs_reconnect)} need${report.needs_reconnect === 1 ? "s" : ""} reconnecting`);
  if (report.disconnected > 0) parts.push(`${formatCount(report.disconnected)} no longer connected at Xero`);
  return parts;
}

function withProblems(head: string, report: SyncReport): string {
  const problems = syncProblems(report);
  const tail = report.cancelled ? " The sync was cancelled; files not reached keep their last good data." : "";
  return problems.length ? `${head}; ${problems.join(", ")}.${tail}` : `${head}.${tail}`;
}

/** The toast after "Add client files from Xero" (or a Connect / Reconnect) succeeded. */
export function connectSummaryText(summary: ConnectSummary): string {
  if (summary.connected === 0) return withProblems("Xero connected no organisations (none were allowed)", summary.sync);
  return withProblems(`Connected ${filesText(summary.connected)}`, summary.sync);
}

export const TIERS: readonly XeroTier[] = ["starter", "core", "plus", "advanced", "enterprise"];

export const TIER_LABELS: Record<XeroTier, string> = {
  starter: "Starter",
  core: "Core",
  plus: "Plus",
  advanced: "Advanced",
  enterprise: "Enterprise",
};

/** Settings' line under the tier: connections in use against the cap, and what the tier allows. */
export function tierUsageText(usage: TierUsage): string {
  const inUse = `Connections in use: ${formatCount(usage.connections_in_use)}`;
  if (usage.tier === null) return `${inUse}. Record the tier to see them against its cap.`;
  const cap = usage.connection_cap === null ? " (no cap)" : ` of ${formatCount(usage.connection_cap)}`;
  const calls = usage.daily_calls_per_organisation === null ? "" : ` · ${formatCount(usage.daily_calls_per_organisation)} calls per organisation a day`;
  const bulk = usage.one_organisation_per_consent ? "one organisation per consent" : "several organisations per consent";
  const allowance = usage.monthly_egress_allowance_bytes;
  const data =
    allowance !== null
      ? `${formatCount(allowance / 1e9)} GB of downloads a month included`
      : usage.tier === "starter"
        ? "downloads not billed"
        : "downloads as agreed with Xero";
  return `${inUse}${cap}${calls} · ${bulk} · ${data}.`;
}

/**
 * Where a "Reconnect all" queue stands: "3 of 16 reconnected; next: Acme Ltd". `ended`: the
 * words for the toast once it stopped (done, or paused by Cancel).
 */
export function queueText(queue: ReconnectQueue, ended = false): string {
  const standing = `${formatCount(queue.done)} of ${formatCount(queue.total)} reconnected`;
  if (queue.next === null) return ended ? `All ${formatCount(queue.total)} reconnected.` : `${standing}.`;
  if (!ended) return `${standing}; next: ${queue.next}`;
  return `Paused: ${standing}; next: ${queue.next}. Reconnect all resumes it.`;
}

/** The toast after "Sync now". */
export function syncReportText(report: SyncReport): string {
  const head = report.cancelled ? `Sync cancelled after ${filesText(report.synced)}` : `Synced ${filesText(report.synced)}`;
  const problems = syncProblems(report);
  return problems.length ? `${head}; ${problems.join(", ")}.` : `${head}.`;
}

/** Whether a finished operation deserves a warning look rather than a plain success. */
export function reportHasProblems(report: SyncReport): boolean {
  return report.failed + report.needs_reconnect + report.disconnected > 0 || report.cancelled;
}

/** "120 of 250 files · 2 failed" — the progress bar's text (and aria-valuetext). */
export function progressText(progress: SyncProgress | null): string {
  if (!progress || progress.total === 0) return "Starting…";
  const base = `${formatCount(progress.done)} of ${formatCount(progress.total)} files`;
  return progress.failed > 0 ? `${base} · ${formatCount(progress.failed)} failed` : base;
}

export function needsReconnectCount(list: readonly ClientFile[]): number {
  let n = 0;
  for (const file of list) if (file.connection.state === "needs_reconnect") n++;
  return n;
}

/**
 * Why the Connect icon cannot (re)connect this file, or null when it can. Switchboard connects
 * Xero organisations only; other software keeps an honest explanation.
 */
export function connectUnsupported(file: ClientFile): string | null {
  switch (file.software.kind) {
    case "xero":
      return null;
    case "none":
      return "No accounting software syncs this file, so there is nothing to connect";
    default:
      return `Switchboard connects Xero organisations only; connecting ${softwareLabel(file.software)} files is not supported`;
  }
}

/**
 * Whether the Connect icon connects this one file (a Xero file not yet linked to an organisation:
 * the organisation picked becomes it) rather than reconnecting what a consent reaches.
 */
export function connectsThisFile(file: ClientFile): boolean {
  return file.software.kind === "xero" && file.xero === null && connectUnsupported(file) === null;
}

/** An "already another file" answer: the merge question's facts. */
export type MergeOffer = Extract<FileConnectOutcome, { outcome: "already_another_file" }>;

/**
 * The toast after the Connect icon of one file, or null when the answer is a merge question
 * (a dialog asks it).
 */
export function fileConnectText(outcome: FileConnectOutcome, name: string): { level: "ok" | "warn"; text: string } | null {
  switch (outcome.outcome) {
    case "connected": {
      const head = `Connected ${name} to Xero`;
      return { level: reportHasProblems(outcome.sync) ? "warn" : "ok", text: withProblems(head, outcome.sync) };
    }
    case "nothing_picked":
      return { level: "warn", text: `No organisation was picked in Xero, so ${name} was not connected. Nothing changed.` };
    case "already_another_file":
      return null;
  }
}

/** "Xero user 4f1c…" — who consented; the token set reaches what that user connected. */
export function tokenOwnerText(info: TokenSetInfo): string {
  return info.xero_user_id ? `Connected by Xero user ${info.xero_user_id}` : "Connected by a Xero user Xero did not name";
}

/** When the connection lapses if unused (refresh tokens expire after 60 days without use). */
export function lapseText(info: TokenSetInfo, now: number): { text: string; level: "ok" | "soon" | "gone" } {
  if (info.needs_reconnect) return { text: "Lapsed: Xero no longer accepts this sign-in. Reconnect the file.", level: "gone" };
  if (info.lapses_at <= now) return { text: `Lapsed on ${dateOnly(info.lapses_at)}. Reconnect the file.`, level: "gone" };
  const days = Math.floor((info.lapses_at - now) / 86_400_000);
  const left = days === 0 ? "today" : days === 1 ? "in 1 day" : `in ${days} days`;
  return { text: `Connection lapses ${dateOnly(info.lapses_at)} (${left}) if unused`, level: days < 7 ? "soon" : "ok" };
}
