// The Client Connections screen's keyboard: which key does what, as a plain function of the key
// and of where the screen stands, so it can be tested without rendering. The screen applies the
// action (ClientTable.svelte) and calls preventDefault for every action it is given.

/** The parts of a KeyboardEvent the screen's keys depend on. */
export type Keystroke = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "defaultPrevented">;

/** Where a keystroke lands: the search box, another text field, a button or link, or elsewhere. */
export type KeyTarget = "search" | "field" | "control" | "other";

export type KeyContext = {
  target: KeyTarget;
  /** The row Settings menu is open: it handles its own keys. */
  menuOpen: boolean;
  /** The search box's text. */
  search: string;
  /** Position of the selected row in the view, or -1. */
  selectedRow: number;
  rowCount: number;
  /** Rows a PageUp/PageDown moves by. */
  pageRows: number;
};

export type KeyAction =
  /** Focus the search box and select its text (Ctrl+F, Cmd+F, `/`). */
  | { kind: "focus-search" }
  /** Empty the search box, keeping the selected row in view (Escape with text in search). */
  | { kind: "clear-search" }
  /** Move focus from the search box to the grid (Escape in an empty search box). */
  | { kind: "focus-grid" }
  /** Select the row at `position` (clamped to the rows by the screen). With `focusGrid`, the grid
   * takes focus if nothing has it, so the next keys go on moving. */
  | { kind: "select"; position: number; focusGrid: boolean }
  /** Open the selected row's Client Console (Enter) or Work list (W). */
  | { kind: "open-console" }
  | { kind: "open-work-list" };

/** Tells `target` apart for `tableKeyAction`; `search` is the screen's search box. */
export function keyTarget(target: EventTarget | null, search: HTMLInputElement | null | undefined): KeyTarget {
  if (target !== null && target === search) return "search";
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) {
    return "field";
  }
  if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement) return "control";
  return "other";
}

/** What `key` does on the screen, or null when the screen leaves it alone. */
export function tableKeyAction(key: Keystroke, ctx: KeyContext): KeyAction | null {
  if (ctx.menuOpen || key.defaultPrevented || key.altKey) return null;
  const inSearch = ctx.target === "search";
  const inTextField = inSearch || ctx.target === "field";

  if ((key.ctrlKey || key.metaKey) && key.key.toLowerCase() === "f") return { kind: "focus-search" };
  if (key.ctrlKey || key.metaKey) return null;
  if (key.key === "/" && !inTextField) return { kind: "focus-search" };
  if (ctx.target === "field") return null;
  if (key.key === "Escape") {
    if (ctx.search !== "") return { kind: "clear-search" };
    return inSearch ? { kind: "focus-grid" } : null;
  }

  const selected = ctx.selectedRow;
  let position: number | null = null;
  switch (key.key) {
    case "ArrowDown":
      position = selected < 0 ? 0 : selected + 1;
      break;
    case "ArrowUp":
      position = selected < 0 ? 0 : selected - 1;
      break;
    case "PageDown":
      position = selected < 0 ? 0 : selected + ctx.pageRows;
      break;
    case "PageUp":
      position = selected < 0 ? 0 : selected - ctx.pageRows;
      break;
    // In the search box Home and End move the caret.
    case "Home":
      position = inSearch ? null : 0;
      break;
    case "End":
      position = inSearch ? null : ctx.rowCount - 1;
      break;
  }
  if (position !== null) return { kind: "select", position, focusGrid: !inSearch };

  if (key.key === "Enter" && ctx.target !== "control") return selected >= 0 ? { kind: "open-console" } : null;
  if ((key.key === "w" || key.key === "W") && !inSearch && !key.shiftKey && selected >= 0) return { kind: "open-work-list" };
  return null;
}
