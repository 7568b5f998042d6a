// Text contrast of the global style sheets: every text colour they set reads at 4.5:1 or more
// (WCAG 2 AA for normal text) on the background it is drawn on, so a colour change cannot make
// text hard to read unnoticed.
//
// What the background is, for a rule that sets a text colour:
// - the rule's own solid background, when it sets one;
// - else the background of the rule it refines (the same selector without trailing states such
//   as `:hover` or `[aria-pressed="true"]`, or without its last descendant part), when that sets one;
// - else any of the surfaces text can be on: the :root tokens named --bg, --surface…, --…-soft…
//   and --row-… (plain, hovered and selected table rows, menus, pills, tinted banners).
// A rule that sets only a background is checked with the text colour of the rule it refines; one
// that refines none must use a surface token, as any text may then be drawn on it.
/// <reference types="node" />
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Read from disk: Vitest hands a test no CSS through imports.
const here = import.meta.dirname;
const sheets: Record<string, string> = Object.fromEntries(
  readdirSync(here)
    .filter((name) => name.endsWith(".css"))
    .map((name) => [`./${name}`, readFileSync(join(here, name), "utf8")]),
);

type Rgba = [number, number, number, number];

interface Rule {
  sheet: string;
  selector: string;
  decls: Map<string, string>;
}

function stripComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, "");
}

/** Flat rules (selector split on commas); @keyframes and other at-rules' own blocks are skipped. */
function parseRules(sheet: string, css: string): Rule[] {
  const rules: Rule[] = [];
  const text = stripComments(css);
  let depth = 0;
  let start = 0;
  let atBlock = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{") {
      const head = text.slice(start, i).trim();
      if (head.startsWith("@")) {
        if (head.startsWith("@keyframes")) atBlock = depth;
        start = i + 1;
        depth++;
        continue;
      }
      const end = text.indexOf("}", i);
      const body = text.slice(i + 1, end);
      if (atBlock < 0) {
        const decls = new Map<string, string>();
        for (const d of body.split(";")) {
          const at = d.indexOf(":");
          if (at > 0) decls.set(d.slice(0, at).trim(), d.slice(at + 1).trim());
        }
        for (const selector of head.split(",")) rules.push({ sheet, selector: selector.trim().replace(/\s+/g, " "), decls });
      }
      i = end;
      start = end + 1;
    } else if (c === "}") {
      depth--;
      if (atBlock === depth) atBlock = -1;
      start = i + 1;
    }
  }
  return rules;
}

const all = Object.entries(sheets).flatMap(([path, css]) => parseRules(path, css));
const tokens = new Map<string, string>();
for (const rule of all) {
  if (rule.selector !== ":root") continue;
  for (const [name, value] of rule.decls) if (name.startsWith("--")) tokens.set(name, value);
}

/** A colour value (hex, rgb(a), white, or a var() chain, with its fallback) as RGBA, or null. */
function resolve(value: string, seen = new Set<string>()): Rgba | null {
  const v = value.trim().replace(/\s*!important$/, "");
  const ref = /^var\((--[\w-]+)\s*(?:,\s*(.+))?\)$/.exec(v);
  if (ref) {
    const [, name, fallback] = ref;
    if (seen.has(name)) return null;
    seen.add(name);
    const own = tokens.get(name);
    return own !== undefined ? resolve(own, seen) : fallback !== undefined ? resolve(fallback, seen) : null;
  }
  if (v === "white") return [255, 255, 255, 1];
  if (v === "black") return [0, 0, 0, 1];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 1];
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(v);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
  return null;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** `top` painted over the opaque `under`. */
function over(top: Rgba, under: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1];
}

