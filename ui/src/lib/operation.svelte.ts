// The one long operation at a time: connecting Xero (consent in the browser, then a sync) or a
// sync of every file. Components read `operation` and call these functions; the words live in
// lib/xero.ts. When an operation ends (ok or not) the table is reloaded, then a toast says how it went.
import type { ErrorKind } from "../bindings/ErrorKind";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { ReconnectQueue } from "../bindings/ReconnectQueue";
import type { SyncProgress } from "../bindings/SyncProgress";
import {
  cancelConnect,
  cancelSync,
  connectFile,
  connectXero,
  onReconnectQueue,
  onSyncProgress,
  reconnectInQueue,
  syncNow,
  toErrorPayload,
} from "./ipc";
import type { ClientFile } from "../bindings/ClientFile";
import { connectSummaryText, fileConnectText, filesText, queueText, reportHasProblems, syncReportText, type MergeOffer } from "./xero";
import { loadXeroStatus, xero } from "./xero-status.svelte";

/**
 * Below the Advanced tier each consent reaches one organisation: "add_queue" is "Add client
 * files from Xero" as consent after consent until the person cancels, "reconnect_queue" is
 * "Reconnect all" as one consent per file.
 */
export type OperationKind = "connect" | "sync" | "add_queue" | "reconnect_queue";

export interface Operation {
  kind: OperationKind;
  /** "waiting": the consent page is open in the browser; "syncing": files are being synced. */
  phase: "waiting" | "syncing";
  /** The last `sync-progress` event, if any arrived yet. */
  progress: SyncProgress | null;
  /** Where a reconnect queue stands (its last `reconnect-queue` event). */
  queue: ReconnectQueue | null;
  /** Files an add queue has connected so far. */
  added: number;
  /** The client file a Connect icon is connecting (its name), when it is one file. */
  file: string | null;
  /** The progress bar appears only once the operation has lasted PROGRESS_DELAY_MS. */
  showProgress: boolean;
  cancelling: boolean;
}

export interface Toast {
  id: number;
  level: "ok" | "warn" | "error";
  text: string;
  /** Offer a way to the Settings page (e.g. no Xero app is set up yet). */
  offerSettings: boolean;
}

export const PROGRESS_DELAY_MS = 300;
/** A success toast goes away by itself after this long; problems stay until dismissed. */
export const TOAST_MS = 12_000;

export const operation = $state<{ current: Operation | null; toast: Toast | null }>({ current: null, toast: null });

let reload: () => Promise<void> = async () => {};
let toastId = 0;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** App gives the function that reloads the table after an operation. */
export function configureOperations(options: { reload: () => Promise<void> }): void {
  reload = options.reload;
}

export function isBusy(): boolean {
  return operation.current !== null;
}

/** Why a new operation cannot start now, or null. */
export function busyReason(): string | null {
  const current = operation.current;
  if (!current) return null;
  return current.kind === "sync" ? "Wait for the sync to finish" : "Wait for the Xero connection to finish";
}

const SETTINGS_KINDS: readonly ErrorKind[] = ["invalid_input", "no_free_port"];
const CALM_KINDS: readonly ErrorKind[] = ["sign_in_cancelled"];

export function showToast(level: Toast["level"], text: string, offerSettings = false): void {
  clearTimeout(toastTimer);
  operation.toast = { id: ++toastId, level, text, offerSettings };
  if (level === "ok") toastTimer = setTimeout(() => dismissToast(), TOAST_MS);
}

export function dismissToast(): void {
  clearTimeout(toastTimer);
  operation.toast = null;
}

function errorToast(error: ErrorPayload): void {
  showToast(CALM_KINDS.includes(error.kind) ? "warn" : "error", error.message, SETTINGS_KINDS.includes(error.kind));
}

async function run<T>(
  kind: OperationKind,
  command: () => Promise<T>,
  report: (result: T) => void,
  file: string | null = null,
): Promise<boolean> {
  if (operation.current) return false;
  dismissToast();
  operation.current = {
    kind,
    phase: kind === "sync" ? "syncing" : "waiting",
    progress: null,
    queue: null,
    added: 0,
    file,
    showProgress: false,
    cancelling: false,
  };
  const timer = setTimeout(() => {
    if (operation.current) operation.current.showProgress = true;
  }, PROGRESS_DELAY_MS);
  let unlisten: (() => void) | null = null;
  let finish: () => void = () => {};
  try {
    unlisten = await onSyncProgress((progress) => {
      const current = operation.current;
      if (!current) return;
      current.progress = progress;
      current.phase = "syncing";
    });
    if (kind === "reconnect_queue") {
      const stopQueue = await onReconnectQueue((queue) => {
        const current = operation.current;
        if (!current) return;
        // Each file reconnected shows in its row at once, not only when the queue ends.
        const progressed = current.queue !== null && queue.done > current.queue.done;
        current.queue = queue;
        current.phase = "waiting";
        if (progressed) void reload();
      });
      const stopProgress = unlisten;
      unlisten = () => {
        stopProgress?.();
        stopQueue();
      };
    }
  } catch {
    // Without progress events the operation still works; the bar just stays indeterminate.
  }
  try {
    const result = await command();
    finish = () => report(result);
  } catch (error) {
    const payload = toErrorPayload(error);
    finish = () => errorToast(payload);
  } finally {
    clearTimeout(timer);
    unlisten?.();
  }
  // Rows change after a connect or a sync, whether it went well or not.
  await reload();
  operation.current = null;
  finish();
  return true;
}

