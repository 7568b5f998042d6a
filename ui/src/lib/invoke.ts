// How the window calls the shell: every command and event goes through here, so a failed call
// always rejects with an `ErrorPayload` (`{ kind, message }`) whose message is written for people
// and is what the UI shows. The typed functions that use it are generated (commands.ts).
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ErrorKind } from "../bindings/ErrorKind";
import type { ErrorPayload } from "../bindings/ErrorPayload";

// Every kind the core sends: a Record, so the compiler says so when the bindings gain one.
const KINDS: Record<ErrorKind, true> = {
  cache_too_new: true,
  cache_corrupt: true,
  cache_unavailable: true,
  storage: true,
  not_found: true,
  invalid_input: true,
  credential_store: true,
  no_free_port: true,
  sign_in_timed_out: true,
  sign_in_cancelled: true,
  sign_in_state_mismatch: true,
  consent_denied: true,
  sign_in_failed: true,
  needs_reconnect: true,
  xero_unreachable: true,
  xero_refused: true,
  write: true,
  xpm: true,
  update: true,
  mail: true,
};

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === "string" && typeof v.kind === "string" && Object.hasOwn(KINDS, v.kind);
}

/** Whatever a rejected call produced, as an `ErrorPayload` a person can read. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (isErrorPayload(error)) return error;
  const message =
    typeof error === "string"
      ? error
      : error instanceof Error
        ? error.message
        : "Switchboard could not reach its core. Restart the app; if it happens again, report it.";
  // The shell did not say what kind of failure it was; treat it as a storage problem.
  return { kind: "storage", message: message || "Something went wrong. Try again." };
}

/** Calls a command; `args` is its JSON arguments, or bytes sent as the request's raw body. */
export async function call<T>(command: string, args?: Record<string, unknown> | Uint8Array): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toErrorPayload(error);
  }
}

/** Calls `handler` with each payload of the event until the returned function is called. */
export function listenTo<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}
