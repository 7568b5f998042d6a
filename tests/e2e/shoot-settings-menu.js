// Takes docs/settings-menu.png: the real app window (debug build) with a row's Client Console users
// dialog open over the table, after adding two people through it. Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node shoot-settings-menu.js
// (after `cd ui && npm run build` and `cargo build -p switchboard-app`). Not a test: it asserts nothing.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { launchApp, repoRoot, seedCache, tempWorkspace } from './lib/harness.js';

const ws = tempWorkspace('switchboard-shot-settings-');
seedCache(ws.cachePath, { files: 200, e2e: true });
const app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
const { browser } = app;
try {
  await browser.$('[data-testid="shown"]').waitForExist({ timeout: 30000 });
  const gear = await browser.$('//div[@role="row"][.//span[contains(@class, "name") and normalize-space(.)="Acme Plumbing Ltd"]]//*[@aria-colindex="9"]//button');
  await gear.click();
  await (await browser.$('[role="menu"] [data-action="console_users"]')).click();
  for (const [name, email] of [['Aroha Ngata', 'aroha@acmeplumbing.example'], ['Tom Fisher', 'tom@acmeplumbing.example']]) {
    await (await browser.$('[data-testid="console-user-name"]')).addValue(name);
    await (await browser.$('[data-testid="console-user-email"]')).addValue(email);
    await (await browser.$('[data-testid="console-user-save"]')).click();
    await browser.waitUntil(async () => (await browser.$$('[data-testid="console-user"]')).length > 0);
  }
  // A duplicate, to show the message a person gets.
  await (await browser.$('[data-testid="console-user-name"]')).addValue('Tom F');
  await (await browser.$('[data-testid="console-user-email"]')).addValue('TOM@acmeplumbing.example');
  await (await browser.$('[data-testid="console-user-save"]')).click();
  await (await browser.$('[data-testid="dialog-error"]')).waitForExist({ timeout: 5000 });
  // Let the window repaint before the root window is captured (xwd reads the X server, not the page).
  await new Promise((r) => setTimeout(r, 2000));
  console.log("users shown:", (await browser.$$('[data-testid="console-user"]')).length, "error:", await (await browser.$('[data-testid="dialog-error"]')).getText());
  const out = join(repoRoot, 'docs/settings-menu.png');
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${out}'`]);
  console.log(`wrote ${out}`);
} finally {
  await app.stop();
  rmSync(ws.root, { recursive: true, force: true });
}
