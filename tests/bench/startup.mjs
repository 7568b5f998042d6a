// Start-up benchmark (design.md §5): launch → first painted table of 10,000 cached rows
// (switchboard-app, release) against launch → first paint of a bare Tauri window (bare-window,
// release), alternating runs in the same session under the same X server.
// Both print a line and exit once painted (SWITCHBOARD_EXIT_AFTER_PAINT=1 for the app).
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

function launch(binary, marker, env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(binary, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', painted, milestones;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${binary}: no "${marker}" within ${values.timeout} ms\n${err}`)); }, Number(values.timeout));
    child.stdout.on('data', (d) => {
      out += d;
      if (painted === undefined && out.includes(marker)) painted = Number(process.hrtime.bigint() - t0) / 1e6;
      const page = out.match(/table painted (\{.*\})/);
      if (page) milestones = JSON.parse(page[1]);
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (painted === undefined) reject(new Error(`${binary} exited (${code}) before "${marker}"\n${err}`));
      else resolve({ painted, milestones });
    });
  });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x) => `${x.toFixed(1)} ms`;

// The app asks WebKitGTK to rasterise on the CPU unless the variable is set (src-tauri/src/main.rs);
// the bare window gets the same setting, so the comparison is of the pages, not of the painters.
const BARE_ENV = { WEBKIT_SKIA_ENABLE_CPU_RENDERING: process.env.WEBKIT_SKIA_ENABLE_CPU_RENDERING ?? '1' };
const bare = [], app = [];
// One warm-up of each (file cache, fontconfig cache), not counted.
await launch(values.bare, 'painted', BARE_ENV);
await launch(values.app, 'table painted', { SWITCHBOARD_EXIT_AFTER_PAINT: '1', SWITCHBOARD_DATA_DIR: values['data-dir'] });
for (let i = 0; i < runs; i++) {
  bare.push((await launch(values.bare, 'painted', BARE_ENV)).painted);
  const run = await launch(values.app, 'table painted', { SWITCHBOARD_EXIT_AFTER_PAINT: '1', SWITCHBOARD_DATA_DIR: values['data-dir'] });
  app.push(run.painted);
  // The page's own milestones are ms since its navigation started; what precedes them is the
  // process and webview starting.
  const page = Object.entries(run.milestones ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`run ${i + 1}: bare ${fmt(bare.at(-1))}, switchboard ${fmt(app.at(-1))}  [page: ${page}]`);
}
const ratio = median(app) / median(bare);
console.log(`start-up, launch to first paint, ${runs} alternating runs each (release, Xvfb):`);
console.log(`  bare Tauri window         median ${fmt(median(bare))}  (min ${fmt(Math.min(...bare))}, max ${fmt(Math.max(...bare))})`);
console.log(`  switchboard, 10,000 files median ${fmt(median(app))}  (min ${fmt(Math.min(...app))}, max ${fmt(Math.max(...app))})`);
console.log(`  ratio ${ratio.toFixed(2)} (bar <= 1.5): ${ratio <= 1.5 ? 'PASS' : 'OVER THE BAR'}`);
