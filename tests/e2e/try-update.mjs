// The window half of scripts/try-update (read that first; it builds, installs and serves what this
// needs). Not a test of scripts/test: it installs packages and takes minutes.
//
//   node try-update.mjs offered    the installed app (version A) shows the update on offer;
//                                  screenshot; "Install and restart" clicked; the app exits and a
//                                  new process of the replaced binary opens its window; Settings
//                                  clicked in that window with xdotool; screenshot
//   node try-update.mjs installed  a fresh session of the installed app: the version Settings →
//                                  Updates shows, and the files the table shows
//
// Every line that starts with "try-update:" is a fact scripts/try-update reads back. Run under
// Xvfb and a D-Bus session, with SWITCHBOARD_DATA_DIR, SWITCHBOARD_EXPORT_DIR and
// SWITCHBOARD_CREDENTIAL_SERVICE set; TRY_UPDATE_VERSION and TRY_UPDATE_NOTES name the update on
// offer, TRY_UPDATE_SHOTS the folder for the two screenshots.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, launchApp } from './lib/harness.js';

const APP = '/usr/bin/switchboard-app';
const DPKG_LOG = '/var/log/dpkg.log';
const phase = process.argv[2];
const version = process.env.TRY_UPDATE_VERSION;
const notes = process.env.TRY_UPDATE_NOTES;
const shots = process.env.TRY_UPDATE_SHOTS;
const env = {
  SWITCHBOARD_DATA_DIR: process.env.SWITCHBOARD_DATA_DIR,
  SWITCHBOARD_EXPORT_DIR: process.env.SWITCHBOARD_EXPORT_DIR,
  RUST_LOG: 'info',
};
if (!version || !notes || !shots || !env.SWITCHBOARD_DATA_DIR || !process.env.SWITCHBOARD_CREDENTIAL_SERVICE) {
  console.error('try-update.mjs: run it from scripts/try-update');
  process.exit(2);
}

