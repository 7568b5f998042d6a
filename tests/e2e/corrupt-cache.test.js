// A damaged cache file: the real window says so and where it is, never touches the file, and
// "Start a fresh cache" gives an empty table with the old file kept beside it. A cache that cannot
// be opened for a reason that may pass (here: this user may not write it) is never offered for
// setting aside: "Try again" opens it once the reason is gone.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventually, launchApp, seedCache, tempWorkspace } from './lib/harness.js';

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

/** Takes write access to `path` away, also from root (who ignores modes): immutable. */
function denyAccess(path) {
  chmodSync(path, 0o000);
  if (process.getuid?.() === 0) execFileSync('chattr', ['+i', path]);
}

function allowAccess(path) {
  if (process.getuid?.() === 0) execFileSync('chattr', ['-i', path]);
  chmodSync(path, 0o600);
}

describe('a cache that cannot be opened for now (real window)', () => {
  let ws, app, browser, bytes;

  before(async () => {
    ws = tempWorkspace();
    seedCache(ws.cachePath, { files: 20 });
    bytes = readFileSync(ws.cachePath);
    denyAccess(ws.cachePath);
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir });
    browser = app.browser;
  });

  after(async () => {
    await app?.stop();
    if (ws) {
      allowAccess(ws.cachePath);
      rmSync(ws.root, { recursive: true, force: true });
    }
  });

  test('offers Try again, never Start a fresh cache, and changes nothing on disk', async () => {
    const panel = await browser.$('[data-testid="unusable"]');
    await panel.waitForExist({ timeout: 30000 });
    assert.equal(await panel.getAttribute('data-kind'), 'cache_unavailable');
    assert.match(await panel.getText(), /nothing was changed/i);
    assert.equal(await browser.$('//button[normalize-space(.)="Start a fresh cache"]').isExisting(), false);
    await browser.$('//button[normalize-space(.)="Try again"]').click();
    await browser.$('[data-testid="still-failing"]').waitForExist({ timeout: 15000 });
    assert.deepEqual(readdirSync(ws.dataDir).filter((f) => !/-(wal|shm)$/.test(f)), ['cache.sqlite3']);
  });

  test('Try again opens the cache once it may be written again', async () => {
    allowAccess(ws.cachePath);
    assert.ok(readFileSync(ws.cachePath).equals(bytes), 'the file is as it was');
    await browser.$('//button[normalize-space(.)="Try again"]').click();
    await eventually(async () => (await browser.$$('[role="grid"] [role="row"][data-id]').length) > 0, {
      timeout: 30000,
      message: 'the table to show the cached rows',
    });
  });
});
