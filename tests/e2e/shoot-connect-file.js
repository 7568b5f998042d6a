// Takes docs/connect-merge.png (the Connect icon of a hand-made file picked an organisation that
// already is another file: the merge question) and docs/connect-other-software.png (a QuickBooks
// Online file's Connect icon saying Switchboard connects Xero files). Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- env NO_AT_BRIDGE=1 node shoot-connect-file.js
// (after `cd ui && npm run build` and the debug builds the end-to-end tests use). Not a test.
import { join } from 'node:path';
import { eventually, repoRoot } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

// The page as WebDriver renders it: a native tooltip window left by a click (which xwd captures
// as a black box under Xvfb) is not part of it.
let browser;
const shoot = async (file) => {
  await new Promise((r) => setTimeout(r, 1000));
  const out = join(repoRoot, 'docs', file);
  await browser.saveScreenshot(out);
  console.log(`wrote ${out}`);
};

const opened = await openAppOnSimulatedXero({
  orgs: 3,
  seed: 9,
  name: 'shot-connect-file',
  add: ['Harbour Physio=xero', 'Harbour Physiotherapy Ltd=xero', 'Books Co=quickbooks_online', 'Ember & Co=myob', 'Kauri Builders=xero'],
});
const { base, openedUrls, close } = opened;
browser = opened.browser;
try {
  const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
  const connectIcon = async (name) => {
    const id = await browser.execute(
      (n) => [...document.querySelectorAll('[role="row"][data-id]')].find((r) => r.querySelector('.name')?.textContent.trim() === n)?.dataset.id,
      name,
    );
    return browser.$(`[role="row"][data-id="${id}"] [data-action="connect"]`);
  };
  await (await connectIcon('Harbour Physio')).click();
  await consentInBrowser(openedUrls, 0, [org.tenantId]);
  await (await browser.$('[data-testid="toast-text"]')).waitForExist({ timeout: 30000 });
  await (await connectIcon('Harbour Physiotherapy Ltd')).click();
  await consentInBrowser(openedUrls, 1, [org.tenantId]);
  await (await browser.$('[data-testid="merge-dialog"]')).waitForExist({ timeout: 30000 });
  await shoot('connect-merge.png');
  await (await browser.$('[data-testid="merge-decline"]')).click();
  await eventually(async () => !(await (await browser.$('[data-testid="merge-dialog"]')).isExisting()), { timeout: 10000 });
  await (await connectIcon('Books Co')).click();
  await eventually(async () => (await (await browser.$('[data-testid="toast-text"]')).getText()).startsWith('Switchboard connects'), { timeout: 10000 });
  await shoot('connect-other-software.png');
} finally {
  await close();
}
