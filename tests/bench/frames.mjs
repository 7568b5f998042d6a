// Where the time of a search keystroke and of a sort goes, from WebKit's own Timeline (the Web
// Inspector protocol): script, style, layout and paint, up to the first frame that paints.
// It also holds the same actions to the bar as ui.mjs does (lib-stats.mjs's `verdict`): the page's
// own work (script + style + layout here, from the Timeline) ≤ 16 ms at p95, and the painted frame
// within one frame (16.7 ms) of the floor's, one changed line of text, recorded in the same run.
//
// The app must be built with Web Inspector (`--features devtools`, never in a shipped build): it
// then serves the inspector protocol over a WebSocket when WEBKIT_INSPECTOR_HTTP_SERVER is set.
// The inspector's recording adds its own overhead, so the totals here run above ui.mjs's.
//
//   node --experimental-websocket tests/bench/frames.mjs --app BIN --data-dir DIR [--runs 20]
// Run it through scripts/bench-frames (Xvfb, release build with devtools, 10,000 seeded files).

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { sampleGap, SEARCH_INPUT, SORT_KEYS, sortButton, stats, TABLE_SEARCH_WORDS, typingAndDeleting, verdict } from './lib-stats.mjs';

const { values } = parseArgs({
  options: { app: { type: 'string' }, 'data-dir': { type: 'string' }, runs: { type: 'string', default: '20' } },
});
const RUNS = Number(values.runs);

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The page's inspector: `call` sends a command to the page target and resolves with its result. */
async function connectInspector(port) {
  let path;
  for (let i = 0; i < 100 && !path; i++) {
    await sleep(200);
    const index = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()).catch(() => '');
    path = /\/socket\/\d+\/\d+\/WebPage/.exec(index)?.[0];
  }
  if (!path) throw new Error('the app listed no inspectable page: was it built with --features devtools?');
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const replies = new Map();
  const events = [];
  let target = null;
  let nextId = 0;
  socket.onmessage = ({ data }) => {
    const message = JSON.parse(data);
    if (message.method === 'Target.targetCreated') target ??= message.params.targetInfo.targetId;
    if (message.method !== 'Target.dispatchMessageFromTarget') return;
    const inner = JSON.parse(message.params.message);
    if (replies.has(inner.id)) replies.get(inner.id)(inner);
    else events.push(inner);
  };
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error('could not connect to the inspector'));
  });
  for (let i = 0; i < 200 && !target; i++) await sleep(50);
  if (!target) throw new Error('the inspector announced no page target');
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      replies.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result)));
      const message = JSON.stringify({ id, method, params });
      socket.send(JSON.stringify({ id, method: 'Target.sendMessageToTarget', params: { targetId: target, message } }));
    });
  const evaluate = async (expression) => (await call('Runtime.evaluate', { expression, returnByValue: true })).result.value;
  return { call, evaluate, events, close: () => socket.close() };
}

const RENDERING = { RecalculateStyles: 'style', Layout: 'layout', Paint: 'paint', Composite: 'paint' };
const duration = (r) => (r.endTime ?? r.startTime) - r.startTime;
const selfTime = (r) => duration(r) - (r.children ?? []).reduce((sum, c) => sum + duration(c), 0);
const contains = (r, type) => r.type === type || (r.children ?? []).some((c) => contains(c, type));

/**
 * Per action (marked by a TimeStamp record): ms from the start of the task that performs it to the
 * end of the first frame after it that paints, and the busy time up to there by kind (all that is
 * not style, layout or paint is script, with the engine's own work around it).
 */
function breakdown(records) {
  const samples = [];
  records.forEach((record, i) => {
    if (!contains(record, 'TimeStamp')) return;
    const busy = { script: 0, style: 0, layout: 0, paint: 0 };
    const add = (r) => {
      busy[RENDERING[r.type] ?? 'script'] += selfTime(r) * 1000;
      (r.children ?? []).forEach(add);
    };
    for (let j = i; j < records.length && (j === i || !contains(records[j], 'TimeStamp')); j++) {
      add(records[j]);
      if (contains(records[j], 'Paint')) {
        samples.push({ toPaint: (records[j].endTime - record.startTime) * 1000, ...busy });
        return;
      }
    }
  });
  return samples;
}

