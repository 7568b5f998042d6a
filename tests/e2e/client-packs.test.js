// Client packs in the real app window, against the Xero simulator and a real SMTP server on
// loopback (aiosmtpd, the core tests' `smtp_server.py`): the practice's mail server set up in
// Settings, a console user added and the console switched on from a row's Settings menu, the pack
// previewed in the Console settings dialog, then Send now. What the SMTP server receives is the
// preview: the same subject, the same HTML (the frame's own document) and the same plain text.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, repoRoot, rowXPath, typeInto as typeIntoField } from './lib/harness.js';
import { consentInBrowser, openAppOnSimulatedXero } from './lib/simulated-xero.js';

const SERVER = join(repoRoot, 'crates/core/tests/support/smtp/smtp_server.py');
// Debian's Python, which has python3-aiosmtpd (a venv python3 first on the PATH would not).
const PYTHON = process.env.SWITCHBOARD_TEST_PYTHON ?? '/usr/bin/python3';

/** Starts the SMTP server (no encryption: the app allows that only on loopback); resolves with its port. */
function startSmtp(outDir) {
  const server = spawn(PYTHON, [SERVER, '--mode', 'plain', '--out', outDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = new Promise((ok, fail) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^(\d+)\n/);
      if (m) ok(Number(m[1]));
    });
    server.on('exit', (code) => fail(new Error(`the SMTP server exited (${code})`)));
  });
  return { server, port };
}

/** The message's subject, HTML and text parts, decoded by Python's own email parser. */
function readMessage(path) {
  const script = `
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
part = lambda kind: m.get_body(preferencelist=(kind,)).get_content()
print(json.dumps({"subject": m["subject"], "to": m["to"], "html": part("html"), "text": part("plain")}))`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script, path], { encoding: 'utf8' }));
}

/** The app asks for reports as of its local date. */
function localDate() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "-1234.50" (as Xero writes amounts) → "-1,234.50" (as the pack does). */
function money(amount) {
  const [, sign, whole, cents] = /^(-?)(\d+)\.(\d\d)$/.exec(amount);
  return `${sign}${Number(whole).toLocaleString('en-US')}.${cents}`;
}

/** Line ends as a person reads them: SMTP carries CRLF. */
const lines = (s) => s.replace(/\r\n/g, '\n').replace(/\n+$/, '');


