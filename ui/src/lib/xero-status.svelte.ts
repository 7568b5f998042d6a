// What the app knows about its Xero app settings, shared by the header (the demo badge) and the
// Settings page. Loaded once at start-up and replaced by every save.
import type { XeroStatus } from "../bindings/XeroStatus";
import { xeroStatus } from "./ipc";

export const xero = $state<{ status: XeroStatus | null }>({ status: null });

/** Loads the status; a failure leaves it unknown (the Settings page shows the error itself). */
export async function loadXeroStatus(): Promise<XeroStatus | null> {
  try {
    xero.status = await xeroStatus();
  } catch {
    xero.status = null;
  }
  return xero.status;
}

export function setXeroStatus(status: XeroStatus): void {
  xero.status = status;
}

/** For tests. */
export function resetXeroStatusForTests(): void {
  xero.status = null;
}
