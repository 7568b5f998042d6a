// What a screen reader reads out for each control of the table: every button and link has a name
// of its own (text or aria-label, not only a tooltip), and no name or tooltip speaks of the mouse
// ("Click to…", "Hover…"), which means nothing to someone using keys or a screen reader.
import { fireEvent } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { generateFiles } from "../test/fixtures";
import { renderTable } from "../test/render";

const MOUSE_WORDS = /\b(click|hover|mouse|tap)/i;

/** The accessible name the way the browser computes it for these controls (enough for this markup). */
function nameOf(el: Element): string {
  const labelledBy = el.getAttribute("aria-labelledby");
  if (labelledBy) {
    return labelledBy
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ")
      .trim();
  }
  const label = el.getAttribute("aria-label");
  if (label) return label.trim();
  const clone = el.cloneNode(true) as Element;
  clone.querySelectorAll('[aria-hidden="true"], [hidden]').forEach((h) => h.remove());
  return clone.textContent!.replace(/\s+/g, " ").trim();
}

/** Lower-case words, punctuation dropped. */
const words = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

const controls = (root: ParentNode) =>
  Array.from(root.querySelectorAll<HTMLElement>('button, a[href], input, select, [role="button"], [role="menuitem"], [role="img"]')).filter(
    (el) => !el.closest("[hidden]"),
  );

describe("control names", () => {
  // Files in every state the generator makes: connected, needing reconnect, other software, XPM links…
  const files = generateFiles(40, 7);

  it("every control in the table has its own name, not only a tooltip", () => {
    const t = renderTable(files, {}, 46 + 40 * 48);
    const unnamed = controls(t.container)
      .filter((el) => el.tagName !== "INPUT" || el.getAttribute("type") !== "hidden")
      .filter((el) => nameOf(el) === "")
      .map((el) => el.outerHTML.slice(0, 160));
    expect(unnamed).toEqual([]);
  });

  it("a control's spoken name holds the words it shows, so speech users can say them", () => {
    const t = renderTable(files, {}, 46 + 40 * 48);
    const mismatched = controls(t.container)
      .filter((el) => el.hasAttribute("aria-label") && el.matches('button, a[href], [role="button"], [role="menuitem"]'))
      .map((el) => {
        const clone = el.cloneNode(true) as Element;
        clone.querySelectorAll('[aria-hidden="true"], [hidden], svg').forEach((h) => h.remove());
        return { shown: clone.textContent!.replace(/\s+/g, " ").trim(), name: el.getAttribute("aria-label")! };
      })
      // As words: "Connect" is not said by "Switchboard connects…".
      .filter(({ shown, name }) => /\w{2,}/.test(shown) && !` ${words(name)} `.includes(` ${words(shown)} `))
      .map(({ shown, name }) => `shows "${shown}", named "${name}"`);
    expect([...new Set(mismatched)]).toEqual([]);
  });

  it("no name or tooltip in the table or its Settings menu talks about the mouse", async () => {
    const t = renderTable(files, {}, 46 + 40 * 48);
    await fireEvent.click(t.cell(files[0].id, 9).querySelector("button")!);
    const said = Array.from(document.querySelectorAll("[title], [aria-label], button, a, p, figcaption"))
      .flatMap((el) => [el.getAttribute("title") ?? "", el.getAttribute("aria-label") ?? "", el.matches("button, a, p, figcaption") ? nameOf(el) : ""])
      .filter((text) => MOUSE_WORDS.test(text));
    expect([...new Set(said)]).toEqual([]);
  });
});