describe('Client packs (real window, simulated Xero, real SMTP server)', () => {
  let browser, close, openedUrls, base, org, smtp, outDir;

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-smtp-'));
    smtp = startSmtp(outDir);
    ({ browser, base, openedUrls, close } = await openAppOnSimulatedXero({ orgs: 1, seed: 5, name: 'e2e-packs' }));
    [org] = await (await fetch(`${base}/_sim/orgs`)).json();
    await (await browser.$('[data-testid="add-from-xero"]')).click();
    await consentInBrowser(openedUrls, 0, [org.tenantId]);
    await (await browser.$(rowXPath(org.name))).waitForExist({ timeout: 30000 });

    // Reports allowed and fetched, so the pack holds real figures.
    await (await (await browser.$(rowXPath(org.name))).$('.c-reports button')).click();
    await (await browser.$('[data-testid="allow-reports"]')).waitForExist({ timeout: 30000 });
    await (await browser.$('[data-testid="allow-reports"]')).click();
    await consentInBrowser(openedUrls, 1, [org.tenantId]);
    await eventually(
      () => browser.execute(() => document.querySelector('[data-testid="net-assets"]')?.getAttribute('data-cents')),
      { timeout: 40000, message: 'the reports to be fetched' },
    );
    await browser.execute(() => { location.hash = '#/'; });
  });

  after(async () => {
    await close?.();
    smtp?.server.kill();
    rmSync(outDir, { recursive: true, force: true });
  });

  const typeInto = (selector, text) => typeIntoField(browser, selector, text);

  async function settingsItem(action) {
    await (await (await browser.$(rowXPath(org.name))).$('[aria-colindex="9"] button')).click();
    const item = await browser.$(`[role="menu"] [data-action="${action}"]`);
    await item.waitForExist({ timeout: 5000 });
    await item.click();
  }

  const byTestId = (id) => browser.$(`[data-testid="${id}"]`);

  test('the pack previewed is the message the mail server receives', async () => {
    // Settings → Client packs by email: a mail server on this computer, no sign-in.
    await browser.execute(() => { location.hash = '#/settings'; });
    await typeInto('[data-testid="mail-host"]', '127.0.0.1');
    // Security first: choosing it puts its usual port in the port field.
    await (await byTestId('mail-security')).selectByAttribute('value', 'none');
    await typeInto('[data-testid="mail-port"]', String(await smtp.port));
    await typeInto('[data-testid="mail-from-name"]', 'Totara & Co <Chartered>');
    await typeInto('[data-testid="mail-from-address"]', 'packs@totara.example');
    await (await byTestId('mail-save')).click();
    await eventually(async () => (await browser.execute(() => document.querySelector('[data-testid="mail-saved"]')?.textContent)) === 'Saved.', {
      message: 'the mail server to be saved',
    });

    await browser.execute(() => { location.hash = '#/'; });
    await settingsItem('console_users');
    await typeInto('[data-testid="console-user-name"]', 'Ann <b>Ngata</b>');
    await typeInto('[data-testid="console-user-email"]', 'ann@client.example');
    // An owner gets the whole pack (a viewer, the key figures only).
    await (await byTestId('console-user-role')).selectByAttribute('value', 'owner');
    await (await byTestId('console-user-save')).click();
    await (await byTestId('console-user')).waitForExist({ timeout: 10000 });
    await (await byTestId('dialog-close')).click();

    await settingsItem('console_settings');
    await (await byTestId('console-enabled')).waitForExist({ timeout: 10000 });
    for (const id of ['console-enabled', 'console-key-reports', 'console-action-items']) {
      const box = await byTestId(id);
      await box.waitForEnabled({ timeout: 5000 });
      await box.click();
      await eventually(() => box.isSelected(), { message: `${id} ticked` });
    }
    await (await byTestId('console-save')).click();
    await (await byTestId('console-settings-dialog')).waitForExist({ reverse: true, timeout: 10000 });

    await settingsItem('console_settings');
    const preview = await eventually(
      () =>
        browser.execute(() => {
          const frame = document.querySelector('[data-testid="pack-preview-html"]');
          const send = document.querySelector('[data-testid="pack-send-now"]');
          if (!frame || !send || send.disabled) return null;
          return {
            html: frame.getAttribute('srcdoc'),
            subject: document.querySelector('[data-testid="pack-preview-subject"]').textContent.replace(/^\s*Subject:\s*/, ''),
            text: document.querySelector('[data-testid="pack-preview-text"]').textContent,
          };
        }),
      { timeout: 20000, message: 'the pack preview, ready to send' },
    );
    // The frame (sandboxed: an origin of its own, read from inside) shows the email as a mail app
    // would: names as text, the action to take.
    await browser.switchToFrame(await byTestId('pack-preview-html'));
    preview.shown = await eventually(() => browser.execute(() => document.body?.innerText), { message: 'the frame drawn' });
    await browser.switchToParentFrame();
    assert.ok(preview.shown.includes('Hello Ann <b>Ngata</b>,'), preview.shown);
    assert.ok(preview.shown.includes('For you to act on'), preview.shown);
    assert.ok(!preview.shown.includes('Reports are not allowed yet'), 'reports were allowed');
    // Net assets as the simulator's balance sheet has them, in the pack's way of writing.
    const expected = await (await fetch(`${base}/_sim/orgs/${org.tenantId}/report-figures?date=${localDate()}`)).json();
    assert.ok(preview.shown.includes(money(expected.net_assets)), `${money(expected.net_assets)} in:\n${preview.shown}`);
    assert.ok(!preview.html.includes('<b>Ngata'), 'the name is escaped in the HTML');

    if (process.env.PACK_SCREENSHOT) {
      await browser.setWindowSize(1440, 900).catch(() => {});
      await new Promise((r) => setTimeout(r, 800));
      execFileSync('bash', ['-c', 'xwd -root -silent | convert xwd:- -trim +repage "$OUT"'], {
        env: { ...process.env, OUT: process.env.PACK_SCREENSHOT },
      });
    }

    await (await byTestId('pack-send-now')).click();
    await eventually(async () => (await (await byTestId('pack-send-result')).getText()) === 'Sent to 1 console user.', {
      timeout: 30000,
      message: 'Send now to report the send',
    });
    const files = readdirSync(outDir).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1, 'one message, to the one console user');
    const received = readMessage(join(outDir, files[0]));
    assert.ok(received.to.includes('Ann <b>Ngata</b>') && received.to.endsWith('<ann@client.example>'), received.to);
    assert.equal(received.subject, preview.subject);
    assert.equal(lines(received.html), lines(preview.html), 'the HTML received is the preview');
    assert.equal(lines(received.text), lines(preview.text), 'the text received is the preview');

    // The dialog now says who got it.
    assert.match(await (await byTestId('pack-delivery')).getText(), /Ann <b>Ngata<\/b> <ann@client\.example>: sent/);
  });
});
