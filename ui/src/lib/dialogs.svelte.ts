// The one dialog of a row's Settings menu that is open, if any. Actions (lib/actions.ts) open a
// dialog; components/dialogs/ActionDialogs.svelte draws it; a dialog that changed the cache calls
// `changed()` so the table (and any open page) shows the new state.
import type { ClientFile } from "../bindings/ClientFile";
import { openXeroDashboard, openXpmDashboard } from "./ipc";
import { configureMergeOffer, showToast } from "./operation.svelte";
import type { MergeOffer } from "./xero";

export type DialogKind =
  | "user_access"
  | "console_settings"
  | "console_users"
  | "rename_client"
  | "disconnect_payroll"
  | "delete_client"
  | "merge_files";

export const dialogs = $state<{ open: { kind: DialogKind; file: ClientFile; merge?: MergeOffer } | null; version: number }>({
  open: null,
  version: 0,
});

let reload: () => Promise<void> = async () => {};

/** App gives the function that reloads the table after a change. */
export function configureDialogs(options: { reload: () => Promise<void> }): void {
  reload = options.reload;
  configureMergeOffer(openMergeOffer);
}

export function openDialog(kind: DialogKind, file: ClientFile): void {
  dialogs.open = { kind, file };
}

/** The Connect icon picked an organisation that already is another file: ask whether to merge. */
export function openMergeOffer(file: ClientFile, merge: MergeOffer): void {
  dialogs.open = { kind: "merge_files", file, merge };
}

export function closeDialog(): void {
  dialogs.open = null;
}

/** Something changed in the cache: reload what is on screen (pages watch `version`). */
export async function changed(): Promise<void> {
  dialogs.version += 1;
  await reload();
}

/**
 * Runs a dialog's change. When it works: the toast it returns, `close`, and the screen reloaded;
 * the result is null. When it fails: the sentence to show in the dialog.
 */
export async function applyChange(change: () => Promise<string>, close: () => void): Promise<string | null> {
  try {
    showToast("ok", await change());
    close();
    await changed();
    return null;
  } catch (e) {
    return (e as { message: string }).message;
  }
}

/** Opens a file's Xero dashboard or XPM page; a refusal or failure is said in a toast. */
export async function openDashboard(kind: "xero" | "xpm", file: ClientFile): Promise<void> {
  try {
    await (kind === "xero" ? openXeroDashboard(file.id) : openXpmDashboard(file.id));
  } catch (error) {
    showToast("error", (error as { message: string }).message);
  }
}
