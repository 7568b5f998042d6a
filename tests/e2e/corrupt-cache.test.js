// A damaged cache file: the real window says so and where it is, never touches the file, and
// "Start a fresh cache" gives an empty table with the old file kept beside it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventually, launchApp, tempWorkspace } from './lib/harness.js';

describe('unusable cache (real window)', () => {
  let ws, app, browser, garbage;

  before(async () => {
    ws = tempWorkspace();
    garbage = Buffer.concat([Buffer.from('this is not a SQLite database\n'), randomBytes(8192)]);
    writeFileSync(ws.cachePath, garbage);
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
    browser = app.browser;
  });

  after(async () => {
    await app?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  test('shows the unusable-cache message with the path and leaves the file byte-for-byte unchanged', async () => {
    const panel = await browser.$('[data-testid="unusable"]');
    await panel.waitForExist({ timeout: 30000 });
    assert.equal(await panel.getAttribute('data-kind'), 'cache_corrupt');
    assert.equal(await browser.$('[data-testid="unusable-path"]').getText(), ws.cachePath);
    const message = await browser.$('[data-testid="unusable-message"]').getText();
    assert.match(message, /damaged or is not a Switchboard cache/);
    assert.ok(message.includes(ws.cachePath), 'the message names the file');
    assert.ok(readFileSync(ws.cachePath).equals(garbage), 'the damaged file is unchanged');
    assert.deepEqual(readdirSync(ws.dataDir).sort(), ['cache.sqlite3'], 'nothing was written beside it yet');
  });

  test('"Start a fresh cache" gives an empty table and keeps the old file beside it', async () => {
    await browser.$('//button[normalize-space(.)="Start a fresh cache"]').click();
    // The empty state, not a blank page (nothing has synced into the fresh cache).
    await eventually(async () => !(await browser.$('[data-testid="unusable"]').isExisting()), {
      message: 'the unusable-cache page to go',
    });
    const notice = await browser.$('//div[@role="status" and contains(., "Started a fresh cache")]');
    await notice.waitForExist({ timeout: 15000 });
    assert.equal(await browser.$$('[role="grid"] [role="row"][data-id]').length, 0, 'no rows');
    const body = await browser.$('body').getText();
    assert.doesNotMatch(body, /cannot open its cache/);

    const files = readdirSync(ws.dataDir);
    const kept = files.filter((f) => f !== 'cache.sqlite3' && !/-(wal|shm|journal)$/.test(f));
    assert.equal(kept.length, 1, `one kept file beside the new cache, got ${files.join(', ')}`);
    assert.ok(readFileSync(join(ws.dataDir, kept[0])).equals(garbage), 'the kept file holds the old bytes');
    assert.ok((await notice.getText()).includes(join(ws.dataDir, kept[0])), 'the notice says where it was kept');
    assert.ok(!readFileSync(join(ws.dataDir, 'cache.sqlite3')).equals(garbage), 'a new cache is in place');
  });
});
