// Client files staff bring in themselves, in the real app window: Add client through its dialog
// (the new row shows the Connect icon: it is not connected), a name already in the list asked
// about before it is added, Import from XPM (a preview with what is skipped, then the rows), and
// Import from a CSV file picked with the file input (a bad line blocks it; a clean file imports).
// The cache holds a few files and an XPM practice from the simulator's generator
// (crates/core/examples/seed_xpm.rs).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debugBinary, eventually, launchApp, tempWorkspace, rowXPath, typeInto as typeIntoField } from './lib/harness.js';

const FILES = 4;
const XPM = 40;


describe('Add client and Import (real window)', () => {
  let ws, app, browser, seeded;

  before(async () => {
    ws = tempWorkspace('switchboard-e2e-clients-');
    seeded = JSON.parse(
      execFileSync(debugBinary('examples/seed_xpm'), [ws.cachePath, '--files', String(FILES), '--xpm', String(XPM), '--seed', '5'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
    browser = app.browser;
    await eventually(async () => (await shownText()) === `Showing ${FILES} of ${FILES} client files`, {
      timeout: 30000,
      message: 'the seeded rows',
    });
  });

  after(async () => {
    await app?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  async function shownText() {
    const shown = await browser.$('[data-testid="shown"]');
    return (await shown.isExisting()) ? (await shown.getProperty('textContent')).trim() : '';
  }
  // The grid draws only the rows in view: the count of files is the "Showing N of N" line.
  const fileCount = async () => Number(/of ([\d,]+) client files/.exec(await shownText())?.[1].replace(/,/g, '') ?? NaN);
  async function rows(name) {
    return browser.$$(rowXPath(name));
  }
  const typeInto = (selector, text) => typeIntoField(browser, selector, text);
  async function selectValue(selector, value) {
    const select = await browser.$(selector);
    await browser.execute(
      (el, v) => {
        el.value = v;
        el.dispatchEvent(new Event('change', { bubbles: true }));
      },
      select,
      value,
    );
  }
  async function waitGone(selector) {
    await eventually(async () => !(await (await browser.$(selector)).isExisting()), { message: `${selector} to close` });
  }

  test('a client added through the dialog gets its row, not connected, with the Connect icon', async () => {
    await (await browser.$('[data-testid="add-client"]')).click();
    await (await browser.$('[data-testid="add-client-dialog"]')).waitForExist({ timeout: 5000 });
    await typeInto('[data-testid="add-client-name"]', 'Harbour Cafe Ltd');
    await selectValue('[data-testid="add-client-software"]', 'myob');
    await (await browser.$('[data-testid="add-client-save"]')).click();
    await waitGone('[data-testid="add-client-dialog"]');

    await eventually(async () => (await rows('Harbour Cafe Ltd')).length === 1, { message: 'the new row' });
    const [row] = await rows('Harbour Cafe Ltd');
    const connect = await row.$('.c-connection [data-action="connect"], .c-connection button');
    assert.ok(await connect.isExisting(), 'the row has a Connect button');
    const label = await row.$('.c-connection .connect-label');
    assert.equal(await label.getAttribute('data-state'), 'not_connected');
    assert.equal((await label.getProperty('textContent')).trim(), 'Connect');
    assert.match(await (await row.$('[aria-colindex="2"]')).getProperty('innerHTML'), /MYOB/i);
    assert.equal(await shownText(), `Showing ${FILES + 1} of ${FILES + 1} client files`);
  });

  test('a name already in the list is asked about, and added once confirmed', async () => {
    await (await browser.$('[data-testid="add-client"]')).click();
    await typeInto('[data-testid="add-client-name"]', 'Harbour Cafe Ltd');
    await (await browser.$('[data-testid="add-client-save"]')).click();
    const warning = await browser.$('[data-testid="add-client-warning"]');
    await warning.waitForExist({ timeout: 5000 });
    assert.match((await warning.getProperty('textContent')).trim(), /already has a client file named "Harbour Cafe Ltd"/);
    assert.equal((await rows('Harbour Cafe Ltd')).length, 1, 'nothing added before the person confirms');
    await (await browser.$('[data-testid="add-client-confirm"]')).click();
    await waitGone('[data-testid="add-client-dialog"]');
    await eventually(async () => (await rows('Harbour Cafe Ltd')).length === 2, { message: 'the second Harbour Cafe Ltd' });
  });

  test('Import from XPM previews what it adds and skips, then adds the rows; again, nothing new', async () => {
    const before = await fileCount();
    await (await browser.$('[data-testid="import-menu"]')).click();
    await (await browser.$('[data-testid="import-xpm"]')).click();
    const counts = await browser.$('[data-testid="import-counts"]');
    await counts.waitForExist({ timeout: 10000 });
    const text = (await counts.getProperty('textContent')).replace(/\s+/g, ' ');
    const toAdd = Number(/([\d,]+) to add/.exec(text)[1].replace(/,/g, ''));
    assert.ok(toAdd > 0 && toAdd <= seeded.xpm_clients, text);
    assert.match(text, new RegExp(`of ${seeded.xpm_clients} cached XPM clients`));
    assert.match(text, /prospect/);
    await (await browser.$('[data-testid="import-run"]')).click();
    await waitGone('[data-testid="import-dialog"]');
    await eventually(async () => (await fileCount()) === before + toAdd, { message: `${toAdd} imported rows` });

    await (await browser.$('[data-testid="import-menu"]')).click();
    await (await browser.$('[data-testid="import-xpm"]')).click();
    await (await browser.$('[data-testid="import-nothing"]')).waitForExist({ timeout: 10000 });
    assert.equal(await (await browser.$('[data-testid="import-run"]')).isEnabled(), false);
    await (await browser.$('[data-testid="dialog-close"]')).click();
  });

  test('Import from a CSV file: a bad line blocks the import; the corrected file imports every line', async () => {
    const before = await fileCount();
    const csv = join(ws.root, 'clients.csv');
    // Excel's "CSV UTF-8" with semicolons: a byte-order mark, CRLF, a quoted name holding the separator.
    writeFileSync(csv, '\ufeffName;Software;Notes\r\n"Dupont; Fils";MYOB;x\r\nSage Co;Sage 50;\r\n=SUM(A1);None;\r\n');
    await (await browser.$('[data-testid="import-menu"]')).click();
    await (await browser.$('[data-testid="import-csv"]')).click();
    await (await browser.$('[data-testid="import-csv-file"]')).addValue(csv);
    const problems = await browser.$('[data-testid="import-problems"]');
    await problems.waitForExist({ timeout: 10000 });
    assert.match(await problems.getProperty('textContent'), /Unknown accounting software "Sage 50"/);
    assert.equal(await (await browser.$('[data-testid="import-run"]')).isEnabled(), false);

    writeFileSync(csv, '\ufeffName;Software;Notes\r\n"Dupont; Fils";MYOB;x\r\nSage Co;Other: Sage 50;\r\n=SUM(A1);None;\r\n');
    await (await browser.$('[data-testid="import-csv-file"]')).addValue(csv);
    await eventually(async () => !(await (await browser.$('[data-testid="import-problems"]')).isExisting()), {
      message: 'the corrected file to preview clean',
    });
    const run = await browser.$('[data-testid="import-run"]');
    await eventually(() => run.isEnabled(), { message: 'Import to be enabled' });
    await run.click();
    await waitGone('[data-testid="import-dialog"]');
    await eventually(async () => (await fileCount()) === before + 3, { message: 'three imported rows' });
    // The grid draws only the rows in view: search for each.
    for (const name of ['Dupont; Fils', 'Sage Co', '=SUM(A1)']) {
      await typeInto('input[aria-label="Search client names"]', name);
      await eventually(async () => (await rows(name)).length === 1, { message: `a row for ${name}` });
    }
    await typeInto('input[aria-label="Search client names"]', '');
  });
});
