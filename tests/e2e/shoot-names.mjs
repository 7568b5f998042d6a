// Takes docs/demo.png (the app against the simulator, empty, with the "Not Xero" badge naming the
// simulator's host) and docs/names.png and docs/names-rename.png (client names holding a
// right-to-left override, a line break and an isolate, drawn with visible marks, one line each).
// Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node shoot-names.mjs
// (after `cd ui && npm run build` and the debug builds the end-to-end tests use). Not a test.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, launchApp, repoRoot, seedCache, tempWorkspace } from './lib/harness.js';
import { openAppOnSimulatedXero } from './lib/simulated-xero.js';

const shoot = async (file) => {
  // Let the window repaint before the root window is captured (xwd reads the X server, not the page).
  await new Promise((r) => setTimeout(r, 2000));
  const out = join(repoRoot, 'docs', file);
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${out}'`]);
  console.log(`wrote ${out}`);
};

const demo = await openAppOnSimulatedXero({ orgs: 3, seed: 1, name: 'shot-demo' });
try {
  await (await demo.browser.$('[data-testid="not-xero-badge"]')).waitForExist({ timeout: 10000 });
  await shoot('demo.png');
} finally {
  await demo.close();
}

// Names as they could arrive from Xero, written straight into a seeded cache (the rename field,
// an <input>, cannot hold a line break).
const ws = tempWorkspace('switchboard-shot-names-');
seedCache(ws.cachePath, { files: 200 });
const names = [
  "'Aardvark ' || char(8238) || 'gnp.exe'",
  "'Aardvark Acme' || char(10) || 'Ltd, a name with a line break'",
  "'Aardvark ' || char(8295) || 'مكتب المحاسبة' || char(8297) || ' Trust'",
];
const sql = names.map((n, i) => `UPDATE client_files SET display_name = ${n} WHERE id = ${i + 1};`).join('\n');
execFileSync('sqlite3', [ws.cachePath], { input: sql });
// No endpoint variables: the app talks to Xero (and calls nothing here), so no badge.
const app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
try {
  const { browser } = app;
  const marks = () => browser.execute(() => document.querySelectorAll('[role="grid"] .name .name-mark').length);
  await eventually(async () => (await marks()) >= 3, { timeout: 30000, message: 'the marked names to show' });
  await shoot('names.png');
  const row = await browser.$('[role="grid"] [role="row"][data-id="1"]');
  await (await row.$('[aria-colindex="9"] button')).click();
  const item = await browser.$('[role="menu"] [data-action="rename_client"]');
  await item.waitForExist({ timeout: 5000 });
  await item.click();
  await (await browser.$('[data-testid="rename-input"]')).waitForExist({ timeout: 5000 });
  await shoot('names-rename.png');
} finally {
  await app.stop();
  rmSync(ws.root, { recursive: true, force: true });
}
