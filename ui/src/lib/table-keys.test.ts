import { describe, expect, it } from "vitest";
import { keyTarget, tableKeyAction, type KeyContext, type Keystroke } from "./table-keys";

const key = (k: string, mods: Partial<Keystroke> = {}): Keystroke => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  defaultPrevented: false,
  ...mods,
});
const ctx = (over: Partial<KeyContext> = {}): KeyContext => ({
  target: "other",
  menuOpen: false,
  search: "",
  selectedRow: 3,
  rowCount: 100,
  pageRows: 10,
  ...over,
});

describe("tableKeyAction", () => {
  it("arrows, PageUp/PageDown, Home/End select a row; the first key with nothing selected selects the first", () => {
    expect(tableKeyAction(key("ArrowDown"), ctx())).toEqual({ kind: "select", position: 4, focusGrid: true });
    expect(tableKeyAction(key("ArrowUp"), ctx())).toEqual({ kind: "select", position: 2, focusGrid: true });
    expect(tableKeyAction(key("PageDown"), ctx())).toEqual({ kind: "select", position: 13, focusGrid: true });
    expect(tableKeyAction(key("PageUp"), ctx())).toEqual({ kind: "select", position: -7, focusGrid: true });
    expect(tableKeyAction(key("Home"), ctx())).toEqual({ kind: "select", position: 0, focusGrid: true });
    expect(tableKeyAction(key("End"), ctx())).toEqual({ kind: "select", position: 99, focusGrid: true });
    for (const k of ["ArrowDown", "ArrowUp", "PageDown", "PageUp"]) {
      expect(tableKeyAction(key(k), ctx({ selectedRow: -1 }))).toEqual({ kind: "select", position: 0, focusGrid: true });
    }
  });

  it("in the search box arrows move the selection without taking focus; Home and End move the caret", () => {
    const inSearch = ctx({ target: "search", search: "den" });
    expect(tableKeyAction(key("ArrowDown"), inSearch)).toEqual({ kind: "select", position: 4, focusGrid: false });
    expect(tableKeyAction(key("Home"), inSearch)).toBeNull();
    expect(tableKeyAction(key("End"), inSearch)).toBeNull();
  });

  it("Ctrl+F, Cmd+F and / focus the search; / types in a text field", () => {
    expect(tableKeyAction(key("f", { ctrlKey: true }), ctx())).toEqual({ kind: "focus-search" });
    expect(tableKeyAction(key("F", { metaKey: true }), ctx({ target: "field" }))).toEqual({ kind: "focus-search" });
    expect(tableKeyAction(key("/"), ctx())).toEqual({ kind: "focus-search" });
    expect(tableKeyAction(key("/"), ctx({ target: "search" }))).toBeNull();
    expect(tableKeyAction(key("/"), ctx({ target: "field" }))).toBeNull();
    expect(tableKeyAction(key("a", { ctrlKey: true }), ctx())).toBeNull();
  });

  it("Escape clears the search, then takes focus from the search box to the grid", () => {
    expect(tableKeyAction(key("Escape"), ctx({ search: "den" }))).toEqual({ kind: "clear-search" });
    expect(tableKeyAction(key("Escape"), ctx({ target: "search", search: "den" }))).toEqual({ kind: "clear-search" });
    expect(tableKeyAction(key("Escape"), ctx({ target: "search" }))).toEqual({ kind: "focus-grid" });
    expect(tableKeyAction(key("Escape"), ctx())).toBeNull();
  });

  it("Enter opens the Client Console and W the Work list of the selected row", () => {
    expect(tableKeyAction(key("Enter"), ctx())).toEqual({ kind: "open-console" });
    expect(tableKeyAction(key("Enter"), ctx({ target: "search" }))).toEqual({ kind: "open-console" });
    expect(tableKeyAction(key("w"), ctx())).toEqual({ kind: "open-work-list" });
    expect(tableKeyAction(key("W"), ctx())).toEqual({ kind: "open-work-list" });
    expect(tableKeyAction(key("Enter"), ctx({ selectedRow: -1 }))).toBeNull();
    expect(tableKeyAction(key("w"), ctx({ selectedRow: -1 }))).toBeNull();
  });

  it("Enter on a button or link is the control's own; W in search types; Shift+W does nothing", () => {
    expect(tableKeyAction(key("Enter"), ctx({ target: "control" }))).toBeNull();
    expect(tableKeyAction(key("w"), ctx({ target: "search" }))).toBeNull();
    expect(tableKeyAction(key("W", { shiftKey: true }), ctx())).toBeNull();
  });

  it("leaves keys alone in other text fields, with the menu open, with Alt, or once handled", () => {
    for (const k of ["ArrowDown", "Enter", "Escape", "w", "Home"]) {
      expect(tableKeyAction(key(k), ctx({ target: "field", search: "x" }))).toBeNull();
      expect(tableKeyAction(key(k), ctx({ menuOpen: true, search: "x" }))).toBeNull();
      expect(tableKeyAction(key(k, { altKey: true }), ctx({ search: "x" }))).toBeNull();
      expect(tableKeyAction(key(k, { defaultPrevented: true }), ctx({ search: "x" }))).toBeNull();
    }
    expect(tableKeyAction(key("f", { ctrlKey: true }), ctx({ menuOpen: true }))).toBeNull();
  });
});

describe("keyTarget", () => {
  it("tells the search box, other fields, controls and the rest apart", () => {
    const search = document.createElement("input");
    expect(keyTarget(search, search)).toBe("search");
    expect(keyTarget(document.createElement("input"), search)).toBe("field");
    expect(keyTarget(document.createElement("textarea"), search)).toBe("field");
    expect(keyTarget(document.createElement("select"), search)).toBe("field");
    expect(keyTarget(document.createElement("button"), search)).toBe("control");
    expect(keyTarget(document.createElement("a"), search)).toBe("control");
    expect(keyTarget(document.createElement("div"), search)).toBe("other");
    expect(keyTarget(document.body, undefined)).toBe("other");
    expect(keyTarget(null, null)).toBe("other");
  });
});
