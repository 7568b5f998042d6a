// Takes docs/xpm-link.png: the real app window under Xvfb with the XPM link pop-up open on a file
// that has a suggestion (files and a 15,000-client XPM practice seeded through the core's API).
// Run under xvfb-run (see scripts/screenshot-xpm).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { debugBinary, launchApp, repoRoot, tempWorkspace } from './lib/harness.js';

const ws = tempWorkspace('switchboard-shot-xpm-');
const out = execFileSync(
  debugBinary('examples/seed_xpm'),
  [ws.cachePath, '--files', '300', '--xpm', '15000', '--seed', '4'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
const seeded = JSON.parse(out.trim().split('\n').pop());
const app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
try {
  const browser = app.browser;
  await browser.$('[data-testid="shown"]').waitForExist({ timeout: 30000 });
  const row = `[role="row"][data-id="${seeded.file_id}"]`;
  await browser.execute((id) => {
    document.querySelector(`[role="row"][data-id="${id}"]`)?.scrollIntoView({ block: 'center' });
  }, seeded.file_id);
  const input = await browser.$('input[aria-label="Search client names"]');
  if (!(await browser.$(row).isExisting())) await input.addValue(seeded.file_name);
  await (await browser.$(`${row} [aria-colindex="7"] button`)).click();
  await browser.$('[data-testid="xpm-option"]').waitForExist({ timeout: 10000 });
  await new Promise((r) => setTimeout(r, 800));
  const png = join(repoRoot, 'docs', 'xpm-link.png');
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${png}'`], { stdio: 'inherit' });
  console.log(`wrote ${png}`);
} finally {
  await app.stop();
  rmSync(ws.root, { recursive: true, force: true });
}
