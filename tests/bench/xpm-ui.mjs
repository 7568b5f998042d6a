// XPM link pop-up benchmark in the real webview: with the link pop-up open over 15,000
// cached XPM clients, a keystroke in its search box → painted results. Measured inside the page
// as tests/bench/ui.mjs does (measureInPage in lib-stats.mjs):
//   work  = the keystroke → Svelte has updated the DOM and layout is done
//   frame = the keystroke → after the next animation frame has been painted
// "frame" is the figure held to the bar (≤ 16 ms). Samples are sampleGap() apart (lib-stats.mjs).
//
//   SWITCHBOARD_APP=<binary> node tests/bench/xpm-ui.mjs --data-dir DIR --export-dir DIR --seeded JSON
// (JSON: what crates/core/examples/seed_xpm printed: the file to open the pop-up on.)
// Run it through scripts/bench-xpm (Xvfb, 15,000 XPM clients seeded through the core).

import { parseArgs } from 'node:util';
import { launchApp } from '../e2e/lib/harness.js';
import { fmt, measureInPage, sampleGap, SEARCH_INPUT, stats, typingAndDeleting } from './lib-stats.mjs';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'export-dir': { type: 'string' },
    seeded: { type: 'string' },
    runs: { type: 'string', default: '30' },
  },
});
const RUNS = Number(values.runs);
const seeded = JSON.parse(values.seeded);

const { browser, stop } = await launchApp({ dataDir: values['data-dir'], exportDir: values['export-dir'] });
try {
  await browser.$('[data-testid="shown"]').waitForExist({ timeout: 60000 });
  const row = `[role="row"][data-id="${seeded.file_id}"]`;
  await (await browser.$(SEARCH_INPUT)).addValue(seeded.file_name);
  await (await browser.$(`${row} [aria-colindex="7"] button`)).click();
  await browser.$('[data-testid="xpm-count"]').waitForExist({ timeout: 30000 });
  const placeholder = await (await browser.$('[data-testid="xpm-search"]')).getAttribute('placeholder');
  console.log(`pop-up open: ${placeholder}`);

  // Typing and deleting words the generated names contain, one keystroke per sample.
  const queries = typingAndDeleting(['holdings', 'smith', 'kauri'], RUNS + 2);
  const frame = [];
  const work = [];
  for (const [i, q] of queries.entries()) {
    await browser.pause(sampleGap());
    const r = await browser.executeAsync(measureInPage, {
      act: 'type',
      selector: '[data-testid="xpm-search"]',
      value: q,
      laidOut: ['#xpm-results', '[data-testid="xpm-option"]'],
      items: '[data-testid="xpm-option"]',
      itemKey: 'data-uuid',
      count: '[data-testid="xpm-count"]',
    });
    if (!r.changed && q !== '') console.log(`  note: "${q}" did not change the results (${r.shown})`);
    if (i >= 2) { frame.push(r.frame); work.push(r.work); }
  }
  console.log(`XPM pop-up search over 15,000 XPM clients in the real webview, ${RUNS} keystrokes:`);
  console.log(`  keystroke → painted results: ${fmt(stats(frame))}   [work only: ${fmt(stats(work))}]`);
  console.log(`  bar: <= 16 ms: ${stats(frame).median <= 16 ? 'PASS (median)' : 'OVER THE BAR (median)'}`);
} finally {
  await stop();
}