function contrast(fg: Rgba, bg: Rgba): number {
  const solidBg = bg[3] < 1 ? over(bg, [255, 255, 255, 1]) : bg;
  const solidFg = fg[3] < 1 ? over(fg, solidBg) : fg;
  const [hi, lo] = [luminance(solidFg), luminance(solidBg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}

/** Rules that draw no readable text, and why. */
const NOT_TEXT: Record<string, string> = {
  ".brand-sep": "the slash between the app's name and the screen's title, hidden from screen readers",
  ".progress-track": "the progress bar's groove: no text inside",
  ".progress-fill": "the progress bar's fill: no text inside",
};

const SURFACE = /^--(bg|surface(-\d+)?|[a-z]+-soft(-\d+)?|row-[a-z]+)$/;
const surfaces = [...tokens.keys()].filter((name) => SURFACE.test(name));

/** The rule's text colour value, if it sets one that is a colour. */
function textColour(rule: Rule): string | null {
  const v = rule.decls.get("color");
  return v && resolve(v) ? v : null;
}

/** The rule's own background colour value, if it paints one (a custom --rowbg counts). */
function background(rule: Rule): string | null {
  for (const prop of ["background-color", "background", "--rowbg"]) {
    const v = rule.decls.get(prop);
    if (v && resolve(v)) return v;
  }
  return null;
}

/** The selectors a selector refines, nearest first: trailing states removed, then its last part. */
function refined(selector: string): string[] {
  const out: string[] = [];
  let s = selector;
  for (;;) {
    const bare = s.replace(/(:not\([^)]*\)|:[\w-]+(\([^)]*\))?|\[[^\]]*\])$/, "").trim();
    if (bare !== s && bare !== "" && !/[\s>+~]$/.test(bare)) {
      s = bare;
      out.push(s);
      continue;
    }
    const parent = s.replace(/[\s>+~]+[^\s>+~]+$/, "").trim();
    if (parent === s || parent === "") return out;
    s = parent;
    out.push(s);
  }
}

function nearest(selector: string, pick: (rule: Rule) => string | null): string | null {
  for (const candidate of refined(selector)) {
    for (const rule of all) {
      if (rule.selector === candidate) {
        const v = pick(rule);
        if (v) return v;
      }
    }
  }
  return null;
}

interface Pair {
  where: string;
  fg: string;
  bg: string;
}

function pairs(): { pairs: Pair[]; untokened: string[] } {
  const out: Pair[] = [];
  const untokened: string[] = [];
  for (const rule of all) {
    if (rule.selector === ":root" || rule.selector in NOT_TEXT) continue;
    const where = `${rule.sheet} ${rule.selector}`;
    const fg = textColour(rule);
    const bg = background(rule);
    if (fg) {
      const under = bg ?? nearest(rule.selector, background);
      if (under) out.push({ where, fg, bg: under });
      else for (const s of surfaces) out.push({ where: `${where} (on ${s})`, fg, bg: `var(${s})` });
    } else if (bg) {
      const text = nearest(rule.selector, textColour);
      if (text) out.push({ where, fg: text, bg });
      else if (!SURFACE.test(/^var\((--[\w-]+)/.exec(bg.trim())?.[1] ?? "")) {
        // A background any text may land on must be a surface token (checked against every text colour).
        if (resolve(bg)![3] === 1) untokened.push(`${where}: background ${bg}`);
      }
    }
  }
  return { pairs: out, untokened };
}

describe("text contrast of the style sheets (WCAG AA, 4.5:1)", () => {
  it("finds the colour tokens and the surfaces", () => {
    expect(Object.keys(sheets)).toContain("./app.css");
    expect(surfaces).toEqual(expect.arrayContaining(["--bg", "--surface", "--surface-2", "--row-hover", "--row-selected", "--accent-soft"]));
  });

  it("every text colour token reads on every surface token", () => {
    const textTokens = [...new Set(all.filter((r) => !(r.selector in NOT_TEXT)).map((r) => r.decls.get("color")).filter((v): v is string => !!v && /^var\(--/.test(v)))];
    expect(textTokens.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const fg of textTokens) {
      if (fg === "var(--on-accent)") continue; // only on strong fills, checked rule by rule
      for (const s of surfaces) {
        const ratio = contrast(resolve(fg)!, resolve(`var(${s})`)!);
        if (ratio < 4.5) failures.push(`${fg} on ${s}: ${ratio.toFixed(2)}:1`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("every rule's text colour reads on the background it is drawn on", () => {
    const { pairs: found } = pairs();
    expect(found.length).toBeGreaterThan(50);
    const failures = found
      .map((p) => ({ ...p, ratio: contrast(resolve(p.fg)!, resolve(p.bg)!) }))
      .filter((p) => p.ratio < 4.5)
      .map((p) => `${p.where}: ${p.fg} on ${p.bg} is ${p.ratio.toFixed(2)}:1`);
    expect(failures).toEqual([]);
  });

  it("a background that any text may be drawn on is a surface token", () => {
    expect(pairs().untokened).toEqual([]);
  });

  it("computes WCAG ratios", () => {
    expect(contrast([0, 0, 0, 1], [255, 255, 255, 1])).toBeCloseTo(21, 5);
    expect(contrast([119, 119, 119, 1], [255, 255, 255, 1])).toBeCloseTo(4.48, 2);
  });
});
