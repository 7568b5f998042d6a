// The Connect icon of a file the practice had before it was connected, in the real window against
// the simulator: one consent, and the organisation picked becomes that file (the practice's name
// kept); the same organisation picked for a second file brings the merge question, declining it
// keeps both files as they were, and merging leaves one file; a QuickBooks Online file's Connect icon says Switchboard connects Xero files
// and opens no consent.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

describe('Connecting one client file (real window, simulated Xero)', () => {
  let browser, base, openedUrls, close;

  before(async () => {
    ({ browser, base, openedUrls, close } = await openAppOnSimulatedXero({
      orgs: 3,
      seed: 9,
      name: 'e2e-connect-file',
      add: ['Hand Made Ltd=xero', 'Twin Ltd=xero', 'Books Co=quickbooks_online'],
    }));
  });

  after(() => close?.());

  const rows = async () =>
    browser.execute(() =>
      [...document.querySelectorAll('[role="grid"] [role="row"][data-id]')].map((row) => ({
        id: Number(row.dataset.id),
        name: row.querySelector('.name')?.textContent.trim(),
        connection: row.querySelector('.c-connection [data-state]')?.getAttribute('data-state'),
      })),
    );
  const connectIcon = async (name) => {
    const id = (await rows()).find((r) => r.name === name).id;
    return browser.$(`[role="row"][data-id="${id}"] [data-action="connect"]`);
  };
  const toastText = async () => {
    const toast = await browser.$('[data-testid="toast-text"]');
    await toast.waitForExist({ timeout: 15000 });
    return toast.getText();
  };

  test('the organisation picked becomes the file, keeping the practice\'s name', async () => {
    const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    assert.deepEqual((await rows()).map((r) => r.connection), ['not_connected', 'not_connected', 'not_connected']);
    await (await connectIcon('Hand Made Ltd')).click();
    const waiting = await browser.$('[data-testid="waiting"]');
    await waiting.waitForExist({ timeout: 15000 });
    assert.match(await waiting.getText(), /choose the one organisation that is Hand Made Ltd/);
    await consentInBrowser(openedUrls, 0, [org.tenantId]);
    const after = await eventually(
      async () => {
        const r = await rows();
        return r.find((x) => x.name === 'Hand Made Ltd')?.connection === 'connected' ? r : null;
      },
      { timeout: 30000, message: 'Hand Made Ltd connected' },
    );
    assert.equal(after.length, 3, 'the file was connected, not a new one added');
    assert.equal(await toastText(), 'Connected Hand Made Ltd to Xero.');
  });

  const threeRows = [['Books Co', 'not_connected'], ['Hand Made Ltd', 'connected'], ['Twin Ltd', 'not_connected']];

  test('the same organisation for another file offers to merge them; declining keeps both', async () => {
    const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    await (await connectIcon('Twin Ltd')).click();
    await consentInBrowser(openedUrls, 1, [org.tenantId]);
    const dialog = await browser.$('[data-testid="merge-dialog"]');
    await dialog.waitForExist({ timeout: 30000 });
    await (await browser.$('[data-testid="merge-decline"]')).click();
    await dialog.waitForExist({ timeout: 10000, reverse: true });
    assert.equal(await toastText(), 'Kept both files as they were; Twin Ltd is still not connected.');
    assert.deepEqual((await rows()).map((r) => [r.name, r.connection]).sort(), threeRows);
  });

  test('asked again, merging leaves one file', async () => {
    const [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    await (await connectIcon('Twin Ltd')).click();
    await consentInBrowser(openedUrls, 2, [org.tenantId]);
    const dialog = await browser.$('[data-testid="merge-dialog"]');
    await dialog.waitForExist({ timeout: 30000 });
    const explained = await (await browser.$('[data-testid="merge-explained"]')).getText();
    assert.equal(explained, `The Xero organisation you picked, ${org.name}, is already the client file Hand Made Ltd. Nothing was changed.`);
    assert.deepEqual((await rows()).map((r) => [r.name, r.connection]).sort(), threeRows, 'nothing changed while the question is open');
    await (await browser.$('[data-testid="merge-confirm"]')).click();
    const merged = await eventually(
      async () => {
        const r = await rows();
        return r.length === 2 ? r : null;
      },
      { timeout: 15000, message: 'two rows after the merge' },
    );
    assert.deepEqual(merged.map((r) => [r.name, r.connection]).sort(), [['Books Co', 'not_connected'], ['Twin Ltd', 'connected']]);
    assert.equal(await toastText(), 'Merged into one client file: Twin Ltd, connected to Xero.');
  });

  test('a QuickBooks Online file\'s Connect icon says Switchboard connects Xero files, and opens no consent', async () => {
    const opened = openedUrls().length;
    const icon = await connectIcon('Books Co');
    assert.match(await icon.getAttribute('title'), /Switchboard connects Xero organisations only/);
    await icon.click();
    await eventually(async () => (await toastText()).startsWith('Switchboard connects Xero organisations only'), {
      timeout: 10000,
      message: 'the toast saying why',
    });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(openedUrls().length, opened, 'no consent page was opened');
    assert.equal(await (await browser.$('[data-testid="operation"]')).isExisting(), false);
  });
});
