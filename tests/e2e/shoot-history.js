// Takes docs/history-export.png: Settings → Practice history after "Export all changes to CSV",
// with the toast saying where the file went and the export itself at the top of the history.
// Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node shoot-history.js
// (after `cd ui && npm run build` and the debug builds the end-to-end tests use). Not a test.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, launchApp, repoRoot, seedCache, tempWorkspace } from './lib/harness.js';

const ws = tempWorkspace();
try {
  seedCache(ws.cachePath, { files: 40 });
  const app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
  try {
    const { browser } = app;
    await (await browser.$('[data-testid="settings-link"]')).click();
    const button = await browser.$('[data-testid="export-history"]');
    await button.waitForExist({ timeout: 30000 });
    await browser.execute(() => document.querySelector('[data-testid="practice-history"]').scrollIntoView());
    // Twice, so the second export holds the first.
    for (const rows of [1, 2]) {
      await button.click();
      await eventually(() => browser.execute((n) =>
        document.querySelectorAll('[data-testid="practice-history-row"][data-action="export_history"]').length === n, rows));
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 1500));
    const out = join(repoRoot, 'docs', 'history-export.png');
    execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${out}'`]);
    console.log(`wrote ${out}`);
  } finally {
    await app.stop();
  }
} finally {
  rmSync(ws.root, { recursive: true, force: true });
}
