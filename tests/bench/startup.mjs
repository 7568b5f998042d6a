// Start-up benchmark (bar: a ratio ≤ 1.5, docs/performance.md): launch → first painted table
// of 10,000 cached rows (switchboard-app, release) against launch → first paint of a bare Tauri
// window (bare-window, release), alternating runs in the same session under the same X server.
// Both print a line and exit once painted (SWITCHBOARD_EXIT_AFTER_PAINT=1 for the app). The app
// paints its first screen of rows while the rest load: it prints "first rows painted", then
// "all rows painted" and exits (only the second when the first rows are all of them). Its first
// paint is the earlier of the two lines; the time to all rows is reported too.
//
//   node tests/bench/startup.mjs --app PATH --bare PATH --data-dir DIR [--runs 7]
// Run it through scripts/bench, which builds both, seeds the cache and provides Xvfb.

import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    app: { type: 'string' },
    bare: { type: 'string' },
    'data-dir': { type: 'string' },
    runs: { type: 'string', default: '7' },
    timeout: { type: 'string', default: '60000' },
  },
});
const runs = Number(values.runs);

/** Launches `binary` and times the first stdout line matching each of `markers` (regexps). */
function launch(binary, markers, env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(binary, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', milestones;
    const times = markers.map(() => undefined);
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${binary}: not painted within ${values.timeout} ms\n${err}`)); }, Number(values.timeout));
    child.stdout.on('data', (d) => {
      out += d;
      const now = Number(process.hrtime.bigint() - t0) / 1e6;
      markers.forEach((m, i) => { if (times[i] === undefined && m.test(out)) times[i] = now; });
      const page = [...out.matchAll(/rows painted (\{.*\})/g)].at(-1);
      if (page) milestones = JSON.parse(page[1]);
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (times.includes(undefined)) reject(new Error(`${binary} exited (${code}) before painting\n${out}\n${err}`));
      else resolve({ times, milestones });
    });
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x) => `${x.toFixed(1)} ms`;

// The app asks WebKitGTK to rasterise on the CPU unless the variable is set (src-tauri/src/main.rs);
// the bare window gets the same setting, so the comparison is of the pages, not of the painters.
const BARE_ENV = { WEBKIT_SKIA_ENABLE_CPU_RENDERING: process.env.WEBKIT_SKIA_ENABLE_CPU_RENDERING ?? '1' };
const BARE_MARKERS = [/painted/];
const APP_MARKERS = [/(first|all) rows painted/, /all rows painted/];
const APP_ENV = { SWITCHBOARD_EXIT_AFTER_PAINT: '1', SWITCHBOARD_DATA_DIR: values['data-dir'] };
const bare = [], app = [], appAll = [];
// One warm-up of each (file cache, fontconfig cache), not counted.
await launch(values.bare, BARE_MARKERS, BARE_ENV);
await launch(values.app, APP_MARKERS, APP_ENV);
for (let i = 0; i < runs; i++) {
  bare.push((await launch(values.bare, BARE_MARKERS, BARE_ENV)).times[0]);
  const run = await launch(values.app, APP_MARKERS, APP_ENV);
  app.push(run.times[0]);
  appAll.push(run.times[1]);
  // The page's own milestones are ms since its navigation started; what precedes them is the
  // process and webview starting.
  const page = Object.entries(run.milestones ?? {}).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`run ${i + 1}: bare ${fmt(bare.at(-1))}, switchboard ${fmt(app.at(-1))} (all rows ${fmt(appAll.at(-1))})  [page: ${page}]`);
}
const ratio = median(app) / median(bare);
const range = (xs) => `median ${fmt(median(xs))}  (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})`;
console.log(`start-up, launch to first paint, ${runs} alternating runs each (release, Xvfb):`);
console.log(`  bare Tauri window                      ${range(bare)}`);
console.log(`  switchboard, first rows of 10,000 files ${range(app)}`);
console.log(`  switchboard, all 10,000 rows loaded     ${range(appAll)}  (ratio ${(median(appAll) / median(bare)).toFixed(2)})`);
console.log(`  ratio ${ratio.toFixed(2)} (bar <= 1.5): ${ratio <= 1.5 ? 'PASS' : 'OVER THE BAR'}`);