function report(label, samples) {
  const kept = samples.slice(2); // warm-up
  const median = (key) => stats(kept.map((s) => s[key])).median.toFixed(1);
  const work = kept.map((s) => s.script + s.style + s.layout);
  const w = stats(work);
  console.log(
    `  ${label}: to the painted frame ${median('toPaint')} ms; busy: script ${median('script')}, ` +
      `style ${median('style')}, layout ${median('layout')}, paint ${median('paint')} ms (medians of ${kept.length}); ` +
      `own work (script + style + layout) p50 ${w.median.toFixed(1)}, p95 ${w.p95.toFixed(1)} ms`,
  );
  return { work, frame: kept.map((s) => s.toPaint) };
}

const port = await freePort();
const app = spawn(values.app, [], {
  env: { ...process.env, SWITCHBOARD_DATA_DIR: values['data-dir'], WEBKIT_INSPECTOR_HTTP_SERVER: `127.0.0.1:${port}` },
  stdio: 'ignore',
});
let inspector;
try {
  inspector = await connectInspector(port);
  const shown = 'document.querySelector(\'[data-testid="shown"]\')?.textContent.trim() ?? ""';
  for (let i = 0; i < 300 && !(await inspector.evaluate(shown)).startsWith('Showing'); i++) await sleep(200);
  console.log(`app ready: ${await inspector.evaluate(shown)}`);
  // As in ui.mjs: the page builds the other sort orders in the background once all rows are in.
  await sleep(3000);

  // The same actions as ui.mjs: typing and deleting a word, then clicking through the headers.
  const type = (q) =>
    `performance.mark('action'); { const input = document.querySelector(${JSON.stringify(SEARCH_INPUT)});` +
    ` input.value = ${JSON.stringify(q)}; input.dispatchEvent(new Event('input', { bubbles: true })); }`;
  // The floor: one line of text in the hint below the grid, which the page itself never changes.
  const text = (words) =>
    `performance.mark('action'); { let probe = document.getElementById('bench-text-probe');` +
    ` if (!probe) { probe = document.createElement('span'); probe.id = 'bench-text-probe';` +
    ` document.querySelector('p.hint').append(probe); } probe.textContent = ${JSON.stringify(words)}; }`;
  const click = (key) => `performance.mark('action'); document.querySelector(${JSON.stringify(sortButton(key))}).click();`;

  // Without the Page domain enabled the Timeline's clock does not run (every record at time 0).
  for (const method of ['Inspector.enable', 'Runtime.enable', 'Page.enable', 'Timeline.enable', 'Inspector.initialized']) {
    await inspector.call(method);
  }
  await inspector.call('Timeline.setInstruments', { instruments: ['Timeline'] });
  const record = async (actions) => {
    await inspector.call('Timeline.start', { maxCallStackDepth: 0 });
    for (const action of actions) {
      await inspector.evaluate(action);
      await sleep(sampleGap());
    }
    await inspector.call('Timeline.stop');
    await sleep(500);
    const records = inspector.events.filter((e) => e.method === 'Timeline.eventRecorded').map((e) => e.params.record);
    inspector.events.length = 0;
    return breakdown(records);
  };

  console.log(`Frame breakdown in the real webview, 10,000 files (WebKit Timeline, release, Xvfb):`);
  const search = report('search keystroke', await record(typingAndDeleting(TABLE_SEARCH_WORDS, RUNS + 2).map(type)));
  await inspector.evaluate(type(''));
  const sort = report('sort (header click)', await record(Array.from({ length: RUNS + 2 }, (_, i) => click(SORT_KEYS[i % SORT_KEYS.length]))));
  const floor = report('one line of text (the floor)', await record(Array.from({ length: RUNS + 2 }, (_, i) => text(` · sample ${i}`))));
  console.log(verdict({ search, sort }, floor));
} finally {
  inspector?.close();
  app.kill();
}
