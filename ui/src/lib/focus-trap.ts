// Keeps keyboard focus inside a modal while it is open: focus moves in when it opens, Tab and
// Shift+Tab cycle through its controls, Escape anywhere inside closes it, focus that lands outside
// (a click on the page behind, a script) is brought back, and on close focus goes back to the
// control that opened it.
import type { ActionReturn } from "svelte/action";

export interface FocusTrapOptions {
  /** Escape was pressed with focus inside: close the modal. */
  onescape: () => void;
}

const TABBABLE = [
  "a[href]",
  "button:not(:disabled)",
  "input:not(:disabled):not([type='hidden'])",
  "select:not(:disabled)",
  "textarea:not(:disabled)",
  "summary",
  "[tabindex]",
  "[contenteditable='true']",
].join(", ");

/** The controls Tab reaches inside `root`, in document order. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(TABBABLE)).filter((el) => {
    if (el.tabIndex < 0 || el.closest("[inert], [hidden]")) return false;
    // Of a group of radio buttons Tab reaches the checked one (or the first when none is).
    if (el instanceof HTMLInputElement && el.type === "radio" && el.name && !el.checked) {
      const group = Array.from(root.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${CSS.escape(el.name)}"]`));
      if (group.some((r) => r.checked) || group[0] !== el) return false;
    }
    return true;
  });
}

/** What gets focus when the modal opens: `[data-autofocus]`, else its first control, else itself. */
function initialFocus(node: HTMLElement): HTMLElement {
  return node.querySelector<HTMLElement>("[data-autofocus]") ?? tabbables(node)[0] ?? node;
}

export function focusTrap(node: HTMLElement, options: FocusTrapOptions): ActionReturn<FocusTrapOptions> {
  let current = options;
  const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  if (!node.hasAttribute("tabindex")) node.tabIndex = -1;
  initialFocus(node).focus();

  function onkeydown(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      current.onescape();
      return;
    }
    if (event.key !== "Tab") return;
    const list = tabbables(node);
    event.preventDefault();
    if (list.length === 0) {
      node.focus();
      return;
    }
    const at = list.indexOf(document.activeElement as HTMLElement);
    const next = event.shiftKey ? (at <= 0 ? list.length - 1 : at - 1) : at < 0 || at === list.length - 1 ? 0 : at + 1;
    list[next].focus();
  }

  // Focus that leaves the modal (not through Tab, which the handler above keeps inside) comes back.
  function onfocusin(event: FocusEvent) {
    const target = event.target as Element | null;
    if (!target || node.contains(target) || !node.isConnected) return;
    // Another modal opened over this one keeps its own focus.
    if (target.closest?.('[aria-modal="true"]')) return;
    initialFocus(node).focus();
  }

  node.addEventListener("keydown", onkeydown);
  document.addEventListener("focusin", onfocusin);
  return {
    update(next) {
      current = next;
    },
    destroy() {
      node.removeEventListener("keydown", onkeydown);
      document.removeEventListener("focusin", onfocusin);
      // Back to the control that opened the modal, if it is still on screen.
      if (opener?.isConnected) opener.focus();
    },
  };
}
