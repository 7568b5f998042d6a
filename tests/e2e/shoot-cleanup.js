// Takes docs/cleanup.png (Settings → Clean up with a cache set aside and the XPM clients of a
// disconnected XPM) and docs/try-again.png (a cache this user may not write: Try again, no
// Start a fresh cache). Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node shoot-cleanup.js
// (after `cd ui && npm run build` and the debug builds the end-to-end tests use). Not a test.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchApp, repoRoot, seedCache, tempWorkspace } from './lib/harness.js';

const shoot = async (file) => {
  await new Promise((r) => setTimeout(r, 2000));
  const out = join(repoRoot, 'docs', file);
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${out}'`]);
  console.log(`wrote ${out}`);
};

const ws = tempWorkspace();
try {
  seedCache(ws.cachePath, { files: 40 });
  // What "Start a fresh cache" left some weeks ago, and XPM clients cached while XPM was connected
  // (the seeded cache has XPM clients and no XPM sign-in).
  writeFileSync(join(ws.dataDir, 'cache.unusable-20261102T091500Z.sqlite3'), Buffer.alloc(2_400_000, 1));
  let app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
  try {
    const { browser } = app;
    await (await browser.$('[data-testid="settings-link"]')).click();
    const cleanup = await browser.$('[data-testid="cleanup"]');
    await cleanup.waitForExist({ timeout: 30000 });
    await browser.execute(() => document.querySelector('[data-testid="cleanup"]').scrollIntoView());
    await shoot('cleanup.png');
  } finally {
    await app.stop();
  }

  chmodSync(ws.cachePath, 0o000);
  execFileSync('chattr', ['+i', ws.cachePath]);
  app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
  try {
    await (await app.browser.$('[data-testid="unusable"]')).waitForExist({ timeout: 30000 });
    await shoot('try-again.png');
  } finally {
    await app.stop();
    execFileSync('chattr', ['-i', ws.cachePath]);
  }
} finally {
  rmSync(ws.root, { recursive: true, force: true });
}
