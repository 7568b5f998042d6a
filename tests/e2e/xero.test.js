// Connecting Xero in the real app window, against the Xero simulator over real HTTP: "Add client
// files from Xero", the consent completed the way a person's browser does it (the consent page's
// form, ticked and submitted, then Xero's redirect back to the app), rows filling in; then a
// revoked consent shows "needs reconnect" and the row's Connect icon brings it back.
//
// The system browser is replaced by a recorder (SWITCHBOARD_BROWSER) so the test sees exactly the
// URL the app asked the OS to open; tokens go to the Linux kernel keyring (SWITCHBOARD_KEYRING).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './lib/harness.js';
import { consentInBrowser as consent, openAppOnSimulatedXero } from './lib/simulated-xero.js';

const ORGS = 4;

describe('Connecting Xero (real window, simulated Xero)', () => {
  let browser, base, openedUrls, close;

  before(async () => {
    ({ browser, base, openedUrls, close } = await openAppOnSimulatedXero({ orgs: ORGS, seed: 7, name: 'e2e-xero' }));
  });

  after(() => close?.());

  const simJson = async (path, init) => (await fetch(`${base}/_sim/${path}`, init)).json();

  /** What the person does in the browser: read the consent page, tick organisations, Allow. */
  async function consentInBrowser(urlIndex, tenantIds) {
    const url = await consent(openedUrls, urlIndex, tenantIds);
    assert.ok(url.startsWith(`${base}/login/identity/connect/authorize?`), url);
  }

  /** Each visible row as a person reads it: name, connection state, payroll and assets states. */
  const rowStates = async () =>
    browser.execute(() => {
      const shown = (el) => el && el.getClientRects().length > 0;
      const stateIn = (row, selector) =>
        [...row.querySelectorAll(selector)].find(shown)?.getAttribute('data-state');
      return [...document.querySelectorAll('[role="grid"] [role="row"][data-id]')].map((row) => ({
        name: row.querySelector('.name')?.textContent.trim(),
        connection: stateIn(row, '.c-connection [data-state]'),
        payroll: stateIn(row, '.c-services [data-service="Payroll"]'),
        assets: stateIn(row, '.c-services [data-service="Fixed Assets"]'),
      }));
    });

  test('adding client files from Xero fills the table with each organisation connected', async () => {
    const orgs = await simJson('orgs');
    assert.equal(orgs.length, ORGS);
    const chosen = orgs.slice(0, 3);
    await (await browser.$('[data-testid="add-from-xero"]')).click();
    await consentInBrowser(0, chosen.map((o) => o.tenantId));

    const rows = await eventually(
      async () => {
        const r = await rowStates();
        return r.length === 3 && r.every((x) => x.connection === 'connected') ? r : null;
      },
      { timeout: 30000, message: 'three connected rows' },
    );
    assert.deepEqual(rows.map((r) => r.name).sort(), chosen.map((o) => o.name).sort());
    // Payroll and fixed assets come from the sync's probes, matching what Xero (the simulator) has.
    for (const org of chosen) {
      const row = rows.find((r) => r.name === org.name);
      assert.equal(row.payroll, org.hasPayroll ? 'connected' : 'unavailable', `${org.name} payroll`);
      assert.equal(row.assets, org.hasAssets ? 'connected' : 'unavailable', `${org.name} assets`);
    }
  });

  test('a revoked consent shows needs reconnect, and the Connect icon brings it back', async () => {
    const staff = await simJson('staff');
    const user = staff[0].email;
    const revoked = await fetch(`${base}/_sim/revoke?user=${encodeURIComponent(user)}`, { method: 'POST' });
    assert.ok(revoked.ok, `revoke answered ${revoked.status}`);

    await (await browser.$('[data-testid="sync-now"]')).click();
    await eventually(
      async () => {
        const r = await rowStates();
        return r.length === 3 && r.every((x) => x.connection === 'needs_reconnect');
      },
      { timeout: 30000, message: 'every row to need reconnecting' },
    );

    const orgs = await simJson('orgs');
    const before = openedUrls().length;
    const connect = await browser.$('[role="grid"] [role="row"][data-id] .c-connection button');
    await connect.click();
    await consentInBrowser(before, orgs.slice(0, 3).map((o) => o.tenantId));
    await eventually(
      async () => {
        const r = await rowStates();
        return r.length === 3 && r.every((x) => x.connection === 'connected');
      },
      { timeout: 30000, message: 'the rows to be connected again' },
    );
  });
});
