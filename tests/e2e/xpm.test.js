// XPM links in the real app window: a cache seeded through the core's API with client files and
// an XPM practice from the simulator's generator (crates/core/examples/seed_xpm.rs). A person
// links a file through the XPM column's pop-up (the suggestion, by keyboard), changes it (by
// search), opens the XPM page (the app asks the OS to open exactly the client's WebUrl), and
// removes the link; the XPM Dashboard icon appears and disappears accordingly.
//
// The system browser is replaced by a recorder (SWITCHBOARD_BROWSER).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { debugBinary, eventually, launchApp, tempWorkspace } from './lib/harness.js';
import { recordingBrowser } from './lib/simulated-xero.js';

describe('XPM links (real window)', () => {
  let ws, app, browser, seeded, openedUrls;

  before(async () => {
    ws = tempWorkspace('switchboard-e2e-xpm-');
    const out = execFileSync(
      debugBinary('examples/seed_xpm'),
      [ws.cachePath, '--files', '40', '--xpm', '300'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    seeded = JSON.parse(out.trim().split('\n').pop());
    assert.ok(seeded.file_id && seeded.suggested_uuid && seeded.other_uuid, out);
    let recorder;
    ({ recorder, openedUrls } = recordingBrowser(ws));
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir, env: { SWITCHBOARD_MODE: 'simulator', SWITCHBOARD_BROWSER: recorder } });
    browser = app.browser;
    await browser.$('[data-testid="shown"]').waitForExist({ timeout: 30000 });
  });

  after(async () => {
    await app?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  const textOf = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
  const cell = (col) => browser.$(`[role="row"][data-id="${seeded.file_id}"] [aria-colindex="${col}"]`);
  const xpmState = async () => (await (await cell(7)).$('[data-state]')).getAttribute('data-state');
  const dashboardButton = async () => (await cell(6)).$('button[data-action="open_xpm_dashboard"]');

  async function showRow() {
    const input = await browser.$('input[aria-label="Search client names"]');
    await browser.execute((el) => {
      el.value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, input);
    await input.addValue(seeded.file_name);
    await (await cell(7)).waitForExist({ timeout: 10000, timeoutMsg: `no row for ${seeded.file_name}` });
  }

  async function openPopup() {
    await (await (await cell(7)).$('button')).click();
    const dialog = await browser.$('[data-testid="xpm-dialog"]');
    await dialog.waitForExist({ timeout: 10000 });
    return dialog;
  }

  test('link through the pop-up: the suggestion comes first with its reason; Enter links it', async () => {
    await showRow();
    assert.equal(await xpmState(), 'none');
    assert.equal(await (await dashboardButton()).isExisting(), false, 'no XPM Dashboard icon before a link');
    await openPopup();
    const first = await browser.$('[data-testid="xpm-option"]');
    await first.waitForExist({ timeout: 10000 });
    assert.equal(await first.getAttribute('data-uuid'), seeded.suggested_uuid);
    assert.match(await textOf(await first.$('[data-testid="xpm-reason"]')), /name/i);
    // The search box has focus: Enter picks the highlighted (first) suggestion.
    await browser.keys(['Enter']);
    await (await browser.$('[data-testid="xpm-dialog"]')).waitForExist({ reverse: true, timeout: 10000 });
    await showRow();
    await eventually(async () => (await xpmState()) === 'linked', { message: 'the row shows the link' });
    assert.match(await (await (await cell(7)).$('button')).getAttribute('title'), new RegExp(`Linked to XPM client ${seeded.suggested_name}`));
    assert.equal(await (await dashboardButton()).isExisting(), true, 'the XPM Dashboard icon appears');
  });

  test('change it: the pop-up shows the current link; search and pick another', async () => {
    await showRow();
    await openPopup();
    const current = await browser.$('[data-testid="xpm-current-name"]');
    await current.waitForExist({ timeout: 10000 });
    assert.equal(await textOf(current), seeded.suggested_name);
    const search = await browser.$('[data-testid="xpm-search"]');
    await search.addValue(seeded.other_name.toLowerCase());
    const option = await browser.$(`[data-testid="xpm-option"][data-uuid="${seeded.other_uuid}"]`);
    await option.waitForExist({ timeout: 10000 });
    await option.click();
    await (await browser.$('[data-testid="xpm-dialog"]')).waitForExist({ reverse: true, timeout: 10000 });
    await showRow();
    await eventually(async () => (await (await (await cell(7)).$('button')).getAttribute('title')).includes(seeded.other_name), {
      message: 'the row shows the new link',
    });

    // The XPM Dashboard icon opens exactly the new client's WebUrl in the (recorded) browser.
    await (await dashboardButton()).click();
    const url = await eventually(() => openedUrls().at(-1), { message: 'the app to open the XPM page' });
    assert.equal(url, seeded.other_web_url);
  });

  test('remove it: the link and the XPM Dashboard icon go', async () => {
    await showRow();
    await openPopup();
    const unlink = await browser.$('[data-testid="xpm-unlink"]');
    await unlink.waitForExist({ timeout: 10000 });
    await unlink.click();
    await (await browser.$('[data-testid="xpm-dialog"]')).waitForExist({ reverse: true, timeout: 10000 });
    await showRow();
    await eventually(async () => (await xpmState()) === 'none', { message: 'the row shows no link' });
    assert.equal(await (await dashboardButton()).isExisting(), false, 'the XPM Dashboard icon disappears');
    assert.equal(await textOf(await cell(6)), '-');
  });
});
