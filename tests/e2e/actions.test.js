// A row's one-click links and its Settings menu in the real app window, against the Xero
// simulator over real HTTP: the Xero dashboard opened from the Xero logo and from the Account
// Dashboard arrow (the URL handed to the system browser is recorded by a stand-in browser,
// SWITCHBOARD_BROWSER), rename (kept across a sync), disconnect payroll, and delete with the
// typed-name confirmation (the organisation is disconnected at Xero first).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, rowXPath, typeInto as typeIntoField } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

const ORGS = 3;


describe('Dashboards and the Settings menu (real window, simulated Xero)', () => {
  let browser, base, ws, openedUrls, close, orgs;

  before(async () => {
    ({ browser, base, ws, openedUrls, close } = await openAppOnSimulatedXero({ orgs: ORGS, seed: 11, name: 'e2e-actions' }));

    // Connect every organisation: the consent page completed the way a person's browser does it.
    orgs = await simJson('orgs');
    await (await browser.$('[data-testid="add-from-xero"]')).click();
    await consentInBrowser(openedUrls, 0, orgs.map((o) => o.tenantId));
    await eventually(async () => (await rowNames()).length === ORGS && (await connectedCount()) === ORGS, {
      timeout: 30000,
      message: 'every organisation connected',
    });
  });

  after(() => close?.());

  async function simJson(path) {
    return (await fetch(`${base}/_sim/${path}`)).json();
  }
  const rowNames = () =>
    browser.execute(() => [...document.querySelectorAll('[role="grid"] [role="row"][data-id] .name')].map((n) => n.textContent.trim()));
  const connectedCount = () =>
    browser.execute(
      () => document.querySelectorAll('[role="grid"] [role="row"][data-id] .c-connection [data-state="connected"]').length,
    );
  async function row(name) {
    const r = await browser.$(rowXPath(name));
    await r.waitForExist({ timeout: 10000, timeoutMsg: `no row for ${name}` });
    return r;
  }
  const typeInto = (selector, text) => typeIntoField(browser, selector, text);
  async function settingsItem(name, action) {
    await (await (await row(name)).$('[aria-colindex="9"] button')).click();
    const item = await browser.$(`[role="menu"] [data-action="${action}"]`);
    await item.waitForExist({ timeout: 5000 });
    await item.click();
  }
  const payrollState = async (name) =>
    (await (await row(name)).$('.c-services [data-service="Payroll"][data-state]')).getAttribute('data-state');

  test('the Xero logo and the Account Dashboard arrow open the organisation’s dashboard in the browser', async () => {
    const org = orgs[0];
    assert.ok(org.shortCode.startsWith('!'), org.shortCode);
    const expected = `https://go.xero.com/organisationlogin/default.aspx?shortcode=${encodeURIComponent(org.shortCode).replace('!', '%21')}&redirecturl=/Dashboard/`;
    const before = openedUrls().length;
    await (await (await row(org.name)).$('[aria-colindex="2"] button')).click();
    await eventually(() => openedUrls().length === before + 1, { message: 'the logo to open the browser' });
    await (await (await row(org.name)).$('[aria-colindex="5"] button')).click();
    await eventually(() => openedUrls().length === before + 2, { message: 'the arrow to open the browser' });
    assert.deepEqual(openedUrls().slice(before), [expected, expected]);
  });

  test('rename: the new name shows, survives a sync, and the name from Xero stays beside it', async () => {
    const org = orgs[1];
    await settingsItem(org.name, 'rename_client');
    const remote = await browser.$('[data-testid="remote-name"]');
    await remote.waitForExist({ timeout: 5000 });
    assert.equal((await remote.getProperty('textContent')).trim(), org.name);
    await typeInto('[data-testid="rename-input"]', '   ');
    await (await browser.$('[data-testid="rename-save"]')).click();
    const error = await browser.$('[data-testid="dialog-error"]');
    await error.waitForExist({ timeout: 5000 });
    assert.equal((await error.getProperty('textContent')).trim(), 'A client name cannot be empty.');

    await typeInto('[data-testid="rename-input"]', 'Renamed by staff');
    await (await browser.$('[data-testid="rename-save"]')).click();
    await row('Renamed by staff');
    await (await browser.$('[data-testid="sync-now"]')).click();
    const toastText = async () => {
      const t = await browser.$('[data-testid="toast-text"]');
      return (await t.isExisting()) ? (await t.getProperty('textContent')).trim() : '';
    };
    await eventually(async () => (await toastText()).startsWith(`Synced ${ORGS}`), { timeout: 30000, message: 'the sync to end' });
    assert.ok((await rowNames()).includes('Renamed by staff'));
    assert.ok(!(await rowNames()).includes(org.name));
  });

  test('disconnect payroll: the row says "disconnected by staff"', async () => {
    const org = orgs.find((o) => o.hasPayroll) ?? orgs[0];
    const name = (await rowNames()).includes(org.name) ? org.name : 'Renamed by staff';
    assert.notEqual(await payrollState(name), 'disconnected_by_staff');
    await settingsItem(name, 'disconnect_payroll');
    await (await browser.$('[data-testid="payroll-apply"]')).click();
    await eventually(async () => (await payrollState(name)) === 'disconnected_by_staff', { message: 'payroll disconnected by staff' });

    // The Client Console page shows it in the file's audit history.
    const id = await (await row(name)).getAttribute('data-id');
    await browser.execute((hash) => { location.hash = hash; }, `#/clients/${id}/console`);
    const entry = await browser.$('[data-testid="history-row"] [data-action="disconnect_payroll"]');
    await entry.waitForExist({ timeout: 10000, timeoutMsg: 'no disconnect_payroll entry in the history' });
    assert.equal((await entry.getProperty('textContent')).trim(), 'Disconnected payroll');
    assert.equal(
      (await (await browser.$('[data-field="payroll"]')).getProperty('textContent')).trim(),
      'Disconnected by staff',
    );
    await browser.execute(() => { location.hash = '#/'; });
    await browser.$('[role="grid"]').waitForExist({ timeout: 10000 });
  });

  test('delete: the name must be typed; the organisation is disconnected at Xero and the row is gone', async () => {
    const org = orgs[2];
    const before = (await simJson('state')).connections;
    await settingsItem(org.name, 'delete_client');
    const confirm = await browser.$('[data-testid="delete-confirm"]');
    await confirm.waitForExist({ timeout: 5000 });
    await typeInto('[data-testid="delete-input"]', 'not the name');
    assert.equal(await confirm.isEnabled(), false);
    await typeInto('[data-testid="delete-input"]', org.name);
    assert.equal(await confirm.isEnabled(), true);
    await confirm.click();
    await eventually(async () => !(await rowNames()).includes(org.name), { timeout: 20000, message: 'the row to go' });
    assert.equal((await rowNames()).length, ORGS - 1);
    assert.equal((await simJson('state')).connections, before - 1);
  });

  test('who can see what: after asking Xero for every file, the staff member who connected them reaches each; exported as CSV', async () => {
    const staff = (await simJson('staff'))[0];
    await browser.execute((hash) => { location.hash = hash; }, `#/access/${encodeURIComponent(staff.email)}`);
    await (await browser.$('[data-testid="access-fetch-all"]')).waitForExist({ timeout: 10000 });
    await (await browser.$('[data-testid="access-fetch-all"]')).click();
    await eventually(async () => (await browser.$$('[data-testid="access-row"]')).length === ORGS - 1, {
      timeout: 20000,
      message: 'a row for every remaining client file',
    });
    await (await browser.$('[data-testid="access-export"]')).click();
    const csv = await eventually(() => readdirSync(ws.exportDir).find((f) => f.startsWith('Switchboard access')), {
      message: 'the CSV file',
    });
    const text = readFileSync(join(ws.exportDir, csv), 'utf8');
    assert.ok(text.startsWith('\ufeffEmail,Client name,Name in Xero,Xero role,Subscriber,'), text.slice(0, 80));
    assert.equal(text.trim().split('\n').length, ORGS, 'a header and a line per file');
    assert.ok(text.includes(staff.email));
  });
});
