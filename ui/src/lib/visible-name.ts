// Client names come from Xero and from people: untrusted text. A bidirectional override makes
// "\u202Egnp.exe" read "exe.png", an invisible character makes two names look alike, and a line
// break pushes a table row's second line out of the row. So a name is drawn with each such
// character replaced by a visible mark (line breaks by "↵", the others by their code point,
// e.g. ⟨U+202E⟩); the stored name is never changed.

/** One run of a name as drawn: plain text, or the mark standing for one hidden character. */
export interface NamePart {
  text: string;
  /** Set on a mark: what the character is, for its tooltip. */
  hidden?: string;
}

// Line breaks of every kind, \r\n as one.
const LINE_BREAK = "\\r\\n|[\\n\\r\\v\\f\\u0085\\u2028\\u2029]";
// C0 and C1 controls (tab too), the bidirectional embeddings, overrides, isolates and marks,
// zero-width spaces and word joiners, and the byte-order mark. Not U+200C/U+200D (zero-width
// non-joiner and joiner): Persian, Indic scripts and emoji sequences need them in ordinary
// names, and they reorder nothing.
const HIDDEN = "[\\u0000-\\u0008\\u0009\\u000E-\\u001F\\u007F-\\u0084\\u0086-\\u009F\\u061C\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]";
const ANY = new RegExp(`${LINE_BREAK}|${HIDDEN}`);
const EACH = new RegExp(`(${LINE_BREAK})|${HIDDEN}`, "g");

const NAMES: Record<number, string> = {
  0x09: "tab",
  0x061c: "Arabic letter mark",
  0x200b: "zero-width space",
  0x200e: "left-to-right mark",
  0x200f: "right-to-left mark",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2060: "word joiner",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
  0xfeff: "zero-width no-break space",
};

export const LINE_BREAK_MARK = "↵";

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

function markOf(match: string, lineBreak: string | undefined): NamePart {
  if (lineBreak !== undefined) return { text: LINE_BREAK_MARK, hidden: "Line break" };
  const what = NAMES[match.codePointAt(0)!] ?? "control character";
  return { text: `⟨${codePoint(match)}⟩`, hidden: `Hidden character ${codePoint(match)} (${what})` };
}

/** Whether `name` holds a character that is drawn as a mark. */
export function hasHiddenCharacters(name: string): boolean {
  return ANY.test(name);
}

/** `name` as drawn: plain runs and marks, in order. */
export function nameParts(name: string): NamePart[] {
  if (!ANY.test(name)) return [{ text: name }];
  const parts: NamePart[] = [];
  let from = 0;
  for (const match of name.matchAll(EACH)) {
    if (match.index > from) parts.push({ text: name.slice(from, match.index) });
    parts.push(markOf(match[0], match[1]));
    from = match.index + match[0].length;
  }
  if (from < name.length) parts.push({ text: name.slice(from) });
  return parts;
}

/** The text the screen shows for `name` (for tooltips, labels and search). */
export function visibleName(name: string): string {
  if (!ANY.test(name)) return name;
  return nameParts(name).map((p) => p.text).join("");
}
