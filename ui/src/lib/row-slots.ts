// Which row element of the grid draws which file. The grid keeps one row element per slot and
// never moves them (each row is placed by its own transform), so a file can be drawn in any slot.
// What a slot costs to re-fill depends on what it drew before: each cell with two looks (the
// Connection cell's tick or button, the Software cell's button or plain logo, the dashboards' arrow
// or "-") swaps its markup when the new file has the other look, and building those controls is
// most of a sort's script time (a row whose looks stay only has attributes and text to update).
// So each file goes back to the slot that drew it, if there is one; else to the free slot whose
// last file had the most looks in common with it (all of them, if one did).
import type { ClientFile } from "../bindings/ClientFile";
import { accountDashboardAvailable, xpmDashboardAvailable } from "./format";
import { hasHiddenCharacters } from "./visible-name";

/** The looks of a row's cells, as bits: two rows of the same shape draw the same markup. */
export function rowShape(file: ClientFile): number {
  const kind = file.software.kind;
  return (
    (kind === "xero" ? 1 : 0) |
    (kind === "other" ? 2 : 0) |
    (file.connection.state === "connected" ? 4 : 0) |
    (accountDashboardAvailable(file) ? 8 : 0) |
    (xpmDashboardAvailable(file) ? 16 : 0) |
    (hasHiddenCharacters(file.display_name) ? 32 : 0)
  );
}

/**
 * Slots for the files of the rows in the window, in on-screen order: `files[i]` is drawn in slot
 * `result[i]`, a permutation of 0..files.length-1. `previous[slot]` is the file each slot drew
 * before (-1 for none; slots beyond the new count are given up). Files are told apart by any
 * number (their index in the model), and `shapeOf` gives the shape of one.
 */
export function assignSlots(
  previous: readonly number[],
  files: readonly number[],
  shapeOf: (file: number) => number,
): number[] {
  const n = files.length;
  const result = new Array<number>(n).fill(-1);
  const taken = new Array<boolean>(n).fill(false);
  // 1. A file still in the window stays where it is.
  const slotOfFile = new Map<number, number>();
  for (let slot = 0; slot < Math.min(n, previous.length); slot++) {
    if (previous[slot] >= 0) slotOfFile.set(previous[slot], slot);
  }
  let left = 0;
  for (let i = 0; i < n; i++) {
    const slot = slotOfFile.get(files[i]);
    if (slot !== undefined && !taken[slot]) {
      result[i] = slot;
      taken[slot] = true;
    } else left++;
  }
  if (left === 0) return result;
  // 2. The free slot whose last file's shape differs from this one's in the fewest looks (the
  // same shape if there is one): each look that differs is a cell that builds other markup.
  const previousShape = new Array<number>(n).fill(-1);
  for (let slot = 0; slot < n; slot++) {
    if (!taken[slot] && slot < previous.length && previous[slot] >= 0) previousShape[slot] = shapeOf(previous[slot]);
  }
  for (let i = 0; i < n; i++) {
    if (result[i] !== -1) continue;
    const shape = shapeOf(files[i]);
    let best = -1;
    let bestCost = Infinity;
    for (let slot = 0; slot < n && bestCost > 0; slot++) {
      if (taken[slot]) continue;
      // A slot that drew nothing has nothing to keep: it goes last.
      const cost = previousShape[slot] < 0 ? 64 : bitCount(previousShape[slot] ^ shape);
      if (cost < bestCost) {
        best = slot;
        bestCost = cost;
      }
    }
    result[i] = best;
    taken[best] = true;
  }
  return result;
}

function bitCount(x: number): number {
  let count = 0;
  for (let v = x; v !== 0; v &= v - 1) count++;
  return count;
}
