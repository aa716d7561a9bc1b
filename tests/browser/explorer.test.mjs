// The explorer in a real browser: Debian's Chromium, headless, driven by
// playwright-core, against the release server on a fresh database. Each
// check compares what the page shows with what the API answers.
//
//   cargo build --release && cd tests/browser && npm ci && npm test
//
// CITY_REGION_API names another binary; CHROMIUM another browser.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const shots = new URL('../../target/browser/', import.meta.url).pathname;
const binary = process.env.CITY_REGION_API || new URL('../../target/release/city-region-api', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'explorer-'));
let server, browser, base, admin;
const offOrigin = [];
const pageErrors = [];

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

async function api(path, { method = 'GET', body, key = admin } = {}) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${base}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, etag: response.headers.get('etag') };
}

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATABASE_URL: join(folder, 'explorer.db'), BIND_ADDRESS: `127.0.0.1:${port}`, RUST_LOG: 'warn' };
  admin = execFileSync(binary, ['keys', 'create', '--name', 'browser-tests', '--scope', 'admin'], { env })
    .toString().trim().split('\n').pop();
  server = spawn(binary, ['serve'], { env, stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${base}/ready`)).ok) break;
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The built-in data holds no recommendation (its sources give none of
  // their texts): some, published, over several themes and levels.
  const areas = (await api('/thematic-areas?limit=100&sort=position')).body.data;
  const lille = (await api('/partners/lille-metropole')).body.id;
  const levels = ['local', 'regional', 'national', 'european'];
  for (let i = 0; i < 24; i += 1) {
    const made = await api('/recommendations', { method: 'POST', body: {
      title: `Recommendation ${i + 1} on ${areas[i % 3].name.toLowerCase()}`,
      body: 'Written by the browser tests about governance and mobility.',
      target_level: levels[i % 4], status: 'published',
      thematic_area_ids: [areas[i % 3].id], partner_ids: [lille],
    } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(folder, { recursive: true, force: true });
  assert.deepEqual(offOrigin, [], 'the page asked for something outside its origin');
  assert.deepEqual(pageErrors, [], 'the page logged errors');
});

async function open(hash = '', { width = 1280, height = 900 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) offOrigin.push(request.url());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) pageErrors.push(message.text());
  });
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready]');
  return page;
}

/** Waits for the view the hash names, after a click or a form. */
async function settled(page, hash) {
  await page.waitForFunction((h) => location.hash === h, hash);
  await page.waitForFunction(() => !document.querySelector('main .loading'));
  await page.waitForTimeout(50);
  await page.waitForLoadState('networkidle');
}

test('the map shows every partner at its place, the lead apart, with a summary on focus', async () => {
  const partners = (await api('/partners?limit=100', { key: null })).body.data;
  const placed = partners.filter((p) => p.latitude !== null && p.longitude !== null);
  const page = await open();
  assert.equal(await page.locator('.marker').count(), placed.length);
  assert.ok(placed.length >= 8);
  const lead = page.locator('.marker.lead');
  assert.equal(await lead.count(), 1);
  assert.match(await lead.getAttribute('aria-label'), /Lille Métropole.*lead partner/);
  assert.ok(await page.locator('path.country').count() > 30, 'the outlines are drawn');

  // The skip link moves focus to the content and leaves the view as it is.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.equal(await page.locator('.marker').count(), placed.length);

  // Keyboard: Tab reaches the first marker, its summary shows, Enter opens
  // its record.
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement.classList.contains('marker')))) {
    await page.keyboard.press('Tab');
    tabs += 1;
    assert.ok(tabs < 30, 'Tab never reaches a marker');
  }
  const first = page.locator('.marker:focus');
  const name = (await first.getAttribute('aria-label')).split(',')[0];
  const slug = await first.getAttribute('data-slug');
  assert.equal(await page.locator('#partner-summary h3').textContent(), name);
  await page.keyboard.press('Enter');
  await settled(page, `#/partners/${slug}`);
  assert.equal(await page.locator('#record-title').textContent(), name);

  // A click on Lille opens its record.
  await page.goto(`${base}/#/`);
  await page.waitForSelector('.marker.lead');
  await page.click('.marker.lead');
  await settled(page, '#/partners/lille-metropole');
  assert.equal(await page.locator('#record-title').textContent(), 'Lille Métropole');
  assert.match(await page.locator('.record dl').textContent(), /lead partner/);
  await page.close();
});

