// Connecting Xero in the real app window, against the Xero simulator over real HTTP: "Add client
// files from Xero", the consent completed the way a person's browser does it (the consent page's
// form, ticked and submitted, then Xero's redirect back to the app), rows filling in; then a
// revoked consent shows "needs reconnect" and the row's Connect icon brings it back.
//
// The system browser is replaced by a recorder (SWITCHBOARD_BROWSER) so the test sees exactly the
// URL the app asked the OS to open; tokens go to the Linux kernel keyring (SWITCHBOARD_KEYRING).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually, launchApp, repoRoot, tempWorkspace } from './lib/harness.js';

const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repoRoot, process.env.CARGO_TARGET_DIR) : join(repoRoot, 'target');
const SIM_CLIENT_ID = '5W1TCHB0ARD51M0000000000000DE5K7';
const ORGS = 4;

/** Starts `switchboard-sim` on a free port and resolves with its base URL once it listens. */
async function startSimulator() {
  execFileSync('cargo', ['build', '-q', '-p', 'xero-sim', '-p', 'switchboard-cli'], { cwd: repoRoot, stdio: 'inherit' });
  const sim = spawn(join(targetDir, 'debug/switchboard-sim'), ['--orgs', String(ORGS), '--seed', '7', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise((ok, fail) => {
    let out = '';
    sim.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) ok(m[1]);
    });
    sim.on('exit', (code) => fail(new Error(`switchboard-sim exited (${code})`)));
  });
  return { sim, base };
}

describe('Connecting Xero (real window, simulated Xero)', () => {
  let ws, app, browser, sim, base, env, urlLog;

  before(async () => {
    ({ sim, base } = await startSimulator());
    ws = tempWorkspace('switchboard-e2e-xero-');
    urlLog = join(ws.root, 'opened-urls.txt');
    const recorder = join(ws.root, 'browser.sh');
    writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${urlLog}'\n`);
    chmodSync(recorder, 0o755);
    env = {
      SWITCHBOARD_XERO_AUTHORIZE_URL: `${base}/login/identity/connect/authorize`,
      SWITCHBOARD_XERO_TOKEN_URL: `${base}/identity/connect/token`,
      SWITCHBOARD_XERO_REVOCATION_URL: `${base}/identity/connect/revocation`,
      SWITCHBOARD_XERO_API_URL: `${base}/api/`,
      SWITCHBOARD_KEYRING: 'kernel',
      SWITCHBOARD_CREDENTIAL_SERVICE: `app.switchboard.e2e.${process.pid}`,
      SWITCHBOARD_BROWSER: recorder,
    };
    // The practice's Xero app, set up through the CLI (same core, same cache).
    execFileSync(join(targetDir, 'debug/switchboard'), ['--cache', ws.cachePath, 'xero-app', '--client-id', SIM_CLIENT_ID], {
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir, env });
    browser = app.browser;
    await browser.$('[data-testid="add-from-xero"]').waitForExist({ timeout: 30000 });
  });

  after(async () => {
    await app?.stop();
    sim?.kill();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  });

  const openedUrls = () => (existsSync(urlLog) ? readFileSync(urlLog, 'utf8').trim().split('\n').filter(Boolean) : []);
  const simJson = async (path, init) => (await fetch(`${base}/_sim/${path}`, init)).json();

  /** What the person does in the browser: read the consent page, tick organisations, Allow. */
  async function consentInBrowser(urlIndex, tenantIds) {
    const url = await eventually(() => openedUrls()[urlIndex], { timeout: 20000, message: 'the app to open the browser' });
    assert.ok(url.startsWith(`${base}/login/identity/connect/authorize?`), url);
    const page = await fetch(url, { redirect: 'manual' });
    assert.equal(page.status, 200);
    const html = await page.text();
    const request = html.match(/name="request" value="([^"]+)"/)[1];
    const offered = [...html.matchAll(/name="tenant" value="([^"]+)"/g)].map((m) => m[1]);
    for (const id of tenantIds) assert.ok(offered.includes(id), `consent page offers ${id}`);
    const form = new URLSearchParams([['request', request], ...tenantIds.map((id) => ['tenant', id]), ['action', 'allow']]);
    const allowed = await fetch(new URL('consent', url), { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(Math.floor(allowed.status / 100), 3, `consent answered ${allowed.status}`);
    const back = allowed.headers.get('location');
    assert.match(back, /^http:\/\/localhost:\d+\/callback\?code=/);
    const landing = await fetch(back.replace('localhost', '127.0.0.1'));
    assert.equal(landing.status, 200);
    assert.match(await landing.text(), /You are signed in to Xero/);
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
