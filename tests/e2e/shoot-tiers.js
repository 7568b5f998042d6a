// Takes docs/reconnect-queue.png (a Core-tier app's "Reconnect all" queue, one file reconnected,
// the banner naming the next) and docs/settings-tier.png (Settings with the tier and the
// connections in use). Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node shoot-tiers.js
// (after `cd ui && npm run build` and the debug builds the end-to-end tests use). Not a test.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually, repoRoot } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

const shoot = async (file) => {
  // Let the window repaint before the root window is captured (xwd reads the X server, not the page).
  await new Promise((r) => setTimeout(r, 2000));
  const out = join(repoRoot, 'docs', file);
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${out}'`]);
  console.log(`wrote ${out}`);
};

const { browser, base, openedUrls, close } = await openAppOnSimulatedXero({ orgs: 4, seed: 11, name: 'shot-tiers', tier: 'core' });
try {
  const orgs = await (await fetch(`${base}/_sim/orgs`)).json();
  const rows = () => browser.execute(() => document.querySelectorAll('[role="grid"] [role="row"][data-id]').length);
  await (await browser.$('[data-testid="add-from-xero"]')).click();
  for (const [i, org] of orgs.entries()) {
    await consentInBrowser(openedUrls, i, [org.tenantId]);
    await eventually(async () => (await rows()) === i + 1, { timeout: 30000 });
  }
  await eventually(() => openedUrls()[orgs.length], { timeout: 20000 });
  await (await browser.$('[data-testid="cancel-operation"]')).click();
  await (await browser.$('[data-testid="toast-text"]')).waitForExist({ timeout: 10000 });
  const staff = await (await fetch(`${base}/_sim/staff`)).json();
  await fetch(`${base}/_sim/revoke?user=${encodeURIComponent(staff[0].email)}`, { method: 'POST' });
  await (await browser.$('[data-testid="sync-now"]')).click();
  await (await browser.$('[data-testid="reconnect-all"]')).waitForExist({ timeout: 30000 });
  await (await browser.$('[data-testid="reconnect-all"]')).click();
  const next = async () => {
    const el = await browser.$('[data-testid="queue-standing"]');
    return (await el.isExisting()) ? (await el.getText()).split('; next: ')[1] : null;
  };
  const first = await eventually(next, { timeout: 30000 });
  await consentInBrowser(openedUrls, orgs.length + 1, [orgs.find((o) => o.name === first).tenantId]);
  await eventually(async () => (await (await browser.$('[data-testid="queue-standing"]')).getText()).startsWith('1 of 4'), { timeout: 30000 });
  await shoot('reconnect-queue.png');
  await (await browser.$('[data-testid="cancel-operation"]')).click();
  await (await browser.$('[data-testid="resume-reconnect"]')).waitForExist({ timeout: 30000 });
  await (await browser.$('[data-testid="settings-link"]')).click();
  await (await browser.$('[data-testid="tier-usage"]')).waitForExist({ timeout: 30000 });
  await shoot('settings-tier.png');
} finally {
  await close();
}
