// What the in-webview benchmarks share: the pause between samples, the keystrokes and clicks they
// time, how a sample is measured in the page, and what they print for a set of samples (ms):
// median, 95th percentile, max.

// Samples are taken this far apart, about the pace of fast typing (7 keys a second), so each one
// starts from a page at rest. Taken back to back, a sample would start while WebKit's compositor
// thread is still drawing the previous frame: under Xvfb that is software GL (llvmpipe) on both
// cores, and it slowed the next sample's own work by half or more.
const SAMPLE_GAP_MS = 150;

// A gap of SAMPLE_GAP_MS plus up to one frame (60 Hz), at random: a fixed gap of 150 ms is nine
// frames, so every sample of a run would start at about the same point of the frame, and a run's
// median moved by up to a frame from one run to the next with that point (ui.mjs's floor took
// 9 ms in one run and 19 ms in another). With the start spread over the frame, the median is
// that of keystrokes landing anywhere in it, as a person's do.
export const sampleGap = () => SAMPLE_GAP_MS + Math.random() * (1000 / 60);

export const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p95: q(0.95), max: s.at(-1) };
};

const OWN_WORK_BAR_MS = 16;
const FRAME_MS = 1000 / 60;

/**
 * The bar, in two parts: (a) the page's own work (script, style, layout) for each action is
 * ≤ 16 ms at the 95th percentile; (b) its paint comes within one frame (16.7 ms) of the floor's
 * (one changed line of text, measured in the same run), compared at the median. `actions` maps a
 * name to `{ work: [ms], frame: [ms] }`; `floor` is `{ frame: [ms] }`.
 */
export function verdict(actions, floor) {
  const floorMedian = stats(floor.frame).median;
  const lines = [`  bar (a), own work (script, style, layout) p95 ≤ ${OWN_WORK_BAR_MS} ms:`];
  let pass = true;
  for (const [name, { work }] of Object.entries(actions)) {
    const s = stats(work);
    const ok = s.p95 <= OWN_WORK_BAR_MS;
    pass &&= ok;
    lines.push(`    ${name}: p50 ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms  ${ok ? 'PASS' : 'OVER'}`);
  }
  lines.push(`  bar (b), paint within one frame (${FRAME_MS.toFixed(1)} ms) of the floor (median ${floorMedian.toFixed(1)} ms):`);
  for (const [name, { frame }] of Object.entries(actions)) {
    const s = stats(frame);
    const over = s.median - floorMedian;
    const ok = over <= FRAME_MS;
    pass &&= ok;
    lines.push(`    ${name}: median ${s.median.toFixed(1)} ms (${over >= 0 ? '+' : ''}${over.toFixed(1)} ms on the floor), p95 ${s.p95.toFixed(1)} ms  ${ok ? 'PASS' : 'OVER'}`);
  }
  lines.push(`  bar: ${pass ? 'PASS' : 'NOT MET'}`);
  return lines.join('\n');
}

export const fmt = ({ median, p95, max }) => `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`;

/** `count` search texts, typing each word letter by letter and deleting it again, in turn. */
export function typingAndDeleting(words, count) {
  const texts = [];
  while (texts.length < count) {
    for (const word of words) {
      for (let i = 1; i <= word.length; i++) texts.push(word.slice(0, i));
      for (let i = word.length - 1; i >= 0; i--) texts.push(word.slice(0, i));
    }
  }
  return texts.slice(0, count);
}

/** What the table benchmarks type in search: the seeded names include "… Dental …". */
export const TABLE_SEARCH_WORDS = ['dental'];

/** The table's search box, which the benchmarks type into. */
export const SEARCH_INPUT = 'input[aria-label="Search client names"]';

/** The header button that sorts the table by `key`. */
export const sortButton = (key) => `button.sort[data-sort="${key}"]`;

/** The table's sortable columns, as their header buttons name them (`data-sort`). */
export const SORT_KEYS = ['name', 'software', 'connection', 'services', 'account_dashboard', 'xpm_dashboard', 'xpm', 'last_synced'];

/**
 * One sample, run in the page through WebDriver's `executeAsync` (so it uses nothing outside
 * itself). The action is a task of its own, as a real keystroke or click is:
 * - `act: 'type'`: sets the value of the input at `selector` to `value` and fires `input`;
 * - `act: 'click'`: clicks the element at `selector`;
 * - `act: 'text'`: writes `value` into a span of its own inside the element at `selector`.
 *
 * Calls `done` with, in ms from the start of that task:
 * - `work`: until Svelte has updated the DOM (it flushes in a microtask; a 0 ms task runs after
 *   that) and the elements at `laidOut` are laid out;
 * - `frame`: until the next animation frame has been painted (a task queued from a
 *   requestAnimationFrame callback runs after that paint).
 * It also says whether the drawn `items` (told apart by their attribute `itemKey`) changed, and
 * gives the text of the element at `count` afterwards.
 */
export function measureInPage({ act, selector, value, laidOut, items, itemKey, count }, done) {
  const drawn = () => [...document.querySelectorAll(items)].map((item) => item.getAttribute(itemKey)).join();
  const countText = () => document.querySelector(count)?.textContent ?? '';
  const before = drawn();
  const countBefore = countText();
  setTimeout(() => {
    const t0 = performance.now();
    if (act === 'type') {
      const input = document.querySelector(selector);
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else if (act === 'click') {
      document.querySelector(selector).click();
    } else {
      let probe = document.getElementById('bench-text-probe');
      if (!probe) {
        probe = document.createElement('span');
        probe.id = 'bench-text-probe';
        document.querySelector(selector).append(probe);
      }
      probe.textContent = value;
    }
    let work;
    setTimeout(() => {
      for (const s of laidOut) document.querySelector(s)?.getBoundingClientRect();
      work = performance.now() - t0;
    }, 0);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const frame = performance.now() - t0;
        // If the frame came before the 0 ms task (rare), take the work figure now.
        if (work === undefined) work = frame;
        const itemsChanged = drawn() !== before;
        done({ work, frame, itemsChanged, changed: itemsChanged || countText() !== countBefore, shown: countText().trim() });
      };
      channel.port2.postMessage(null);
    });
  }, 0);
}
