// What the end-to-end tests against the Xero simulator share: the simulator on a free port, a
// stand-in system browser that records the URLs the app asks the OS to open, the environment that
// points the app at both, the practice's Xero app set up through the CLI, and the consent page
// completed the way a person's browser does it.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debugBinary, eventually, launchApp, tempWorkspace } from './harness.js';

/** The client id the simulator registers for the app (crates/xero-sim DEFAULT_CLIENT_ID). */
const SIM_CLIENT_ID = '5W1TCHB0ARD51M0000000000000DE5K7';

/**
 * Starts `switchboard-sim` on a free port (its app on `tier`, the simulator's default when
 * omitted); resolves with `{ sim, base }` once it listens.
 */
async function startSimulator({ orgs, seed, tier }) {
  const sim = spawn(
    debugBinary('switchboard-sim'),
    ['--orgs', String(orgs), '--seed', String(seed), '--port', '0', ...(tier ? ['--tier', tier] : [])],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
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

/**
 * A stand-in for the system browser (SWITCHBOARD_BROWSER) that appends each URL it is given to a
 * file in the workspace. `openedUrls()` reads them back, oldest first.
 */
export function recordingBrowser(ws) {
  const log = join(ws.root, 'opened-urls.txt');
  const recorder = join(ws.root, 'browser.sh');
  writeFileSync(recorder, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
  chmodSync(recorder, 0o755);
  const openedUrls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);
  return { recorder, openedUrls };
}

/** The app's environment for a simulated Xero at `base`: endpoints, kernel keyring, recorder. */
function simulatedXeroEnv(base, recorder, name) {
  return {
    // Without the mode the app ignores the endpoint and browser variables and talks to Xero.
    SWITCHBOARD_MODE: 'simulator',
    SWITCHBOARD_XERO_AUTHORIZE_URL: `${base}/login/identity/connect/authorize`,
    SWITCHBOARD_XERO_TOKEN_URL: `${base}/identity/connect/token`,
    SWITCHBOARD_XERO_REVOCATION_URL: `${base}/identity/connect/revocation`,
    SWITCHBOARD_XERO_API_URL: `${base}/api/`,
    SWITCHBOARD_KEYRING: 'kernel',
    SWITCHBOARD_CREDENTIAL_SERVICE: `app.switchboard.${name}.${process.pid}`,
    SWITCHBOARD_BROWSER: recorder,
  };
}

/** The practice's Xero app (and its tier, when given), set up through the CLI (same core, same cache). */
function setUpXeroApp(cachePath, env, tier) {
  const args = ['--cache', cachePath, 'xero-app', '--client-id', SIM_CLIENT_ID, ...(tier ? ['--tier', tier] : [])];
  execFileSync(debugBinary('switchboard'), args, {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
}

/**
 * What the person does in the browser: waits for the app to open the consent page (the URL at
 * `urlIndex` of `openedUrls()`), ticks `tenantIds`, presses Allow, and follows Xero's redirect back
 * to the app's loopback listener. Returns the consent page URL.
 */
export async function consentInBrowser(openedUrls, urlIndex, tenantIds) {
  const url = await eventually(() => openedUrls()[urlIndex], { timeout: 20000, message: 'the app to open the browser' });
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
  return url;
}

/**
 * The app in its real window against a fresh simulator: a temporary workspace, the recording
 * browser, the practice's Xero app set up (simulator and app on `tier` when given), and the window
 * showing "Add client files from Xero". `add` lists files the practice has before any is
 * connected (`NAME=SOFTWARE`, e.g. `Acme Ltd=xero`), as if added by hand.
 * `close()` stops the app and the simulator and removes the workspace.
 */
export async function openAppOnSimulatedXero({ orgs, seed, name, tier, add = [] }) {
  const { sim, base } = await startSimulator({ orgs, seed, tier });
  let ws, app;
  // Also on a failed start: a simulator left running keeps the test process (and CI) waiting.
  const close = async () => {
    await app?.stop();
    if (sim.exitCode === null) sim.kill();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
  };
  try {
    ws = tempWorkspace(`switchboard-${name}-`);
    const { recorder, openedUrls } = recordingBrowser(ws);
    const env = simulatedXeroEnv(base, recorder, name);
    setUpXeroApp(ws.cachePath, env, tier);
    if (add.length > 0) {
      const args = [ws.cachePath, ...add.flatMap((file) => ['--add', file])];
      execFileSync(debugBinary('examples/seed_cache'), args, { stdio: 'inherit' });
    }
    app = await launchApp({ dataDir: ws.dataDir, exportDir: ws.exportDir, env });
    await app.browser.$('[data-testid="add-from-xero"]').waitForExist({ timeout: 30000 });
    return { sim, base, ws, env, openedUrls, browser: app.browser, close };
  } catch (error) {
    await close();
    throw error;
  }
}
