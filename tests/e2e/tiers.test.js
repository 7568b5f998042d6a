// A Core-tier Xero app in the real window, against the simulator on the same tier: each consent
// reaches one organisation, so three files come in through three consents in a row (the fourth
// cancelled), and after Xero stops accepting them "Reconnect all that need it" is a queue of three
// consents, the banner naming the organisation to pick each time, until every file is connected
// again.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

const ORGS = 3;

describe('A Core-tier Xero app (real window, simulated Xero)', () => {
  let browser, base, openedUrls, close;

  before(async () => {
    ({ browser, base, openedUrls, close } = await openAppOnSimulatedXero({ orgs: ORGS, seed: 11, name: 'e2e-tiers', tier: 'core' }));
  });

  after(() => close?.());

  const simJson = async (path) => (await fetch(`${base}/_sim/${path}`)).json();
  const connections = async () =>
    browser.execute(() =>
      [...document.querySelectorAll('[role="grid"] [role="row"][data-id]')].map((row) => ({
        name: row.querySelector('.name')?.textContent.trim(),
        connection: row.querySelector('.c-connection [data-state]')?.getAttribute('data-state'),
      })),
    );
  const rowsAre = (n, state) => async () => {
    const rows = await connections();
    return rows.length === n && rows.every((r) => r.connection === state) ? rows : null;
  };

  test('Add client files is one consent per organisation, consent after consent until Cancel', async () => {
    const orgs = await simJson('orgs');
    await (await browser.$('[data-testid="add-from-xero"]')).click();
    for (const [i, org] of orgs.entries()) {
      const page = await (await fetch(await eventually(() => openedUrls()[i], { timeout: 20000 }))).text();
      assert.match(page, /type="radio"/, 'below Advanced the consent page offers one organisation');
      await consentInBrowser(openedUrls, i, [org.tenantId]);
      await eventually(rowsAre(i + 1, 'connected'), { timeout: 30000, message: `${i + 1} connected rows` });
    }
    // The next consent is already open in the browser; the person is done and cancels.
    await eventually(() => openedUrls()[ORGS], { timeout: 20000, message: 'the next consent to open' });
    await (await browser.$('[data-testid="cancel-operation"]')).click();
    const toast = await browser.$('[data-testid="toast-text"]');
    await toast.waitForExist({ timeout: 10000 });
    assert.equal(await toast.getText(), `Added ${ORGS} client files.`);
    assert.deepEqual(Object.values((await simJson('state')).connections_in_use), [ORGS], 'Xero counts three connections');
  });

  test('Reconnect all is a queue of one consent per file, naming the organisation to pick', async () => {
    const staff = await simJson('staff');
    const revoked = await fetch(`${base}/_sim/revoke?user=${encodeURIComponent(staff[0].email)}`, { method: 'POST' });
    assert.ok(revoked.ok, `revoke answered ${revoked.status}`);
    await (await browser.$('[data-testid="sync-now"]')).click();
    await eventually(rowsAre(ORGS, 'needs_reconnect'), { timeout: 30000, message: 'every row to need reconnecting' });

    const orgs = await simJson('orgs');
    const tenantOf = (name) => orgs.find((o) => o.name === name).tenantId;
    const reconnectAll = await browser.$('[data-testid="reconnect-all"]');
    await reconnectAll.waitForExist({ timeout: 10000 });
    assert.match(await reconnectAll.getAttribute('title'), /one consent each/);
    await reconnectAll.click();

    const seen = [];
    for (let done = 0; done < ORGS; done++) {
      const standing = await eventually(
        async () => {
          const el = await browser.$('[data-testid="queue-standing"]');
          const text = (await el.isExisting()) ? await el.getText() : '';
          return text.startsWith(`${done} of ${ORGS} reconnected; next: `) ? text : null;
        },
        { timeout: 30000, message: `the banner to say ${done} of ${ORGS}` },
      );
      seen.push(standing);
      const next = standing.split('; next: ')[1];
      await consentInBrowser(openedUrls, ORGS + 1 + done, [tenantOf(next)]);
    }
    await eventually(rowsAre(ORGS, 'connected'), { timeout: 30000, message: 'every row connected again' });
    const toast = await browser.$('[data-testid="toast-text"]');
    await toast.waitForExist({ timeout: 10000 });
    assert.equal(await toast.getText(), `All ${ORGS} reconnected.`);
    // Each consent named a different file, in the order the queue keeps them (by name).
    const names = seen.map((s) => s.split('; next: ')[1]);
    assert.deepEqual(names, orgs.map((o) => o.name).sort());
    assert.equal(await (await browser.$('[data-testid="reconnect-all"]')).isExisting(), false);
  });
});
