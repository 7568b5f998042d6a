// The accessibility audit of the real window: axe-core's own source injected through WebDriver
// (no change to the app, nothing loaded from a page), run over what is on screen, and every
// violation of impact "serious" or "critical" reported with its rule, impact, elements and summary.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const FAILING = new Set(['serious', 'critical']);

/** Loads axe into the window unless this page already has it (hash routes keep it). */
async function inject(browser) {
  const present = await browser.execute(() => typeof window.axe === 'object' && typeof window.axe.run === 'function');
  if (present) return;
  await browser.execute(AXE_SOURCE);
  const loaded = await browser.execute(() => typeof window.axe === 'object' && window.axe.version);
  if (!loaded) throw new Error('axe-core did not load in the window');
}

/**
 * Runs axe over the whole document (or `include`, a CSS selector) and returns the violations of
 * impact serious or critical, each { id, impact, help, nodes: [{ target, summary }] }.
 */
export async function axeViolations(browser, { include } = {}) {
  await inject(browser);
  const result = await browser.execute(async (selector) => {
    try {
      // What is on screen once it has settled: transitions (a row's links fading in) and other
      // finite animations end first; endless ones (a spinner) are left running.
      const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
      await Promise.race([Promise.allSettled(finite.map((a) => a.finished)), new Promise((r) => setTimeout(r, 2000))]);
      const context = selector ? { include: [selector] } : document;
      const run = await window.axe.run(context, { resultTypes: ['violations'] });
      return {
        violations: run.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), impact: n.impact, summary: n.failureSummary })),
        })),
      };
    } catch (error) {
      return { error: String(error && error.stack ? error.stack : error) };
    }
  }, include ?? null);
  if (result.error) throw new Error(`axe failed to run: ${result.error}`);
  return result.violations.filter((v) => FAILING.has(v.impact));
}

/** The violations as lines a person can act on: rule, impact, element, what is wrong. */
export function describeViolations(screen, violations) {
  const lines = [`${screen}: ${violations.length} serious or critical accessibility violation(s)`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact}): ${v.help}`);
    for (const n of v.nodes) {
      lines.push(`    at ${n.target}`);
      for (const line of (n.summary ?? '').split('\n')) if (line.trim()) lines.push(`      ${line.trim()}`);
    }
  }
  return lines.join('\n');
}
