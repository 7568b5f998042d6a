// The one place the UI talks to the Tauri shell. The typed function of every command and the
// listener of every event are generated from the shell's declarations (commands.ts); what is
// here adds what the window does around a few of them.
import type { ClientTable } from "../bindings/ClientTable";
import { decodeClientTable } from "./client-table";
import {
  loadClientTable as loadClientTablePayload,
  loadClientTableHead as loadClientTableHeadPayload,
  tablePainted,
} from "./commands";
import { mark, milestones } from "./perf";

export * from "./commands";
export { isErrorPayload, toErrorPayload } from "./invoke";

export async function loadClientTable(): Promise<ClientTable> {
  return decodeClientTable(await loadClientTablePayload());
}

/**
 * The first rows in the order the screen first shows them (by name), with the summary of all the
 * files: what start-up paints while `loadClientTable` brings the rest. When `files` holds fewer
 * files than `summary.total`, more are on their way.
 */
export async function loadClientTableHead(): Promise<ClientTable> {
  return decodeClientTable(await loadClientTableHeadPayload());
}

let paintReported: "nothing" | "first rows" | "all rows" = "nothing";

/**
 * Tells the shell the table (or the empty state) is on screen: once when the first rows are,
 * and once more when all of them are (`complete`). Later calls are not sent.
 */
export function reportTablePainted(complete: boolean): void {
  if (paintReported === "all rows" || (paintReported === "first rows" && !complete)) return;
  const first = paintReported === "nothing";
  paintReported = complete ? "all rows" : "first rows";
  mark(first ? "table-rendered" : "all-rows-rendered");
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      mark(first ? "table-painted" : "all-rows-painted");
      tablePainted(milestones(), complete).catch(() => {
        /* The benchmark hook is best-effort; the app works without it. */
      });
    }),
  );
}

/** For tests only: lets a fresh App instance report its first paint again. */
export function resetTablePaintedForTests(): void {
  paintReported = "nothing";
}