test('the timeline lists every event in date order, each linking to its record', async () => {
  const events = (await api('/events?sort=starts_on&limit=100', { key: null })).body.data;
  const page = await open('#/events');
  const links = page.locator('.timeline li a');
  assert.equal(await links.count(), events.length);
  assert.deepEqual(await links.allTextContents(), events.map((e) => e.title));
  await links.first().click();
  await settled(page, `#/events/${events[0].slug}`);
  assert.equal(await page.locator('#record-title').textContent(), events[0].title);
  const hrefs = await page.locator('.links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, [
    `/api/v1/events/${events[0].slug}`,
    `/api/v1/events.csv?slug=${events[0].slug}`,
    '/docs/#/Events/get_event',
  ]);
  const csv = await (await fetch(base + hrefs[1])).text();
  assert.equal(csv.trim().split('\r\n').length, 2, csv);
  assert.equal((await (await fetch(base + hrefs[0])).json()).id, events[0].id);
  await page.close();
});

test('the matrix counts what the filtered lists hold, and a cell opens that list', async () => {
  const page = await open('#/recommendations');
  const cells = page.locator('.matrix tbody td a');
  const n = await cells.count();
  assert.ok(n > 0, 'some cell has recommendations');
  for (let i = 0; i < n; i += 1) {
    const href = await cells.nth(i).getAttribute('href');
    const query = href.split('?')[1];
    const { body } = await api(`/recommendations?${query}&limit=1`, { key: null });
    assert.equal(Number(await cells.nth(i).textContent()), body.meta.total, href);
  }
  const href = await cells.first().getAttribute('href');
  const expected = Number(await cells.first().textContent());
  await cells.first().click();
  await settled(page, href);
  assert.equal(await page.locator('.records li').count(), Math.min(expected, 20));
  assert.match(await page.locator('.recommendations-view > .status').textContent(), new RegExp(`of ${expected}\\.`));
  await page.close();
});

test('the search box uses q and the list pages with the cursor', async () => {
  const word = 'governance';
  const { body } = await api(`/recommendations?q=${word}&limit=1`, { key: null });
  const page = await open('#/recommendations');
  await page.fill('#q', word);
  await page.press('#q', 'Enter');
  await settled(page, `#/recommendations?q=${word}`);
  assert.equal(await page.locator('.records li').count(), Math.min(body.meta.total, 20));
  assert.match(await page.locator('.recommendations-view > .status').textContent(), new RegExp(`of ${body.meta.total}\\.`));
  await page.close();
});

