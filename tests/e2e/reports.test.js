// Client reports in the real app window, against the Xero simulator over real HTTP: connect two
// organisations, open a client's reports from the Reports column, allow the report scopes (the
// consent completed as a person's browser does it), read totals that match the simulator's
// figures, then stop the simulator and reopen the reports from the cache.
//
// The system browser is replaced by a recorder (SWITCHBOARD_BROWSER); tokens go to the Linux
// kernel keyring (SWITCHBOARD_KEYRING).

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from './lib/harness.js';
import { consentInBrowser as consent, openAppOnSimulatedXero } from './lib/simulated-xero.js';

/** "1234.50" / "-7.05" (as Xero writes amounts) → cents. */
function cents(amount) {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(amount);
  assert.ok(m, `an amount: ${amount}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

/** The app asks for reports as of its local date. */
function localDate() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('Client reports (real window, simulated Xero, then offline)', () => {
  let browser, sim, base, openedUrls, close, org, ws;

  before(async () => {
    ({ browser, sim, base, openedUrls, close, ws } = await openAppOnSimulatedXero({ orgs: 3, seed: 11, name: 'e2e-reports' }));
  });

  after(() => close?.());

  const simJson = async (path) => (await fetch(`${base}/_sim/${path}`)).json();

  /** The person's browser: the consent page, the organisations ticked, Allow, back to the app. */
  async function consentInBrowser(urlIndex, tenantIds) {
    const url = await consent(openedUrls, urlIndex, tenantIds);
    assert.ok(url.startsWith(`${base}/login/identity/connect/authorize?`), url);
    return url;
  }

  /** Clicks the Reports column of the row named `name`. */
  async function openReportsOf(name) {
    const clicked = await eventually(
      () =>
        browser.execute((wanted) => {
          const row = [...document.querySelectorAll('[role="grid"] [role="row"][data-id]')].find(
            (r) => r.querySelector('.name')?.textContent.trim() === wanted,
          );
          const button = row?.querySelector('.c-reports button');
          if (!button) return false;
          button.click();
          return true;
        }, name),
      { timeout: 30000, message: `the Reports button of ${name}` },
    );
    assert.ok(clicked);
    await eventually(async () => (await browser.execute(() => location.hash)).endsWith('/reports'), { message: 'the Reports page' });
    await eventually(async () => (await browser.$('h1').getText()) === name, { message: `the Reports page of ${name}` });
  }

  const figure = (testid) =>
    browser.execute((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return el ? { cents: el.getAttribute('data-cents'), text: el.textContent.trim() } : null;
    }, testid);

  const netProfitCell = () =>
    browser.execute(() => {
      const td = document.querySelector('[data-report="profit_and_loss_months"] tr[data-label="Net Profit"] td');
      return td ? { cents: td.getAttribute('data-cents'), text: td.textContent.trim(), negative: td.classList.contains('negative') } : null;
    });

  const asOfTexts = () => browser.execute(() => [...document.querySelectorAll('[data-report] [data-testid="as-of"]')].map((e) => e.textContent.trim()));

  test('reports open from the Reports column, are allowed on request, and match the simulator', async () => {
    const orgs = await simJson('orgs');
    const chosen = orgs.slice(0, 2);
    org = chosen[0];
    await (await browser.$('[data-testid="add-from-xero"]')).click();
    const connectUrl = await consentInBrowser(0, chosen.map((o) => o.tenantId));
    // Connecting asks for no report scope.
    assert.ok(!decodeURIComponent(connectUrl).includes('accounting.reports'), connectUrl);

    await openReportsOf(org.name);
    await (await browser.$('[data-testid="allow-reports"]')).waitForExist({ timeout: 30000 });
    assert.match(await (await browser.$('[data-testid="access-notice"]')).getText(), /has not allowed Switchboard to read reports/);

    await (await browser.$('[data-testid="allow-reports"]')).click();
    const allowUrl = await consentInBrowser(1, chosen.map((o) => o.tenantId));
    const scopes = new URL(allowUrl).searchParams.get('scope').split(' ');
    for (const s of ['accounting.reports.profitandloss.read', 'accounting.reports.balancesheet.read', 'accounting.invoices.read', 'accounting.reports.banksummary.read']) {
      assert.ok(scopes.includes(s), `Allow reports asks for ${s}`);
    }

    const expected = await simJson(`orgs/${org.tenantId}/report-figures?date=${localDate()}`);
    const shown = await eventually(async () => {
      const f = await figure('net-profit-this-month');
      return f && f.cents !== '' ? f : null;
    }, { timeout: 40000, message: 'the reports to be fetched' });
    assert.equal(Number(shown.cents), cents(expected.net_profit_this_month), 'net profit this month = the simulator\'s');
    const cell = await netProfitCell();
    assert.equal(Number(cell.cents), cents(expected.net_profit_this_month));
    assert.equal(cell.negative, cents(expected.net_profit_this_month) < 0);
    const netAssets = await figure('net-assets');
    assert.equal(Number(netAssets.cents), cents(expected.net_assets), 'net assets = the simulator\'s');
    // The amount a person reads is the simulator's, in its currency's way of writing.
    const abs = Math.abs(cents(expected.net_assets));
    const digits = `${Math.floor(abs / 100).toLocaleString('en-GB')}.${String(abs % 100).padStart(2, '0')}`;
    assert.ok(netAssets.text.includes(digits), `${netAssets.text} shows ${digits}`);
    // The aged receivables, built from the simulator's outstanding invoices, age as its own do.
    const over90 = await figure('receivables-over-90');
    assert.equal(Number(over90.cents), cents(expected.receivables_over_90_days), 'receivables over 90 days = the simulator\'s');
    const asOf = await asOfTexts();
    assert.equal(asOf.length, 6);
    for (const t of asOf) assert.match(t, /^As of /);
    // The trend chart is drawn from the twelve months.
    const bars = await browser.execute(() => document.querySelectorAll('svg g[data-month]').length);
    assert.equal(bars, 12);

    // "Refresh every client": both connected organisations allow reports, six reports each.
    await (await browser.$('[data-testid="refresh-all-reports"]')).click();
    await eventually(async () => {
      const message = await browser.execute(() => document.querySelector('[data-testid="refresh-message"]')?.textContent ?? '');
      return message.includes('Refreshed 12 reports of 2 clients.') ? message : null;
    }, { timeout: 40000, message: 'every client to be refreshed' });

    // `REPORTS_SCREENSHOT=<png>`: also capture the real window here (docs/reports.png).
    if (process.env.REPORTS_SCREENSHOT) {
      // Tall enough for the title, the strip, the figures, the chart and the Profit and Loss
      // tables at once (run under an Xvfb screen of at least 1440x1400, e.g. `xvfb-run -s "-screen 0 1440x1400x24"`).
      await browser.setWindowSize(1280, 1240).catch(() => {});
      await browser.execute(() => document.querySelector('[data-testid="toast"] .banner-close')?.click());
      await new Promise((r) => setTimeout(r, 1000));
      execFileSync('bash', ['-c', 'xwd -root -silent | convert xwd:- -trim +repage "$OUT"'], {
        env: { ...process.env, OUT: process.env.REPORTS_SCREENSHOT },
      });
    }
  });

  test('with the simulator stopped, the reports reopen from the cache', async () => {
    assert.ok(org, 'the first test connected an organisation');
    const expected = await simJson(`orgs/${org.tenantId}/report-figures?date=${localDate()}`);
    sim.kill();
    await new Promise((r) => sim.once('exit', r));
    await assert.rejects(fetch(`${base}/_sim/state`), 'the simulator is gone');

    await (await browser.$('[data-testid="back"]')).click();
    await openReportsOf(org.name);
    const shown = await eventually(async () => {
      const f = await figure('net-profit-this-month');
      return f && f.cents !== '' ? f : null;
    }, { message: 'the cached reports' });
    assert.equal(Number(shown.cents), cents(expected.net_profit_this_month));
    for (const t of await asOfTexts()) assert.match(t, /^As of /);

    // Refresh while offline: it says so, and the cached figures stay.
    await (await browser.$('[data-testid="refresh-reports"]')).click();
    const message = await eventually(async () => {
      const el = await browser.$('[data-testid="refresh-message"]');
      return (await el.isExisting()) ? el.getText() : null;
    }, { timeout: 30000, message: 'the refresh to report' });
    assert.match(message, /could not be refreshed .*could not be reached.*cached copies are shown/);
    const after = await figure('net-profit-this-month');
    assert.equal(Number(after.cents), cents(expected.net_profit_this_month));

    // Allowing reports is in the practice's history in Settings, with who did it.
    await browser.execute(() => { location.hash = '#/settings'; });
    const allowed = await eventually(async () => browser.execute(() => {
      const row = document.querySelector('[data-testid="practice-history-row"][data-action="allow_reports"]');
      return row ? [...row.querySelectorAll('td')].map((td) => td.textContent.trim()) : null;
    }), { message: 'Allow reports in the practice history' });
    assert.equal(allowed[1], 'Allowed reports');
    assert.ok(allowed[2] !== '' && allowed[2] !== '—', `an actor: ${allowed}`);
    assert.match(allowed[3], /report scopes .* granted for 2 organisation\(s\)/);

    // "Export all changes to CSV": every entry, in a file in the export folder, and the export
    // itself then in the history.
    await browser.execute(() => document.querySelector('[data-testid="export-history"]').click());
    const file = await eventually(() => readdirSync(ws.exportDir).find((f) => f.startsWith('Switchboard history')) ?? null, {
      message: 'the history CSV in the export folder',
    });
    const csv = readFileSync(join(ws.exportDir, file), 'utf8');
    assert.ok(csv.startsWith('\ufeffWhen (UTC),Client file,Change,Before,After,By'), csv.slice(0, 80));
    assert.match(csv, /,allow_reports,/);
    await eventually(() => browser.execute(() =>
      document.querySelector('[data-testid="practice-history-row"][data-action="export_history"]') !== null,
    ), { message: 'the export in the practice history' });
  });
});
