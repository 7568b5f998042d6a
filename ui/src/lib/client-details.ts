// Loads one client's details for a page, re-loading when the id changes.
import type { ClientDetails } from "../bindings/ClientDetails";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { FileId } from "../bindings/FileId";
import { clientDetails } from "./ipc";

export type DetailsState =
  | { status: "loading" }
  | { status: "ready"; details: ClientDetails }
  | { status: "error"; error: ErrorPayload };

export function loadDetails(id: FileId, set: (state: DetailsState) => void): () => void {
  let cancelled = false;
  set({ status: "loading" });
  clientDetails(id).then(
    (details) => !cancelled && set({ status: "ready", details }),
    (error: ErrorPayload) => !cancelled && set({ status: "error", error }),
  );
  return () => {
    cancelled = true;
  };
}
