// Accessibility audit of the real window with axe-core: every screen and every dialog, each a test
// that fails on any violation of impact serious or critical and prints each one (rule, impact,
// element, what is wrong). The same launch serves a group of screens:
// - a cache of hand-made files, generated files and an XPM practice: the Client Connections table
//   (plain, a selected and a hovered row, the Settings menu, the Import menu), every Settings-menu
//   dialog, Add client, both Imports, the XPM link pop-up, and the Client Console, Work list,
//   Reports, Settings, Who can see what and XPM review pages;
// - the simulated Xero: connected rows, the wait for consent, the merge question, the users Xero
//   lists for a file, and a Reports page full of reports;
// - a damaged cache: the unusable-cache screen, then the empty table of a fresh cache.
// In each dialog Tab and Shift+Tab must keep focus inside, and Escape must close it and hand focus
// back to the control that opened it.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { axeViolations, describeViolations } from './lib/axe.js';
import { debugBinary, eventually, launchApp, seedCache, tempWorkspace, rowXPath } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

const started = Date.now();
after(() => console.log(`# axe audit: ${((Date.now() - started) / 1000).toFixed(1)} s in all`));

/** Audits the window as it is now and fails with every serious or critical violation listed. */
async function expectAccessible(browser, screen, options) {
  const t0 = Date.now();
  const violations = await axeViolations(browser, options);
  if (violations.length > 0) assert.fail(describeViolations(screen, violations));
  console.log(`# axe: ${screen}: clean (${Date.now() - t0} ms)`);
}


/** Helpers over one window. */
function windowHelpers(browser) {
  const exists = async (selector) => (await browser.$(selector)).isExisting();
  const waitFor = async (selector, timeout = 15000) => {
    const el = await browser.$(selector);
    await el.waitForExist({ timeout, timeoutMsg: `${selector} did not appear` });
    return el;
  };
  const waitGone = (selector) => eventually(async () => !(await exists(selector)), { message: `${selector} to close` });
  /** Marks `el` as the control that opens a dialog, to check focus comes back to it. */
  const markOpener = (el) => browser.execute((e) => e.setAttribute('data-a11y-opener', ''), el);
  const focusIsOnOpener = () =>
    browser.execute(() => {
      const active = document.activeElement;
      const opener = document.querySelector('[data-a11y-opener]');
      opener?.removeAttribute('data-a11y-opener');
      return !!opener && active === opener;
    });
  const focusInside = (selector) => browser.execute((s) => !!document.querySelector(s)?.contains(document.activeElement), selector);
  /**
   * Tab past the last control and Shift+Tab past the first: focus stays inside the dialog. Then
   * Escape from where focus is; the dialog closes and focus is back on what opened it.
   */
  async function escapeReturnsFocus(dialogSelector) {
    assert.ok(await focusInside(dialogSelector), `focus is inside ${dialogSelector}`);
    const stops = await browser.execute(
      (s) => document.querySelector(s).querySelectorAll('a[href], button:not(:disabled), input:not(:disabled), select, textarea, [tabindex="0"]').length,
      dialogSelector,
    );
    for (let i = 0; i <= stops; i++) {
      await browser.keys('Tab');
      assert.ok(await focusInside(dialogSelector), `Tab ${i + 1} keeps focus inside ${dialogSelector}`);
    }
    for (let i = 0; i <= stops; i++) {
      await browser.keys(['Shift', 'Tab', 'Shift']);
      assert.ok(await focusInside(dialogSelector), `Shift+Tab ${i + 1} keeps focus inside ${dialogSelector}`);
    }
    await browser.keys('Escape');
    await waitGone(dialogSelector);
    assert.ok(await eventually(focusIsOnOpener, { timeout: 3000, message: 'focus back on the opener' }));
  }
  /** Closes whatever a failed test left open (menus, dialogs), so the next one starts clean. */
  async function closeAll() {
    for (let i = 0; i < 3; i++) {
      const open = await browser.execute(() => !!document.querySelector('[aria-modal="true"], [role="menu"]'));
      if (!open) return;
      await browser.execute(() => document.querySelector('[aria-modal="true"] button, [role="menu"] [role="menuitem"]')?.focus());
      await browser.keys('Escape');
      await browser.pause(200);
    }
  }
  /** Back to the Client Connections table, all rows shown. */
  async function openTable() {
    await browser.execute(() => {
      location.hash = '#/';
    });
    await waitFor('[role="grid"] [role="row"][data-id]');
  }
  /** Goes to a hash route and waits for the page's heading to be more than "Loading…". */
  async function openPage(hash) {
    await browser.execute((h) => {
      location.hash = h;
    }, hash);
    await eventually(
      () =>
        browser.execute(() => {
          const h = document.querySelector('.page-title');
          return !!h && !/Loading/.test(h.textContent) && !document.querySelector('[role="status"].muted');
        }),
      { message: `${hash} to load` },
    );
    await browser.pause(200);
  }
  return { exists, waitFor, waitGone, markOpener, escapeReturnsFocus, openPage, openTable, closeAll };
}

