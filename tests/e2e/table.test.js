// The Client Connections screen in the real app window: a cache of 200 generated files plus the
// named end-to-end files (crates/core/examples/seed_cache.rs --e2e), seeded through the core.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, launchApp, seedCache, tempWorkspace, rowXPath } from './lib/harness.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const TOTAL = 206; // 200 generated + 6 named

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text) {
  const records = [];
  let record = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field); records.push(record); record = []; field = '';
    } else field += c;
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  return records;
}

describe('Client Connections table (real window)', () => {
  let ws, app, browser;

  before(async () => {
    ws = tempWorkspace();
    seedCache(ws.cachePath, { files: 200, e2e: true });
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
    browser = app.browser;
    await browser.$('[data-testid="shown"]').waitForExist({ timeout: 30000 });
    // The first 100 rows are painted first; the tests start once all of them are in.
    await eventually(async () => (await shownText()) === `Showing ${TOTAL} of ${TOTAL} client files`, {
      message: 'all rows loaded',
    });
  });

  after(async () => {
    await app?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  /** Empties the search box the way a person's edit would (WebDriver's clear fires no input event). */
  async function emptySearch(input) {
    await browser.execute((el) => {
      el.value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, input);
  }
  async function clearSearch() {
    const input = await toTable();
    await emptySearch(input);
    await eventually(async () => (await shownText()) === `Showing ${TOTAL} of ${TOTAL} client files`, {
      message: 'all rows back',
    });
  }
  /** Back on the table screen (a failed test may have left another page open). */
  async function toTable() {
    const input = await browser.$('input[aria-label="Search client names"]');
    if (await input.isExisting()) return input;
    await browser.execute(() => { location.hash = '#/'; });
    await input.waitForExist({ timeout: 10000, timeoutMsg: 'the table screen did not come back' });
    return input;
  }
  /** What an element says, as text (independent of CSS such as text-transform or clipping). */
  const textOf = async (el) => (await el.getProperty('textContent')).trim();
  const shownText = async () => (await textOf(await browser.$('[data-testid="shown"]'))).replace(/\s+/g, ' ');
  async function searchFor(text) {
    const input = await toTable();
    await emptySearch(input);
    await input.addValue(text); // real key presses
  }
  async function row(name) {
    await searchFor(name);
    const r = await browser.$(rowXPath(name));
    await r.waitForExist({ timeout: 10000, timeoutMsg: `no row for ${name}` });
    return r;
  }
  const attr = async (parent, selector, name) => (await parent.$(selector)).getAttribute(name);

  test('the first rows the core sends are the rows the screen puts first', async () => {
    await clearSearch();
    const first = await browser.executeAsync((done) => {
      window.__TAURI_INTERNALS__.invoke('load_client_table_head').then((payload) => done(payload.rows.map((r) => r[0])));
    });
    assert.equal(first.length, 100);
    // The screen's own order, read from the rendered rows while scrolling through the first 100.
    const onScreen = await browser.executeAsync((done) => {
      const grid = document.querySelector('[role="grid"]');
      const ids = [];
      const step = () => {
        for (const r of grid.querySelectorAll('[role="row"][data-id]')) ids[Number(r.getAttribute('aria-rowindex')) - 2] = Number(r.dataset.id);
        if (grid.scrollTop >= 100 * 48) { grid.scrollTop = 0; done(ids.slice(0, 100)); return; }
        grid.scrollTop += grid.clientHeight / 2;
        requestAnimationFrame(() => requestAnimationFrame(step));
      };
      step();
    });
    assert.deepEqual(onScreen, first);
  });

  test('shows the row count of the cache and renders rows', async () => {
    assert.equal(await shownText(), `Showing ${TOTAL} of ${TOTAL} client files`);
    const grid = await browser.$('[role="grid"]');
    assert.equal(await grid.getAttribute('aria-rowcount'), String(TOTAL + 1));
    const rows = await browser.$$('[role="grid"] [role="row"][data-id]');
    assert.ok(rows.length >= 10, `expected visible rows, got ${rows.length}`);
    assert.ok(rows.length < TOTAL, `rendering is virtualised (got ${rows.length} of ${TOTAL} rows in the DOM)`);
    const firstName = await textOf(await rows[0].$('.name'));
    assert.ok(firstName.trim().length > 0, 'first row has a name');
    // All nine column headers, in design order.
    const headers = await browser.$$('[role="columnheader"]');
    assert.equal(headers.length, 9);
    const firstHeader = await textOf(headers[0]);
    assert.match(firstHeader, /Client name/);
    assert.match(await textOf(headers[8]), /Settings/);
  });

  test('typing in search narrows the rows', async () => {
    await searchFor('Acme');
    await eventually(async () => (await shownText()) === `Showing 1 of ${TOTAL} client files`, {
      message: '"Acme" to leave one row',
    });
    const rows = await browser.$$('[role="grid"] [role="row"][data-id]');
    assert.equal(rows.length, 1);
    assert.equal(await textOf(await rows[0].$('.name')), 'Acme Plumbing Ltd');
    await searchFor('no client is called this zzzz');
    await eventually(async () => (await shownText()) === `Showing 0 of ${TOTAL} client files`, { message: 'no rows' });
    assert.equal((await browser.$$('[role="grid"] [role="row"][data-id]')).length, 0);
    await clearSearch();
  });

  test('Acme Plumbing Ltd: Xero logo, connected, payroll ok, assets unavailable, dashboard, XPM linked', async () => {
    const r = await row('Acme Plumbing Ltd');
    assert.equal(await attr(r, '.c-software svg', 'data-logo'), 'xero');
    assert.equal(await attr(r, '.c-connection [data-state]', 'data-state'), 'connected');
    assert.match(await attr(r, '.c-connection [data-state]', 'title'), /connected/i);
    assert.equal(await attr(r, '.c-services [data-service="Payroll"]', 'data-state'), 'connected');
    assert.equal(await attr(r, '.c-services [data-service="Fixed Assets"]', 'data-state'), 'unavailable');
    assert.match(await attr(r, '.c-services [data-service="Fixed Assets"]', 'title'), /not subscribed/i);
    const dash = await r.$('.c-account button[data-action="open_xero_dashboard"]');
    assert.ok(await dash.isExisting(), 'account dashboard arrow');
    assert.match(await dash.getAttribute('title'), /!Acme1/);
    assert.ok(await r.$('.c-xpmdash button[data-action="open_xpm_dashboard"]').isExisting(), 'XPM dashboard arrow');
    assert.equal(await attr(r, '.c-xpm [data-state]', 'data-state'), 'linked');
    assert.match(await attr(r, '.c-xpm button', 'title'), /Acme Plumbing/);
  });

  test('Beacon Dental: needs reconnect, with the reason in the tooltip', async () => {
    const r = await row('Beacon Dental');
    assert.equal(await attr(r, '.c-connection [data-state]', 'data-state'), 'needs_reconnect');
    const button = await r.$('.c-connection button[data-action="connect"]');
    assert.match(await button.getAttribute('title'), /Needs reconnect: The refresh token expired/);
    assert.equal(await attr(r, '.c-services [data-service="Payroll"]', 'data-state'), 'unavailable');
  });

  test('Cobalt Cafe: QuickBooks logo, Connect icon, "-" dashboards, no XPM link', async () => {
    const r = await row('Cobalt Cafe');
    assert.equal(await attr(r, '.c-software svg', 'data-logo'), 'quickbooks_online');
    assert.match(await attr(r, '.c-software [title]', 'title'), /QuickBooks/);
    assert.equal(await attr(r, '.c-connection [data-state]', 'data-state'), 'not_connected');
    assert.equal(await textOf(await r.$('.c-account')), '-');
    assert.equal(await r.$('.c-account button').isExisting(), false);
    assert.equal(await textOf(await r.$('.c-xpmdash')), '-');
    assert.equal(await attr(r, '.c-xpm [data-state]', 'data-state'), 'none');
  });

  test('Delta Joinery: last sync failed warning, payroll disconnected by staff', async () => {
    const r = await row('Delta Joinery');
    assert.equal(await attr(r, '[data-sync]', 'data-sync'), 'failed');
    assert.match(await attr(r, '[data-sync]', 'title'), /Last sync failed .*503 Service Unavailable/);
    assert.match(await textOf(await r.$('[data-sync]')), /Sync failed/);
    assert.equal(await attr(r, '.c-services [data-service="Payroll"]', 'data-state'), 'disconnected_by_staff');
  });

  test('Ember & Co: MYOB logo', async () => {
    const r = await row('Ember & Co');
    assert.equal(await attr(r, '.c-software svg', 'data-logo'), 'myob');
  });

  test('hovering a name reveals Work list and Client Console links to that client', async () => {
    const r = await row('Acme Plumbing Ltd');
    const id = await r.getAttribute('data-id');
    const workList = await r.$('a[data-link="work-list"]');
    const consoleLink = await r.$('a[data-link="console"]');
    // Hidden until the name is hovered.
    await (await browser.$('input[aria-label="Search client names"]')).moveTo();
    await eventually(async () => !(await workList.isDisplayed()) && !(await consoleLink.isDisplayed()), {
      message: 'links hidden without hover',
    });
    await r.$('.name').moveTo();
    await eventually(async () => (await workList.isDisplayed()) && (await consoleLink.isDisplayed()), {
      message: 'hover links to show',
    });
    assert.equal(await textOf(workList), 'Work list');
    assert.equal(await textOf(consoleLink), 'Client Console');

    // Client Console: that client's name, short code and tenant.
    await consoleLink.click();
    const title = await browser.$('h1.page-title');
    await eventually(async () => (await title.getText()) === 'Acme Plumbing Ltd', { message: 'console page title' });
    assert.equal(await browser.execute(() => location.hash), `#/clients/${id}/console`);
    assert.equal(await textOf(await browser.$('[data-field="short_code"]')), '!Acme1');
    assert.equal(await textOf(await browser.$('[data-field="tenant_id"]')), 'e2e-tenant-acme');
    assert.equal(await textOf(await browser.$('[data-field="xpm_name"]')), 'Acme Plumbing');
    await browser.$('[data-testid="back"]').click();

    // Work list: that client's problems (fixed assets not subscribed), nothing about reconnecting.
    const r2 = await row('Acme Plumbing Ltd');
    await r2.$('.name').moveTo();
    await r2.$('a[data-link="work-list"]').click();
    await eventually(async () => (await textOf(await browser.$('p.kicker'))) === 'Work list', { message: 'work list page' });
    await eventually(async () => (await textOf(await browser.$('h1.page-title'))) === 'Acme Plumbing Ltd', {
      message: 'work list title',
    });
    assert.equal(await browser.execute(() => location.hash), `#/clients/${id}/work-list`);
    const problems = await browser.$$('li.work-item');
    const kinds = [];
    for (const p of problems) kinds.push(await p.getAttribute('data-problem'));
    assert.deepEqual(kinds, ['fixed_assets_unavailable']);

    // And a different client's work list differs: Beacon needs reconnecting, most severe first.
    await browser.$('[data-testid="back"]').click();
    const beacon = await row('Beacon Dental');
    await beacon.$('.name').moveTo();
    await beacon.$('a[data-link="work-list"]').click();
    await eventually(async () => (await textOf(await browser.$('h1.page-title'))) === 'Beacon Dental', {
      message: 'Beacon work list',
    });
    const first = await browser.$('li.work-item');
    assert.equal(await first.getAttribute('data-problem'), 'needs_reconnect');
    assert.match(await textOf(first), /refresh token expired/);
    await browser.$('[data-testid="back"]').click();
    await browser.$('[data-testid="shown"]').waitForExist({ timeout: 10000 });
    await clearSearch();
  });

  test('a hostile client name is shown as text and runs no script', async () => {
    const r = await row(HOSTILE);
    assert.equal(await textOf(await r.$('.name')), HOSTILE);
    const imgs = await browser.execute(() => document.querySelectorAll('img[src="x"], img[onerror]').length);
    assert.equal(imgs, 0, 'no img element was created from the name');
    await assert.rejects(() => browser.getAlertText(), /no such alert|alert/i, 'no alert dialog is open');
    // Its console page shows it as text too.
    await r.$('.name').moveTo();
    await r.$('a[data-link="console"]').click();
    await eventually(async () => (await textOf(await browser.$('h1.page-title'))) === HOSTILE, { message: 'hostile console' });
    assert.equal(await browser.execute(() => document.querySelectorAll('img[src="x"], img[onerror]').length), 0);
    await assert.rejects(() => browser.getAlertText(), /no such alert|alert/i);
    await browser.$('[data-testid="back"]').click();
    await browser.$('[data-testid="shown"]').waitForExist({ timeout: 10000 });
    await clearSearch();
  });

  test('the page runs under the strict CSP and may call only the app\'s own commands', async () => {
    await toTable();
    const probe = await browser.executeAsync((done) => {
      const result = { inlineScriptRan: false, evalWorked: false, globalTauri: typeof window.__TAURI__ !== 'undefined' };
      window.__cspProbe = false;
      const s = document.createElement('script');
      s.textContent = 'window.__cspProbe = true;';
      document.head.append(s);
      result.inlineScriptRan = window.__cspProbe === true;
      s.remove();
      try { result.evalWorked = window.eval('1 + 1') === 2; } catch { result.evalWorked = false; }
      const invoke = window.__TAURI_INTERNALS__.invoke;
      Promise.allSettled([
        invoke('cache_status'),
        invoke('plugin:app|version'),
        invoke('plugin:window|close', { label: 'main' }),
      ]).then(([own, app, win]) => {
        result.own = own.status;
        result.app = app.status === 'rejected' ? String(app.reason) : 'allowed';
        result.win = win.status === 'rejected' ? String(win.reason) : 'allowed';
        done(result);
      });
    });
    assert.equal(probe.inlineScriptRan, false, 'an injected inline script must not run');
    assert.equal(probe.evalWorked, false, 'eval must be blocked (no unsafe-eval)');
    assert.equal(probe.globalTauri, false, 'withGlobalTauri is false');
    assert.equal(probe.own, 'fulfilled', 'the app\'s own command is allowed');
    assert.match(probe.app, /not allowed/i, 'core app commands are not granted');
    assert.match(probe.win, /not allowed/i, 'window commands are not granted');
  });

  test('Export CSV writes the rows on screen to SWITCHBOARD_EXPORT_DIR', async () => {
    // "d" keeps Acme Plumbing Ltd, Beacon Dental and Delta Joinery, and drops Cobalt Cafe and Ember & Co.
    await searchFor('d');
    await eventually(async () => /^Showing \d+ of/.test(await shownText()) && (await shownText()) !== `Showing ${TOTAL} of ${TOTAL} client files`, { message: 'search applied' });
    const shown = Number((await shownText()).match(/^Showing ([\d,]+) of/)[1].replace(/,/g, ''));
    assert.ok(shown > 3 && shown < TOTAL, `search "d" narrows to some rows (got ${shown})`);
    const exportButton = await browser.$('//button[contains(., "Export CSV")]');
    await exportButton.click();
    const banner = await browser.$('[data-testid="export-result"]');
    await banner.waitForExist({ timeout: 15000 });
    const bannerText = await textOf(banner);
    assert.match(bannerText, new RegExp(`Exported ${shown} rows? to`));
    const files = readdirSync(ws.exportDir).filter((f) => f.endsWith('.csv'));
    assert.equal(files.length, 1, `one CSV in ${ws.exportDir}`);
    assert.ok(bannerText.includes(join(ws.exportDir, files[0])), 'banner names the file');
    const csv = readFileSync(join(ws.exportDir, files[0]), 'utf8');
    const records = parseCsv(csv.replace(/^\uFEFF/, ''));
    assert.equal(records.length, shown + 1, 'a header plus one record per row on screen');
    assert.equal(records[0][0], 'Client name');
    for (const name of ['Acme Plumbing Ltd', 'Beacon Dental', 'Delta Joinery', '!Acme1']) {
      assert.ok(csv.includes(name), `CSV contains ${name}`);
    }
    for (const name of ['Cobalt Cafe', 'Ember & Co']) {
      assert.ok(!csv.includes(name), `rows not on screen are not exported (${name})`);
    }
    await clearSearch();
  });
});