const fact = (key, value) => console.log(`try-update: ${key}=${value}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Processes whose program is the installed app: pid → what /proc says it runs ("… (deleted)" once replaced). */
function appProcesses() {
  const found = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(join('/proc', entry, 'exe'));
      if (exe.startsWith(APP)) found.set(Number(entry), exe);
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

function screenshot(name) {
  const out = join(shots, name);
  execFileSync('bash', ['-c', `xwd -root -silent | convert xwd:- -trim +repage '${out}'`]);
  fact(`screenshot`, out);
}

const text = async (browser, selector) =>
  (await browser.execute((s) => document.querySelector(s)?.innerText ?? '', selector)).replace(/\s+/g, ' ').trim();

/** What the table says it shows, once every row has loaded ("300 files" or the like). */
const table = (browser) => eventually(async () => {
  const shown = await text(browser, '[data-testid="shown"]');
  return shown && !/loading/i.test(shown) ? shown : null;
}, { timeout: 60000, message: 'the whole table' });

async function offered() {
  const app = await launchApp({ dataDir: env.SWITCHBOARD_DATA_DIR, exportDir: env.SWITCHBOARD_EXPORT_DIR, env, binary: APP });
  let restarted;
  try {
    const { browser } = app;
    const before = appProcesses();
    if (before.size !== 1) throw new Error(`expected one ${APP} process, found ${JSON.stringify([...before])}`);
    const [oldPid] = before.keys();
    fact('pid_before', oldPid);

    fact('shown_before', await table(browser));
    // The check at start finds the update and the banner says so.
    const banner = await browser.$('[data-testid="update-banner"]');
    await banner.waitForExist({ timeout: 60000 });
    const title = await text(browser, '[data-testid="update-banner"] .update-title');
    // As text: WebKit's innerText gives the kept line break as a space, though the window shows it.
    const shownNotes = await browser.execute(() =>
      document.querySelector('[data-testid="update-banner"] [data-testid="update-notes"]')?.textContent ?? '');
    fact('banner', title);
    fact('notes', JSON.stringify(shownNotes));
    if (!title.startsWith(`Version ${version} is available`)) throw new Error(`the banner says "${title}"`);
    if (shownNotes.trim() !== notes.trim()) throw new Error(`the banner's notes are ${JSON.stringify(shownNotes)}`);
    await sleep(1000);
    screenshot('update-available.png');

    // Where Settings is, for the click in the restarted window (same size, same place on screen).
    const link = await browser.$('[data-testid="settings-link"]');
    const at = await link.getLocation();
    const size = await link.getSize();
    const settingsAt = { x: Math.round(at.x + size.width / 2), y: Math.round(at.y + size.height / 2) };

    // A person's click. The shell downloads, checks the signature, installs and restarts; the
    // WebDriver session ends with the old process, so the click's own answer may never come.
    const dpkgLogBefore = statSync(DPKG_LOG).size;
    await (await browser.$('[data-testid="install-update"]')).click().catch(() => {});
    const clickedAt = Date.now();
    fact('clicked', 'Install and restart');

    // The old process exits and a new one runs the replaced binary, or the old window says why not.
    const deadline = Date.now() + 180000;
    while (!restarted) {
      if (Date.now() > deadline) throw new Error('the app neither restarted nor showed an error within 180 s');
      const now = appProcesses();
      const others = [...now].filter(([pid]) => pid !== oldPid);
      if (!now.has(oldPid) && others.length === 1) {
        restarted = { pid: others[0][0], exe: others[0][1] };
        break;
      }
      if (now.has(oldPid)) {
        const error = await text(browser, '[data-testid="update-banner"] [data-testid="update-error"]').catch(() => '');
        if (error) {
          fact('install_error', error);
          throw new Error(`the install failed in the window: ${error}`);
        }
      }
      await sleep(250);
    }
    fact('seconds_to_restart', ((Date.now() - clickedAt) / 1000).toFixed(1));
    fact('pid_after', restarted.pid);
    fact('exe_after', restarted.exe);
    fact('cmdline_after', JSON.stringify(readFileSync(`/proc/${restarted.pid}/cmdline`, 'utf8').split('\0').filter(Boolean)));

    // The restarted window: wait for it to be mapped and painted, then open Settings as a person would.
    const window = await eventually(() => {
      try {
        return execFileSync('xdotool', ['search', '--onlyvisible', '--pid', String(restarted.pid), '--name', 'Switchboard'], { encoding: 'utf8' }).trim().split('\n')[0];
      } catch { return null; }
    }, { timeout: 60000, interval: 500, message: 'the restarted window' });
    await sleep(8000);
    execFileSync('xdotool', ['mousemove', '--window', window, String(settingsAt.x), String(settingsAt.y), 'click', '1']);
    await sleep(3000);
    // Updates is the last card: the wheel over the page's empty right-hand side, down to the end.
    execFileSync('xdotool', ['mousemove', '--window', window, '1100', '500', 'click', '--repeat', '80', '--delay', '30', '5']);
    await sleep(2000);
    screenshot('update-installed.png');
    const log = app.log();
    fact('log_installing', /update downloaded and verified; installing/.test(log) ? 'yes' : 'no');
    // dpkg's own record of the install the plugin ran (pkexec dpkg -i, else sudo dpkg -i).
    for (const line of readFileSync(DPKG_LOG, 'utf8').slice(dpkgLogBefore).split('\n')) {
      if (/ (install|upgrade) switchboard:/.test(line)) fact('dpkg_log', line.trim());
    }
  } finally {
    if (restarted) {
      try { process.kill(restarted.pid, 'SIGTERM'); } catch { /* gone */ }
      await sleep(1000);
    }
    await app.stop();
    const left = appProcesses();
    if (left.size) console.error(`try-update.mjs: still running: ${JSON.stringify([...left])}`);
  }
}

async function installed() {
  const app = await launchApp({ dataDir: env.SWITCHBOARD_DATA_DIR, exportDir: env.SWITCHBOARD_EXPORT_DIR, env, binary: APP });
  try {
    const { browser } = app;
    fact('shown_after', await table(browser));
    await (await browser.$('[data-testid="settings-link"]')).click();
    await (await browser.$('[data-testid="update-state"]')).waitForExist({ timeout: 30000 });
    fact('settings_after', await text(browser, '[data-testid="update-state"]'));
    // Its own check at start: the manifest's version is this one, so nothing newer is on offer.
    await (await browser.$('[data-testid="check-update"]')).click();
    const upToDate = await eventually(() => text(browser, '[data-testid="up-to-date"]'), { timeout: 30000, message: '"up to date"' }).catch(() => '');
    fact('check_after', upToDate || (await text(browser, '[data-testid="updates"]')));
  } finally {
    await app.stop();
  }
}

if (phase === 'offered') await offered();
else if (phase === 'installed') await installed();
else {
  console.error('try-update.mjs: offered | installed');
  process.exit(2);
}