describe('accessibility: the table, its dialogs and the pages (real window, axe-core)', () => {
  let ws, app, browser, h, seeded;

  before(async () => {
    ws = tempWorkspace('switchboard-e2e-a11y-');
    seedCache(ws.cachePath, { files: 30, e2e: true });
    // An XPM practice (and a few more files matched to it) for the XPM pop-up and the review page.
    seeded = JSON.parse(
      execFileSync(debugBinary('examples/seed_xpm'), [ws.cachePath, '--files', '6', '--xpm', '30', '--seed', '5'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
    browser = app.browser;
    h = windowHelpers(browser);
    await h.waitFor('[data-testid="shown"]', 30000);
    await eventually(
      async () => /^Showing (\d+) of \1 client files$/.test((await (await browser.$('[data-testid="shown"]')).getText()).trim()),
      { timeout: 30000, message: 'every row loaded' },
    );
  });

  after(async () => {
    await app?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  beforeEach(() => h?.closeAll());

  test('the audit finds what it must (a planted unreadable text and a nameless button)', async () => {
    await browser.execute(() => {
      const box = document.createElement('div');
      box.id = 'a11y-planted';
      // Styled through the CSSOM: the app's CSP refuses style attributes.
      const faint = document.createElement('p');
      faint.textContent = 'faint text';
      faint.style.color = '#bbbbbb';
      faint.style.background = '#ffffff';
      const nameless = document.createElement('button');
      nameless.type = 'button';
      nameless.append(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
      box.append(faint, nameless);
      // In view and on top: axe leaves text it cannot see undecided rather than failing it.
      Object.assign(box.style, { position: 'fixed', top: '0', left: '0', zIndex: '1000', background: '#ffffff' });
      document.body.append(box);
    });
    try {
      const found = await axeViolations(browser, { include: '#a11y-planted' });
      assert.deepEqual(found.map((v) => v.id).sort(), ['button-name', 'color-contrast']);
    } finally {
      await browser.execute(() => document.getElementById('a11y-planted')?.remove());
    }
  });

  const firstRowId = () => browser.execute(() => document.querySelector('[role="grid"] [role="row"][data-id]')?.getAttribute('data-id'));
  const rowWhere = (id) => `[role="grid"] [role="row"][data-id="${id}"]`;
  /** A row whose Settings menu offers `action` (not greyed). */
  const rowOffering = (action) =>
    browser.execute(async (wanted) => {
      for (const row of document.querySelectorAll('[role="grid"] [role="row"][data-id]')) {
        const gear = row.querySelector('[aria-colindex="9"] button');
        gear.click();
        await new Promise((r) => setTimeout(r, 50));
        const item = document.querySelector(`[role="menu"] [data-action="${wanted}"]`);
        const ok = item && item.getAttribute('aria-disabled') !== 'true';
        document.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        window.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 50));
        if (ok) return row.getAttribute('data-id');
      }
      return null;
    }, action);

  test('Client Connections table', async () => {
    await expectAccessible(browser, 'Client Connections table');
  });

  test('Client Connections table with a selected and a hovered row', async () => {
    await (await browser.$('[role="grid"]')).click();
    await browser.keys(['ArrowDown', 'ArrowDown']);
    await h.waitFor('[role="grid"] .row.selected');
    const rows = await browser.$$('[role="grid"] [role="row"][data-id]');
    await rows[3].moveTo();
    await expectAccessible(browser, 'table, selected and hovered rows');
  });

  test('the Import menu', async () => {
    const trigger = await browser.$('[data-testid="import-menu"]');
    await trigger.click();
    await h.waitFor('[data-testid="import-xpm"]');
    await expectAccessible(browser, 'Import menu');
    await browser.keys('Escape');
    await h.waitGone('[data-testid="import-xpm"]');
  });

  test('the Settings menu', async () => {
    const id = await firstRowId();
    const gear = await browser.$(`${rowWhere(id)} [aria-colindex="9"] button`);
    await gear.click();
    await h.waitFor('[role="menu"] [role="menuitem"]');
    await expectAccessible(browser, 'Settings menu');
    await browser.keys('Escape');
    await h.waitGone('[role="menu"]');
    assert.ok(await browser.execute((el) => document.activeElement === el, gear), 'focus back on the gear');
  });

  const menuDialogs = [
    ['user_access', 'user-access-dialog', 'User access'],
    ['console_settings', 'console-settings-dialog', 'Client Console settings'],
    ['console_users', 'console-users-dialog', 'Client Console users'],
    ['rename_client', 'rename-dialog', 'Rename client'],
    ['disconnect_payroll', 'payroll-dialog', 'Disconnect payroll'],
    ['delete_client', 'delete-dialog', 'Delete client'],
  ];
  for (const [action, testid, title] of menuDialogs) {
    test(`the ${title} dialog`, async () => {
      const id = await rowOffering(action);
      assert.ok(id, `a row offers ${action}`);
      const gear = await browser.$(`${rowWhere(id)} [aria-colindex="9"] button`);
      await gear.click();
      await (await h.waitFor(`[role="menu"] [data-action="${action}"]`)).click();
      await h.waitFor(`[data-testid="${testid}"]`);
      await browser.pause(300); // what the dialog asks the core for (it answers offline here)
      await h.markOpener(gear);
      await expectAccessible(browser, `${title} dialog`);
      await h.escapeReturnsFocus(`[data-testid="${testid}"]`);
    });
  }

  test('the Add client dialog', async () => {
    const opener = await browser.$('[data-testid="add-client"]');
    await opener.click();
    await h.waitFor('[data-testid="add-client-dialog"]');
    await h.markOpener(opener);
    await expectAccessible(browser, 'Add client dialog');
    await h.escapeReturnsFocus('[data-testid="add-client-dialog"]');
  });

  for (const [source, label] of [['xpm', 'Import from XPM'], ['csv', 'Import from a CSV file']]) {
    test(`the ${label} dialog`, async () => {
      const trigger = await browser.$('[data-testid="import-menu"]');
      await trigger.click();
      await (await h.waitFor(`[data-testid="import-${source}"]`)).click();
      await h.waitFor('[data-testid="import-dialog"]');
      await browser.pause(500); // the XPM preview
      await h.markOpener(trigger);
      await expectAccessible(browser, `${label} dialog`);
      await h.escapeReturnsFocus('[data-testid="import-dialog"]');
    });
  }

  test('the XPM link pop-up', async () => {
    // The grid draws only the rows in view: search for the file to bring its row in.
    const search = await browser.$('input[aria-label="Search client names"]');
    await search.addValue(seeded.file_name);
    const opener = await h.waitFor(`${rowWhere(seeded.file_id)} [aria-colindex="7"] button`);
    await opener.click();
    await h.waitFor('[data-testid="xpm-dialog"]');
    await h.waitFor('[data-testid="xpm-option"]');
    await h.markOpener(opener);
    await expectAccessible(browser, 'XPM link pop-up');
    // A search that lists more clients than the list shows at once (it scrolls).
    await (await browser.$('[data-testid="xpm-search"]')).addValue('e');
    await eventually(async () => (await browser.$$('[data-testid="xpm-option"]')).length > 8, { message: 'a long result list' });
    await expectAccessible(browser, 'XPM link pop-up, searching');
    await h.escapeReturnsFocus('[data-testid="xpm-dialog"]');
    await browser.execute((el) => {
      el.value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, search);
  });

  test('the Client Console page', async () => {
    await h.openTable();
    await h.openPage(`#/clients/${await firstRowId()}/console`);
    await expectAccessible(browser, 'Client Console page');
  });

  test('the Work list page', async () => {
    await h.openTable();
    await h.openPage(`#/clients/${await firstRowId()}/work-list`);
    await expectAccessible(browser, 'Work list page');
  });

  test('the Reports page', async () => {
    await h.openPage(`#/clients/${seeded.file_id}/reports`);
    await expectAccessible(browser, 'Reports page');
  });

  test('the Settings page', async () => {
    await h.openPage('#/settings');
    await expectAccessible(browser, 'Settings page');
  });

  test('the Who can see what page', async () => {
    await h.openPage('#/access/');
    await expectAccessible(browser, 'Who can see what page (no email)');
    await h.openPage(`#/access/${encodeURIComponent('someone@example.com')}`);
    await expectAccessible(browser, 'Who can see what page (an email)');
  });

  test('the XPM review page', async () => {
    await h.openPage('#/xpm-review');
    await expectAccessible(browser, 'XPM review page');
  });
});

describe('accessibility: connecting with Xero and the merge question (real window, simulated Xero)', () => {
  let browser, base, openedUrls, close, h;

  before(async () => {
    ({ browser, base, openedUrls, close } = await openAppOnSimulatedXero({
      orgs: 2,
      seed: 9,
      name: 'e2e-a11y',
      add: ['Hand Made Ltd=xero', 'Twin Ltd=xero', 'Books Co=quickbooks_online'],
    }));
    h = windowHelpers(browser);
  });

  after(() => close?.());

  const connectIcon = (name) => browser.$(`${rowXPath(name)}//*[@data-action="connect"]`);

  test('the table with files not connected yet', async () => {
    await expectAccessible(browser, 'table before connecting');
  });

  test('waiting for consent in the browser, then connected rows', async () => {
    const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    await (await connectIcon('Hand Made Ltd')).click();
    await h.waitFor('[data-testid="waiting"]');
    await expectAccessible(browser, 'waiting for consent');
    await consentInBrowser(openedUrls, 0, [org.tenantId]);
    await eventually(async () => (await (await browser.$(`${rowXPath('Hand Made Ltd')}//*[@data-state="connected"]`)).isExisting()), {
      timeout: 30000,
      message: 'Hand Made Ltd connected',
    });
    await expectAccessible(browser, 'connected rows and the toast');
  });

  test('the merge question', async () => {
    const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    const opener = await connectIcon('Twin Ltd');
    await opener.click();
    await consentInBrowser(openedUrls, 1, [org.tenantId]);
    await h.waitFor('[data-testid="merge-dialog"]', 30000);
    await expectAccessible(browser, 'merge dialog');
    await browser.keys('Escape');
    await h.waitGone('[data-testid="merge-dialog"]');
  });

  const rowId = (name) =>
    browser.execute(
      (wanted) =>
        [...document.querySelectorAll('[role="grid"] [role="row"][data-id]')]
          .find((r) => r.querySelector('.name')?.textContent.trim() === wanted)
          ?.getAttribute('data-id'),
      name,
    );

  test('the User access dialog with the users Xero lists', async () => {
    const id = await rowId('Hand Made Ltd');
    const gear = await browser.$(`[role="row"][data-id="${id}"] [aria-colindex="9"] button`);
    await gear.click();
    await (await h.waitFor('[role="menu"] [data-action="user_access"]')).click();
    await h.waitFor('[data-testid="xero-user"]', 30000);
    await h.markOpener(gear);
    await expectAccessible(browser, 'User access dialog, users listed');
    await h.escapeReturnsFocus('[data-testid="user-access-dialog"]');
  });

  test('the Reports page with reports from Xero', async () => {
    const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    const id = await rowId('Hand Made Ltd');
    await h.openPage(`#/clients/${id}/reports`);
    await (await h.waitFor('[data-testid="allow-reports"]', 30000)).click();
    await consentInBrowser(openedUrls, 2, [org.tenantId]);
    await eventually(
      () => browser.execute(() => document.querySelector('[data-testid="net-profit-this-month"]')?.getAttribute('data-cents')),
      { timeout: 40000, message: 'the reports to be fetched' },
    );
    await expectAccessible(browser, 'Reports page with reports');
  });
});

describe('accessibility: a damaged cache, then a fresh one (real window)', () => {
  let ws, app, browser, h;

  before(async () => {
    ws = tempWorkspace('switchboard-e2e-a11y-unusable-');
    writeFileSync(ws.cachePath, Buffer.concat([Buffer.from('this is not a SQLite database\n'), randomBytes(4096)]));
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
    browser = app.browser;
    h = windowHelpers(browser);
  });

  after(async () => {
    await app?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  test('the unusable-cache screen', async () => {
    await h.waitFor('[data-testid="unusable"]', 30000);
    await expectAccessible(browser, 'unusable-cache screen');
  });

  test('the empty table of a fresh cache', async () => {
    await (await browser.$('//button[normalize-space(.)="Start a fresh cache"]')).click();
    await h.waitFor('[data-testid="empty-state"]', 15000);
    await expectAccessible(browser, 'empty state');
  });
});
