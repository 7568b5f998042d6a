// Updates of the app itself: whether this build and computer check at all, the update on offer,
// and the last check's or install's problem. Shared by the banner and Settings → Updates.
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { UpdateInfo } from "../bindings/UpdateInfo";
import type { UpdateStatus } from "../bindings/UpdateStatus";
import { checkForUpdate, installUpdate, toErrorPayload, updateStatus } from "./ipc";

export const updates = $state({
  status: null as UpdateStatus | null,
  /** The update on offer; `null` before a check and when up to date. */
  available: null as UpdateInfo | null,
  /** A check finished and found nothing newer. */
  upToDate: false,
  checking: false,
  installing: false,
  error: null as ErrorPayload | null,
  /** The person closed the banner; Settings still shows the update. */
  dismissed: false,
});

/** At start: asks the shell first, and checks only when an update server is built in and policy allows. */
export async function checkAtStart(): Promise<void> {
  try {
    updates.status = await updateStatus();
  } catch {
    return; // No answer about updates is no reason to bother anyone at start.
  }
  // A shell without the updates commands (an older build, a test's fake core) answers nothing.
  if (updates.status?.state === "enabled") await checkNow({ quiet: true });
}

/** "Check for updates" in Settings; at start the check is quiet (a failure shows in Settings only). */
export async function checkNow(options: { quiet?: boolean } = {}): Promise<void> {
  updates.checking = true;
  updates.error = null;
  updates.upToDate = false;
  try {
    updates.available = await checkForUpdate();
    updates.upToDate = updates.available === null;
  } catch (e) {
    if (!options.quiet) updates.error = toErrorPayload(e);
  } finally {
    updates.checking = false;
  }
}

/** The "Install and restart" button: on success the app restarts and this never returns. */
export async function installNow(): Promise<void> {
  const offered = updates.available;
  if (!offered || updates.installing) return;
  updates.installing = true;
  updates.error = null;
  try {
    await installUpdate(offered.version);
  } catch (e) {
    updates.error = toErrorPayload(e);
  } finally {
    updates.installing = false;
  }
}

export function resetUpdatesForTests(): void {
  Object.assign(updates, {
    status: null,
    available: null,
    upToDate: false,
    checking: false,
    installing: false,
    error: null,
    dismissed: false,
  });
}