/**
 * "Add client files from Xero", the Connect icon and "Reconnect all": one consent in the browser
 * may bring several organisations. Returns false when another operation is running.
 */
export function startConnect(): Promise<boolean> {
  return run("connect", connectXero, (summary) =>
    showToast(reportHasProblems(summary.sync) || summary.connected === 0 ? "warn" : "ok", connectSummaryText(summary)),
  );
}

let offerMerge: (file: ClientFile, offer: MergeOffer) => void = () => {};

/** App gives the function that asks whether to merge (the Connect icon found a twin). */
export function configureMergeOffer(open: (file: ClientFile, offer: MergeOffer) => void): void {
  offerMerge = open;
}

/**
 * The Connect icon of a Xero file not yet linked to an organisation: one consent for that file.
 * The organisation picked becomes it; one that already is another file brings the merge question.
 */
export function startConnectFile(file: ClientFile): Promise<boolean> {
  return run(
    "connect",
    () => connectFile(file.id),
    (outcome) => {
      const said = fileConnectText(outcome, file.display_name);
      if (said) showToast(said.level, said.text);
      else if (outcome.outcome === "already_another_file") offerMerge(file, outcome);
    },
    file.display_name,
  );
}

/**
 * "Add client files from Xero": below the Advanced tier, consent after consent (each adds one
 * organisation, its row appearing at once) until the person presses Cancel; otherwise one consent.
 */
export function startAdd(): Promise<boolean> {
  if (!onePerConsent()) return startConnect();
  let problems = false;
  const addUntilCancelled = async () => {
    for (;;) {
      let summary;
      try {
        summary = await connectXero();
      } catch (error) {
        if (toErrorPayload(error).kind === "sign_in_cancelled") break;
        throw error;
      }
      problems ||= reportHasProblems(summary.sync);
      const current = operation.current;
      if (current) {
        current.added += summary.connected;
        current.phase = "waiting";
      }
      void reload();
      // Cancel pressed while the organisation was syncing: stop before opening the next consent.
      if (!current || current.cancelling) break;
    }
    return operation.current?.added ?? 0;
  };
  return run("add_queue", addUntilCancelled, (added) =>
    showToast(problems || added === 0 ? "warn" : "ok", added === 0 ? "Nothing was added." : `Added ${filesText(added)}.`),
  );
}

/** Whether the practice's Xero app is on a tier below Advanced (one organisation per consent). */
export function onePerConsent(): boolean {
  return xero.status?.usage.one_organisation_per_consent ?? false;
}

/**
 * "Reconnect all that need it": below the Advanced tier each consent reaches one organisation, so
 * it is a queue of consents (resumed where a paused one stopped); otherwise one consent.
 */
export function startReconnectAll(): Promise<boolean> {
  if (xero.status?.reconnect_queue == null && !onePerConsent()) return startConnect();
  return run("reconnect_queue", reconnectInQueue, (queue) => {
    void loadXeroStatus();
    showToast(queue.next === null ? "ok" : "warn", queueText(queue, true));
  });
}

export function startSync(): Promise<boolean> {
  return run("sync", syncNow, (report) => showToast(reportHasProblems(report) ? "warn" : "ok", syncReportText(report)));
}

/** Cancel: a connect still waiting for the browser ends at once; a sync stops after the files in flight. */
export async function cancelOperation(): Promise<void> {
  const current = operation.current;
  if (!current || current.cancelling) return;
  current.cancelling = true;
  try {
    if (current.kind !== "sync" && current.phase === "waiting") await cancelConnect();
    else await cancelSync();
  } catch (error) {
    if (operation.current === current) current.cancelling = false;
    showToast("error", toErrorPayload(error).message);
  }
}

/** For tests: forget any operation and toast. */
export function resetOperationForTests(): void {
  clearTimeout(toastTimer);
  operation.current = null;
  operation.toast = null;
  reload = async () => {};
  offerMerge = () => {};
}
