import { describe, expect, it } from "vitest";
import { makeFile } from "../test/fixtures";
import { assignSlots, rowShape } from "./row-slots";

const isPermutation = (slots: number[]) => [...slots].sort((a, b) => a - b).every((s, i) => s === i);

describe("assignSlots", () => {
  const shapeOf = (file: number) => file % 3; // files 0, 3, 6… share a shape, and so on

  it("fills slots in order when nothing was drawn", () => {
    expect(assignSlots([], [10, 11, 12], shapeOf)).toEqual([0, 1, 2]);
  });

  it("keeps a file that stays in the window in its slot (scrolling by a row re-fills one slot)", () => {
    // Slots drew files 0..4; scrolled by one, the window holds files 1..5.
    const slots = assignSlots([0, 1, 2, 3, 4], [1, 2, 3, 4, 5], shapeOf);
    expect(slots).toEqual([1, 2, 3, 4, 0]);
  });

  it("puts a new file in a slot that drew a file of its shape", () => {
    // Shapes of what the slots drew: 0, 1, 2. New files' shapes: 2, 0, 1.
    expect(assignSlots([0, 1, 2], [5, 6, 7], shapeOf)).toEqual([2, 0, 1]);
  });

  it("with no slot of the same shape, takes the one with the most looks in common", () => {
    const bits = (file: number) => file; // the file's number is its shape
    // Slots drew shapes 0b000 and 0b110; the new file 0b111 has two looks in common with slot 1.
    expect(assignSlots([0b000, 0b110], [0b111, 0b001], bits)).toEqual([1, 0]);
  });

  it("always gives a permutation", () => {
    const slots = assignSlots([0, 3, 6, 9], [1, 4, 7, 0], shapeOf);
    expect(slots[3]).toBe(0); // file 0 stays
    expect(isPermutation(slots)).toBe(true);
  });

  it("gives up slots beyond a smaller window and fills new ones in a larger one", () => {
    expect(isPermutation(assignSlots([0, 1, 2, 3, 4], [4, 9], shapeOf))).toBe(true);
    expect(assignSlots([0, 1, 2, 3, 4], [4, 9], shapeOf)[0]).not.toBe(4);
    const grown = assignSlots([7, 8], [7, 8, 20, 21], shapeOf);
    expect(grown.slice(0, 2)).toEqual([0, 1]);
    expect(isPermutation(grown)).toBe(true);
  });

  it("a file drawn twice in the window (never, but) still yields a permutation", () => {
    expect(isPermutation(assignSlots([1, 2], [1, 1], shapeOf))).toBe(true);
  });
});

describe("rowShape", () => {
  it("tells apart the looks the cells switch between", () => {
    const xero = makeFile({ id: 1 });
    const other = makeFile({ id: 2, software: { kind: "other", name: "Sage" }, xero: null });
    expect(rowShape(xero)).not.toBe(rowShape(other));
    expect(rowShape(xero)).toBe(rowShape(makeFile({ id: 3, display_name: "Another name" })));
    expect(rowShape(xero)).not.toBe(rowShape(makeFile({ id: 4, display_name: "Name\u202e" })));
  });
});
