// Starts the real Switchboard binary through tauri-driver (which starts /usr/bin/WebKitWebDriver)
// over a cache prepared in a temporary folder through the core's own API, and tears it all down.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repoRoot, process.env.CARGO_TARGET_DIR) : join(repoRoot, 'target');

// Cargo picks dependency features per invocation, so building the app, the simulator, the CLI and
// the seed examples in separate commands compiles the core and its dependencies once per package
// set: gigabytes of disk more. One invocation (the same as scripts/test's build step) builds them
// all with one feature set. The app is left out when SWITCHBOARD_APP names another build.
let built = false;
function buildTestBinaries() {
  if (built) return;
  const packages = ['xero-sim', 'switchboard-cli', 'switchboard-core'];
  if (!process.env.SWITCHBOARD_APP) packages.unshift('switchboard-app');
  const args = ['build', '-q', ...packages.flatMap((p) => ['-p', p]), '--bins', '--examples'];
  execFileSync('cargo', args, { cwd: repoRoot, stdio: 'inherit' });
  built = true;
}

/** The path of a debug binary or example (e.g. `switchboard-sim`, `examples/seed_cache`), built if stale. */
export function debugBinary(name) {
  buildTestBinaries();
  return join(targetDir, 'debug', name);
}

/** The app under test: SWITCHBOARD_APP if set, else the debug build (honours CARGO_TARGET_DIR). */
export function appBinary() {
  if (process.env.SWITCHBOARD_APP) return resolve(process.env.SWITCHBOARD_APP);
  return debugBinary('switchboard-app');
}

function tauriDriverBinary() {
  const local = join(homedir(), '.cargo', 'bin', 'tauri-driver');
  return existsSync(local) ? local : 'tauri-driver';
}

/** A fresh temporary folder with a data dir and an export dir inside. */
export function tempWorkspace(prefix = 'switchboard-e2e-') {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(root, 'data');
  const exportDir = join(root, 'exports');
  mkdirSync(dataDir);
  mkdirSync(exportDir);
  return { root, dataDir, exportDir, cachePath: join(dataDir, 'cache.sqlite3') };
}

/** Seeds a cache through switchboard-core's own API (its `seed_cache` example). */
export function seedCache(cachePath, { files = 200, e2e = true, seed } = {}) {
  const args = [cachePath, '--files', String(files)];
  if (seed !== undefined) args.push('--seed', String(seed));
  if (e2e) args.push('--e2e');
  return execFileSync(debugBinary('examples/seed_cache'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitForPort(port, child, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited early (code ${child.exitCode})`);
    const ok = await new Promise((res) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); res(true); });
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Launches the app through tauri-driver. The app inherits tauri-driver's environment, which is how
 * SWITCHBOARD_DATA_DIR / SWITCHBOARD_EXPORT_DIR reach it.
 * Returns { browser, stop } — always call stop() (it kills the session, the driver and the app).
 */
export async function launchApp({ dataDir, exportDir, env = {}, binary = appBinary() }) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(tauriDriverBinary(), ['--port', String(port), '--native-port', String(nativePort)], {
    env: {
      ...process.env,
      SWITCHBOARD_DATA_DIR: dataDir,
      SWITCHBOARD_EXPORT_DIR: exportDir,
      NO_AT_BRIDGE: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also reaches WebKitWebDriver and the app
  });
  let driverLog = '';
  driver.stdout.on('data', (d) => { driverLog += d; });
  driver.stderr.on('data', (d) => { driverLog += d; });

  let browser;
  const stop = async () => {
    if (browser) {
      await browser.deleteSession().catch(() => {});
      browser = undefined;
    }
    if (driver.exitCode === null) {
      try { process.kill(-driver.pid, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise((r) => setTimeout(r, 300));
      try { process.kill(-driver.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  };
  try {
    await waitForPort(port, driver);
    // tauri-driver starts WebKitWebDriver on demand and can answer the first POST /session with a
    // connection error while WebKitWebDriver is still starting; try again a few times.
    for (let attempt = 1; ; attempt++) {
      try {
        browser = await remote({
          hostname: '127.0.0.1',
          port,
          logLevel: 'silent',
          connectionRetryCount: 0,
          capabilities: {
            // No browserName: WebKitWebDriver then fails to match the capabilities.
            'tauri:options': { application: binary },
            'wdio:enforceWebDriverClassic': true,
          },
        });
        break;
      } catch (error) {
        if (attempt >= 4 || driver.exitCode !== null) throw error;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  } catch (error) {
    await stop();
    error.message += `\n--- tauri-driver output ---\n${driverLog}`;
    throw error;
  }
  return { browser, stop, log: () => driverLog };
}

/** Polls fn until it returns a truthy value (or throws the last error). */
export async function eventually(fn, { timeout = 15000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${message}${last ? `: ${last.message}` : ''}`);
}

/** An XPath string literal for any text (XPath 1.0 has no escapes: a text with `"` is concatenated). */
export const xpathLiteral = (s) => (s.includes('"') ? `concat("${s.split('"').join('", \'"\', "')}")` : `"${s}"`);

/** The table row whose client name reads `name`. */
export const rowXPath = (name) =>
  `//div[@role="row"][.//span[contains(concat(" ", normalize-space(@class), " "), " name ") and normalize-space(.)=${xpathLiteral(name)}]]`;

/** Sets an input's value the way a person's typing ends up (WebDriver's clear fires no input event). */
export async function typeInto(browser, selector, text) {
  const input = await browser.$(selector);
  await input.waitForExist({ timeout: 10000 });
  await browser.execute((el) => {
    el.value = '';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, input);
  if (text) await input.addValue(text);
}
