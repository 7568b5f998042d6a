// Takes docs/egress.png: Settings in the real app window under Xvfb, scrolled to "Data downloaded
// from Xero", over a seeded cache with six months of made-up egress counts (written straight into
// the cache's xero_egress table: no sync is needed for a picture).
// Run: xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node egress-screenshot.mjs
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchApp, repoRoot, seedCache, tempWorkspace } from './lib/harness.js';

const ws = tempWorkspace('switchboard-shot-egress-');
seedCache(ws.cachePath, { files: 50 });
const now = new Date();
const month = (back) => {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
const rows = [
  [month(0), 'accounting', 412_000_000, 61_000],
  [month(0), 'connections', 96_000_000, 3_100],
  [month(0), 'reports', 1_850_000_000, 9_200],
  [month(0), 'payroll', 38_000_000, 30_000],
  [month(0), 'assets', 21_000_000, 30_000],
  [month(0), 'practice_manager', 240_000_000, 900],
  [month(1), 'accounting', 6_100_000_000, 1_500_000],
  [month(2), 'accounting', 4_900_000_000, 1_300_000],
  [month(3), 'reports', 3_200_000_000, 200_000],
];
const sql = rows.map(([m, api, bytes, calls]) => `INSERT INTO xero_egress VALUES ('${m}', '${api}', ${bytes}, ${calls});`).join('\n');
execFileSync('sqlite3', [ws.cachePath], { input: sql });

const app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
try {
  const browser = app.browser;
  await browser.$('[data-testid="shown"]').waitForExist({ timeout: 30000 });
  await browser.execute(() => { location.hash = '#/settings'; });
  await browser.$('[data-testid="egress-by-api"]').waitForExist({ timeout: 10000 });
  await browser.execute(() => document.querySelector('[data-testid="egress-usage"]')?.scrollIntoView({ block: 'center' }));
  await new Promise((r) => setTimeout(r, 800));
  const png = join(repoRoot, 'docs', 'egress.png');
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${png}'`], { stdio: 'inherit' });
  console.log(`wrote ${png}`);
} finally {
  await app.stop();
  rmSync(ws.root, { recursive: true, force: true });
}
