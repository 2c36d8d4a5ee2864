// The rapporteur's page as a breakout's rapporteur uses it on a laptop and
// on a 360 px phone: two tabs on one fragment, French throughout, the
// session moving on to amending while text is unsent, the save bar, the
// conflict view and the version table on a phone, and a reload without
// network. The real server, Debian's Chromium; faults only through
// playwright (offline, a blocked live update).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test as nodeTest } from 'node:test';
import {
  launchBrowser, newPage, ROOT, sampleSessionNow, SCREENSHOTS, screenshots, seriousViolations, Server,
} from './harness.mjs';

const TIMEOUT = 120000;
const test = (name, fn) => nodeTest(name, { timeout: TIMEOUT }, fn);
const FR = JSON.parse(readFileSync(join(ROOT, 'web/i18n/fr.json'), 'utf8'));
const fr = (key, vars = {}) => Object.entries(vars).reduce((s, [k, v]) => s.split(`{${k}}`).join(String(v)), FR[key]);
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const RAPPORTEUR = 'Rapporteur, Breakout 1';

const srv = new Server();
let browser;
let sessions = 0;

const TEXT = [
  '## Conclusions',
  '',
  'Intermediary cities are the first responders to mixed migration.',
  '',
  '## Recommendations',
  '',
  '1. Give local governments a seat where migration policy is made.',
  '2. Fund city-to-city learning on inclusive services.',
  '',
].join('\n');

// A session of its own for each case (a phase change cannot be undone), with
// one fragment of breakout 1 at version 1; returns {sid, people, fid, api}.
async function sessionWithFragment(body = TEXT) {
  const spec = sampleSessionNow();
  spec.id = `rapporteur-page-${++sessions}`;
  const s = await srv.createSession(spec);
  const token = s.people[RAPPORTEUR].token;
  const api = (method, rest, opts = {}) => srv.api(method, `/api/v1/sessions/${s.sid}${rest}`, opts);
  const r = await api('POST', '/breakouts/complementarity/fragments', { token, body: { title: 'Complementarity', body } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { ...s, fid: r.body.id, api, token };
}

async function serverBody(s) {
  const r = await s.api('GET', `/fragments/${s.fid}`, { token: s.token });
  assert.equal(r.status, 200);
  return r.body;
}

// The rapporteur signed in on a device (a browser context): the join link
// sets the cookie; then the fragment opens in a tab of that device.
async function device(s, options = {}) {
  const c = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const first = await c.newPage();
  await first.goto(s.people[RAPPORTEUR].join_url);
  await first.close();
  return c;
}

async function tab(c, s) {
  const page = await newPage(c);
  await page.goto(`${srv.base}/app/rapporteur.html?session=${s.sid}&fragment=${s.fid}`);
  await page.waitForSelector('#editor-card:not([hidden])');
  await saveState(page, 'saved');
  return page;
}

async function saveState(page, ...states) {
  await page.waitForFunction((list) => list.includes(document.getElementById('save-state').dataset.state), states,
    { timeout: 15000 });
  return page.evaluate(() => ({
    state: document.getElementById('save-state').dataset.state,
    text: document.getElementById('save-state').textContent,
  }));
}

// The element is inside the window and is what a tap at its centre reaches.
async function inView(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.top < 0 || r.bottom > window.innerHeight || r.left < 0 || r.right > window.innerWidth) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !!hit && (hit === el || el.contains(hit));
  }, selector);
}