test('with a key, drafts appear and a record can be edited; 412 and 422 are explained', async () => {
  const area = (await api('/thematic-areas/governance')).body.id;
  const lille = (await api('/partners/lille-metropole')).body.id;
  const draft = await api('/recommendations', { method: 'POST', body: {
    title: 'A draft only keys see', body: 'Written by the browser tests.', target_level: 'local',
    status: 'draft', thematic_area_ids: [area], partner_ids: [lille],
  } });
  assert.equal(draft.status, 201);
  const anonymous = (await api('/recommendations?limit=1', { key: null })).body.meta.total;

  const page = await open('#/recommendations');
  assert.match(await page.locator('.recommendations-view > .status').textContent(), new RegExp(`of ${anonymous}\\.`));
  await page.fill('#key', 'cra_not_a_key');
  await page.click('#key-form button[type=submit]');
  await page.waitForFunction(() => /refused/.test(document.getElementById('key-status').textContent));
  await page.fill('#key', admin);
  await page.click('#key-form button[type=submit]');
  await page.waitForFunction(() => /key is in use/.test(document.getElementById('key-status').textContent));
  await page.waitForFunction((n) => document.querySelector('.recommendations-view > .status')?.textContent.includes(`of ${n}.`), anonymous + 1);
  assert.equal(await page.evaluate(() => location.href.includes('cra_')), false, 'the key stays out of the URL');
  // Without a name, the field is never sent in a URL, script or not.
  assert.equal(await page.getAttribute('#key', 'name'), null);

  // An edit that goes through.
  const slug = draft.body.slug;
  await page.evaluate((s) => { location.hash = `#/recommendations/${s}`; }, slug);
  await settled(page, `#/recommendations/${slug}`);
  await page.fill('#edit-title', 'A draft, edited in the browser');
  await page.click('form.edit button[type=submit]');
  await page.waitForFunction(() => document.querySelector('.notice')?.textContent === 'Saved.');
  assert.equal(await page.locator('#record-title').textContent(), 'A draft, edited in the browser');
  assert.equal((await api(`/recommendations/${slug}`)).body.title, 'A draft, edited in the browser');

  // Someone else writes meanwhile: a 412, said in words, with the new version.
  const other = await api(`/recommendations/${slug}`, { method: 'PATCH', body: { title: 'Changed elsewhere' } });
  assert.equal(other.status, 200);
  await page.fill('#edit-body', 'My change, made on an old version.');
  await page.click('form.edit button[type=submit]');
  await page.waitForFunction(() => /Someone else changed this record/.test(document.querySelector('.notice')?.textContent || ''));
  assert.equal(await page.locator('#record-title').textContent(), 'Changed elsewhere');
  assert.equal((await api(`/recommendations/${slug}`)).body.body, 'Written by the browser tests.');

  // A bad value: the field's message beside the field.
  await page.fill('#edit-title', '');
  await page.click('form.edit button[type=submit]');
  await page.waitForSelector('#edit-title-error:not([hidden])');
  assert.ok((await page.locator('#edit-title-error').textContent()).length > 0);
  assert.equal(await page.getAttribute('#edit-title', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#edit-title', 'aria-describedby'), 'edit-title-error');
  assert.equal((await api(`/recommendations/${slug}`)).body.title, 'Changed elsewhere');

  await page.click('#key-forget');
  await page.waitForFunction(() => /forgotten/.test(document.getElementById('key-status').textContent));
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.close();
});

test('at phone width nothing runs off the side and every control has a label', async () => {
  for (const hash of ['', '#/events', '#/recommendations', '#/partners/lille-metropole']) {
    const page = await open(hash, { width: 390, height: 844 });
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= inner, `${hash || '/'}: ${scroll}px wide in a ${inner}px window`);
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id || el.name));
    assert.deepEqual(unlabelled, [], hash);
    await page.close();
  }
});

test('every view passes axe-core (WCAG 2 A and AA); screenshots go to target/browser', async () => {
  const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  mkdirSync(shots, { recursive: true });
  const views = [['map', ''], ['timeline', '#/events'], ['recommendations', '#/recommendations'],
    ['record', '#/partners/lille-metropole'], ['edit', '#/partners/krakow']];
  for (const [width, height, device] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    // axe is injected as a script, which the page's own policy forbids:
    // this context alone bypasses it.
    const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
    for (const [name, hash] of views) {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      if (name === 'edit') {
        // With a key, the record view carries its edit form.
        await page.goto(`${base}/`);
        await page.evaluate((k) => sessionStorage.setItem('city-region-api:key', k), admin);
      }
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector('body[data-ready]');
      await page.waitForLoadState('networkidle');
      if (name === 'edit') await page.waitForSelector('form.edit');
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
        return result.violations.map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`);
      });
      assert.deepEqual(violations, [], `${name} at ${device} width`);
      await page.screenshot({ path: `${shots}explorer-${name}-${device}.png`, fullPage: name !== 'map' });
      await page.close();
    }
    await context.close();
  }
});