describe('the rapporteur page', { concurrency: false }, () => {
  before(async () => {
    await srv.start();
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  test('two tabs: B saves, then A saves; A sees a conflict and keeps its text (reload too)', async () => {
    const s = await sessionWithFragment();
    const c = await device(s);
    const a = await tab(c, s);
    const b = await tab(c, s);
    const textA = TEXT.replace('first responders', 'first and last responders');
    const textB = TEXT.replace('inclusive services', 'inclusive health and schooling');
    await a.fill('#body', textA);
    await b.fill('#body', textB);
    await b.click('#save');
    assert.match((await saveState(b, 'saved')).text, /version 2/);
    await a.click('#save');
    const { state } = await saveState(a, 'saved', 'conflict');
    assert.equal(state, 'conflict', 'A saved after B: a conflict, not "Saved" with nothing sent');
    assert.equal(await a.inputValue('#body'), textA);
    assert.equal((await serverBody(s)).body, textB);
    // A's unsent text belongs to tab A: a reload of A gets it back.
    await a.reload();
    await a.waitForSelector('#editor-card:not([hidden])');
    assert.equal(await a.inputValue('#body'), textA);
    assert.equal((await saveState(a, 'unsaved')).state, 'unsaved');
    await a.click('#save');
    await a.waitForSelector('#conflict:not([hidden])');
    await a.click('#keep-mine');
    assert.match((await saveState(a, 'saved')).text, /version 3/);
    assert.equal((await serverBody(s)).body, textA);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await c.close();
  });

  test('two tabs: A saves first; it sends its own text, and B then sees a conflict', async () => {
    const s = await sessionWithFragment();
    const c = await device(s);
    const a = await tab(c, s);
    const b = await tab(c, s);
    const textA = TEXT.replace('a seat', 'a permanent seat');
    const textB = TEXT.replace('a seat', 'a real seat');
    await a.fill('#body', textA);
    await b.fill('#body', textB);
    await a.click('#save');
    assert.match((await saveState(a, 'saved')).text, /version 2/);
    assert.equal((await serverBody(s)).body, textA, 'version 2 holds what tab A showed');
    assert.equal(await a.inputValue('#body'), textA);
    await b.click('#save');
    assert.equal((await saveState(b, 'saved', 'conflict')).state, 'conflict');
    assert.equal(await b.inputValue('#body'), textB);
    assert.equal((await serverBody(s)).body, textA, 'B did not overwrite A');
    await c.close();
  });

  test('French: the status line and the save state follow the language, offline retries included', async () => {
    const s = await sessionWithFragment();
    const c = await device(s, { locale: 'en-GB' });
    const page = await tab(c, s);
    await page.fill('#body', `${TEXT}3. Open data.\n`);
    await page.click('#save');
    await saveState(page, 'saved');
    assert.equal(await page.textContent('#status'), 'Saved as version 2.');
    await page.click('#lang-switch button[lang="fr"]');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    assert.equal(await page.textContent('#status'), fr('rap.saved', { v: 2 }));
    assert.equal(await page.textContent('#save-state'), fr('rap.state_saved', { v: 2 }));
    await c.setOffline(true);
    await page.fill('#body', `${TEXT}3. Open data for all.\n`);
    assert.equal(await page.textContent('#save-state'), fr('rap.state_unsaved'));
    await page.click('#save');
    assert.equal((await saveState(page, 'retrying')).text, fr('rap.state_retrying'));
    await c.setOffline(false);
    assert.equal((await saveState(page, 'saved')).text, fr('rap.state_saved', { v: 3 }));
    assert.match((await serverBody(s)).body, /Open data for all/);
    assert.deepEqual(page.errors, []);
    await c.close();
  });

  test('the phase moves to amending: the page says drafting is closed, Save is off, the text can be downloaded', async () => {
    const s = await sessionWithFragment();
    const c = await device(s);
    const page = await tab(c, s);
    const unsent = TEXT.replace('inclusive services', 'inclusive services and housing');
    await page.fill('#body', unsent);
    await saveState(page, 'unsaved');
    const moderator = s.people.Moderator.token;
    assert.equal((await s.api('POST', '/drafts', { token: moderator, body: { merge: true } })).status, 201);
    const president = s.people['President of the session'].token;
    assert.equal((await s.api('POST', '/phase', { token: president, body: { phase: 'amending' } })).status, 200);
    // Pushed live, without a reload or a Save.
    await page.waitForSelector('#closed:not([hidden])', { timeout: 15000 });
    assert.match(await page.textContent('#closed'), /Drafting is closed/);
    assert.ok(await page.isDisabled('#save'), 'Save is disabled');
    assert.match(await page.textContent('#save-reason'), /drafting is over/);
    assert.equal(await page.inputValue('#body'), unsent, 'the unsent text stays in the editor');
    assert.equal((await saveState(page, 'unsaved')).text, 'Not yet saved');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.match(download.suggestedFilename(), /\.md$/);
    const file = readFileSync(await download.path(), 'utf8');
    assert.ok(file.includes(unsent), 'the download holds the unsent text');
    await c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.base });
    await page.click('#copy');
    assert.ok((await page.evaluate(() => navigator.clipboard.readText())).includes(unsent), 'the copy holds the unsent text');
    assert.deepEqual(await seriousViolations(page), []);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(SCREENSHOTS, 'rapporteur-page-closed-1920.png') });
    assert.deepEqual(page.errors, []);
    await c.close();
  });

  test('a save refused because drafting closed gives the reason in French, not the server message', async () => {
    const s = await sessionWithFragment();
    const c = await device(s, { locale: 'fr-FR' });
    const page = await tab(c, s);
    // The live update is late (a fault): the refusal itself must be explained.
    await page.route('**/live', (route) => route.abort());
    await page.fill('#body', `${TEXT}3. Données ouvertes.\n`);
    assert.equal((await s.api('POST', '/drafts', { token: s.people.Moderator.token, body: { merge: true } })).status, 201);
    assert.equal((await s.api('POST', '/phase', { token: s.people['President of the session'].token,
      body: { phase: 'amending' } })).status, 200);
    await page.click('#save');
    await page.waitForFunction(() => document.getElementById('status').textContent.length > 0
      && document.getElementById('save-state').dataset.state !== 'saving');
    const said = await page.textContent('#status');
    assert.doesNotMatch(said, /read-only|leaves drafting|session "/, `raw server message shown: ${said}`);
    assert.equal(said, fr('rap.drafting_closed', { phase: fr('phase.amending') }));
    assert.equal((await saveState(page, 'unsaved')).text, fr('rap.state_unsaved'));
    assert.ok(await page.isDisabled('#save'));
    assert.match(await page.inputValue('#body'), /Données ouvertes/);
    await c.close();
  });

  test('phone: Save and its state stay in view while the page scrolls', async () => {
    const s = await sessionWithFragment();
    const c = await device(s, PHONE);
    const page = await tab(c, s);
    await page.fill('#body', `${TEXT}3. Open data.\n`);
    for (const where of ['#frag-h', '#hist-h', '#preview-h', '#note']) {
      await page.locator(where).scrollIntoViewIfNeeded();
      await page.waitForTimeout(100);
      assert.ok(await inView(page, '#save'), `Save in view with ${where} on screen`);
      assert.ok(await inView(page, '#save-state'), `save state in view with ${where} on screen`);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(100);
    assert.ok(await inView(page, '#save'), 'Save in view at the top of the page');
    await page.click('#save');
    await saveState(page, 'saved');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'rapporteur-page-360x740.png') });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(SCREENSHOTS, 'rapporteur-page-1920x1080.png') });
    await c.close();
  });

  test('phone: the conflict view shows the changed places with a little context, not the whole text twice', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${i + 1}. Recommendation number ${i + 1} of the breakout.`);
    const long = `## Recommendations\n\n${lines.join('\n')}\n`;
    const s = await sessionWithFragment(long);
    // Two devices, so the conflict is reached whatever each one keeps.
    const first = await tab(await device(s, PHONE), s);
    const secondCtx = await device(s, PHONE);
    const second = await tab(secondCtx, s);
    await first.fill('#body', long.replace('number 3 of', 'number three of'));
    await second.fill('#body', long.replace('number 37 of', 'number thirty-seven of'));
    await first.click('#save');
    await saveState(first, 'saved');
    await second.click('#save');
    await second.waitForSelector('#conflict:not([hidden])');
    const shown = await second.evaluate(() => {
      const box = document.getElementById('conflict');
      const areas = [...box.querySelectorAll('textarea')].filter((t) => t.checkVisibility()).map((t) => t.value);
      return [box.innerText, ...areas].join('\n');
    });
    assert.match(await second.textContent('#conflict-diff .diff ins'), /three/, 'their change is shown');
    assert.match(shown, /Recommendation number 2 of/, 'with the lines around it');
    assert.doesNotMatch(shown, /number 20 of/, 'a line far from the changes is not shown');
    const heights = await second.evaluate(() => document.getElementById('conflict').getBoundingClientRect().height);
    assert.ok(heights < 2 * 740, `the conflict view is ${heights} px tall on a 740 px phone`);
    await second.screenshot({ path: join(SCREENSHOTS, 'rapporteur-page-conflict-360x740.png') });
    await screenshots(second, 'rapporteur-page-conflict');
    assert.deepEqual(await seriousViolations(second), []);
    await second.click('#take-merge');
    await saveState(second, 'saved');
    const merged = (await serverBody(s)).body;
    assert.match(merged, /number three of/);
    assert.match(merged, /number thirty-seven of/);
    await first.context().close();
    await secondCtx.close();
  });

  test('phone: the version table fits 360 px, every column readable', async () => {
    const s = await sessionWithFragment();
    const c = await device(s, PHONE);
    const page = await tab(c, s);
    const notes = ['first full text after the morning session', 'comments of the co-rapporteur on housing'];
    for (const [i, note] of notes.entries()) {
      await page.fill('#body', `${TEXT}${i + 3}. Point ${i + 3}.\n`);
      await page.fill('#note', note);
      await page.click('#save');
      await saveState(page, 'saved');
    }
    await page.waitForSelector('#versions tr:nth-child(3)');
    const fit = await page.evaluate(() => {
      const wrap = document.querySelector('#history .table-wrap');
      const box = wrap.getBoundingClientRect();
      const cells = [...document.querySelectorAll('#versions td')];
      const clipped = cells.filter((td) => {
        const r = td.getBoundingClientRect();
        return r.right > box.right + 1 || r.left < box.left - 1 || td.scrollWidth > td.clientWidth + 1;
      }).map((td) => td.textContent);
      return { scroll: wrap.scrollWidth, width: wrap.clientWidth, clipped, page: document.documentElement.scrollWidth };
    });
    assert.ok(fit.scroll <= fit.width, `the table is ${fit.scroll} px wide in a ${fit.width} px card: it scrolls sideways`);
    assert.deepEqual(fit.clipped, [], 'clipped cells');
    assert.ok(fit.page <= 360);
    const text = await page.evaluate(() => document.getElementById('versions').innerText);
    for (const note of notes) assert.ok(text.includes(note), `note "${note}" readable`);
    await page.locator('#hist-h').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'rapporteur-page-history-360x740.png') });
    assert.deepEqual(await seriousViolations(page), []);
    await c.close();
  });

  test('offline shell: a reload without network shows the page and the unsent text; back online, Save works', async () => {
    const s = await sessionWithFragment();
    const c = await device(s);
    const page = await tab(c, s);
    // The shell is kept in the background once the page has loaded; give it
    // a moment (a page without one simply finds nothing kept).
    await page.waitForFunction(async () => !!(await caches.match('/app/rapporteur.html'))
      && !!(await caches.match('/js/rapporteur.js')) && !!(await caches.match('/i18n/en.json')), null, { timeout: 10000 })
      .catch(() => {});
    const unsent = `${TEXT}3. Written on the bus, without network.\n`;
    await page.fill('#body', unsent);
    await saveState(page, 'unsaved');
    await c.setOffline(true);
    const reloaded = await page.reload().then(() => null, (e) => e.message);
    assert.equal(reloaded, null, 'the page reloads without network');
    await page.waitForSelector('#editor-card:not([hidden])');
    assert.equal(await page.inputValue('#body'), unsent);
    assert.equal((await saveState(page, 'unsaved')).text, 'Not yet saved');
    assert.match(await page.textContent('h1'), /Breakout report/);
    await c.setOffline(false);
    const api = [];
    page.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r.fromServiceWorker()); });
    await page.click('#save');
    assert.match((await saveState(page, 'saved')).text, /version 2/);
    assert.equal((await serverBody(s)).body, unsent);
    assert.ok(api.length > 0 && api.every((fromWorker) => !fromWorker), 'API answers come from the server, never the worker');
    // Only the static shell was kept: no API answer, join link or stream.
    const kept = await page.evaluate(async () => {
      const out = [];
      for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) out.push(req.url);
      return out;
    });
    assert.ok(kept.length > 0);
    assert.deepEqual(kept.filter((u) => /\/api\/|\/join\/|\/stream|\/s\//.test(new URL(u).pathname)), []);
    assert.deepEqual(page.errors, []);
    await c.close();
  });
});
