// The secretariat's console shows where the draft's text comes from and how
// it changed: each paragraph's breakout (by its title), fragment and version;
// a diff between two drafts; the fragments saved since a draft was merged; a
// duplicate pair side by side; pending editorial edits with their text.
//
// The breakouts write their notes and the secretariat merges and edits them
// through the API (the rehearsal walks those pages); what is checked here is
// what the secretariat sees on the console, in a real Chromium.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage, sampleSessionNow, SCREENSHOTS, seriousViolations, Server } from './harness.mjs';

const WAIT = { timeout: 8000 };
const COMPLEMENTARITY = 'Complementarity in partnership approaches';
const SUSTAINABILITY = 'Sustainability in partnership approaches';

const FRAG1 = [
  '## Conclusions',
  '',
  'Intermediary cities are the first responders to mixed migration.',
  '',
  '## Recommendations',
  '',
  '1. Give local governments a seat where migration policy is made.',
  '2. Fund city-to-city learning on inclusive services.',
  '3. Publish open data on migration in every city.',
  '',
].join('\n');
const FRAG2 = [
  '## Recommendations',
  '',
  '- Secure multi-year funding for local migration partnerships.',
  '- Publish open migration data in every city.',
  '',
].join('\n');

const srv = new Server();
let browser;
let session;
let context;
let page;
const token = (name) => session.people[name].token;
const api = (rest) => `/api/v1/sessions/${session.sid}${rest}`;

async function call(method, rest, name, body) {
  const r = await srv.api(method, api(rest), { token: token(name), body });
  assert.ok(r.status < 300, `${method} ${rest}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// The paragraph of the console's current draft that holds `text`.
const para = (text) => page.locator('#panel-draft .doc .para', { hasText: text });

async function openDraftTab(p) {
  await p.click('#tab-draft');
  await p.waitForSelector('#panel-draft .doc .para', WAIT);
}

describe('sources and changes on the secretariat\'s console', { concurrency: false }, () => {
  let fid1;
  before(async () => {
    await srv.start();
    session = await srv.createSession(sampleSessionNow());
    fid1 = (await call('POST', '/breakouts/complementarity/fragments', 'Rapporteur, Breakout 1', { title: 'Atelier 1', body: FRAG1 })).id;
    await call('POST', '/breakouts/sustainability/fragments', 'Rapporteur, Breakout 2', { title: 'Breakout 2 notes', body: FRAG2 });
    const d1 = await call('POST', '/drafts', 'Moderator', { merge: true });
    const pid = (text) => d1.paragraphs.find((p) => p.markdown.includes(text)).pid;
    // Draft 2: one paragraph changed, one removed, one added.
    await call('POST', '/drafts', 'Moderator', { base: 1, edits: [
      { replace: pid('Fund city-to-city'), text: 'Fund city-to-city learning on inclusive health services.' },
      { delete: pid('Secure multi-year') },
      { insert_after: pid('first responders'), text: 'Cities need a voice in national migration policy.' },
    ] });
    // Breakout 1 saves again after Draft 2: not merged yet.
    await call('PUT', `/fragments/${fid1}`, 'Rapporteur, Breakout 1', { base_version: 1, body: `${FRAG1}4. Train city staff on migrants' rights.\n` });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    page = await newPage(context);
    await page.goto(session.people.Moderator.join_url);
    await page.waitForURL(/\/app\/console\.html/);
    await openDraftTab(page);
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  test('each paragraph names its source: the breakout by its title, the fragment and its version', async () => {
    const r1 = para('a seat where migration policy');
    await r1.locator('.source').waitFor(WAIT);
    assert.match(await r1.textContent(), new RegExp(`Source: ${COMPLEMENTARITY} · “Atelier 1”, version 1`));
    // A newer version of that fragment waits to be merged.
    assert.match(await r1.textContent(), /version 2 saved since/);
    assert.match(await para('Publish open migration data').textContent(), new RegExp(`Source: ${SUSTAINABILITY} · “Breakout 2 notes”, version 1`));
    // Text made by the secretariat says so.
    assert.match(await para('inclusive health services').textContent(), /Source: editorial edit in Draft 2/);
    assert.match(await para('Cities need a voice').textContent(), /Source: editorial edit in Draft 2/);
    // The title and date lines come from the session, not a breakout.
    assert.doesNotMatch(await page.locator('#panel-draft .doc .para').first().textContent(), /Source/);
    assert.deepEqual(page.errors, []);
  });

  test('a diff between Draft 1 and Draft 2: paragraphs added, removed and changed, with the changed words', async () => {
    await page.selectOption('#diff-from', '1', WAIT);
    await page.selectOption('#diff-to', '2');
    await page.click('#diff-show');
    const out = page.locator('#draft-diff');
    await out.locator('li').first().waitFor(WAIT);
    assert.match(await out.textContent(), /Draft 1 → Draft 2: 1 added, 1 removed, 1 changed/);
    const changed = out.locator('li[data-op="changed"]');
    assert.equal(await changed.locator('.diff ins').textContent(), 'health ');
    assert.match(await changed.textContent(), /inclusive/);
    assert.match(await out.locator('li[data-op="deleted"] .diff del').textContent(), /Secure multi-year funding/);
    assert.match(await out.locator('li[data-op="inserted"] .diff ins').textContent(), /Cities need a voice/);
    // The recommendation after the removed one moved up a number.
    assert.match(await out.textContent(), /renumbered R5 → R4/);
    assert.deepEqual(page.errors, []);
  });

  test('fragments changed since a draft: the breakout that saved a newer version than the one merged', async () => {
    const list = page.locator('#stale-list');
    await list.locator('li').first().waitFor(WAIT);
    assert.equal(await page.inputValue('#since-draft'), '2');
    assert.deepEqual(await list.locator('li').allTextContents(),
      [`${COMPLEMENTARITY} · “Atelier 1”: version 1 in Draft 2, now version 2`]);
    await page.selectOption('#since-draft', '1');
    await page.waitForFunction(() => /in Draft 1/.test(document.getElementById('stale-list').textContent), null, WAIT);
    // Merging again takes it in.
    await page.click('#tab-breakouts');
    await page.click('#panel-breakouts button.primary');
    await page.waitForFunction(() => /Draft 3/.test(document.getElementById('status').textContent), null, WAIT);
    await openDraftTab(page);
    await page.selectOption('#since-draft', '3');
    await page.waitForFunction(() => /Every fragment is as merged into Draft 3/.test(document.getElementById('stale-list').textContent), null, WAIT);
    assert.equal(await list.locator('li').count(), 0);
    assert.match(await para('a seat where migration policy').textContent(), /“Atelier 1”, version 2/);
    assert.deepEqual(page.errors, []);
  });

  test('a duplicate pair side by side, stacked on a phone', async () => {
    const pair = page.locator('#panel-draft .dup-pair').first();
    await pair.waitFor(WAIT);
    const sides = pair.locator('.side');
    assert.equal(await sides.count(), 2);
    assert.match(await sides.nth(0).textContent(), /Publish open data on migration in every city\./);
    assert.match(await sides.nth(0).textContent(), new RegExp(COMPLEMENTARITY));
    assert.match(await sides.nth(1).textContent(), /Publish open migration data in every city\./);
    assert.match(await sides.nth(1).textContent(), new RegExp(SUSTAINABILITY));
    // A live update may redraw the panel between two reads: read both boxes again until both are on screen.
    const boxes = async () => {
      for (let i = 0; i < 50; i++) {
        const b = [await sides.nth(0).boundingBox(), await sides.nth(1).boundingBox()];
        if (b[0] && b[1]) return b;
        await page.waitForTimeout(100);
      }
      throw new Error('the duplicate pair is not on screen');
    };
    let [a, b] = await boxes();
    assert.ok(Math.abs(a.y - b.y) < 2 && b.x > a.x + a.width - 1, `side by side at 1920 px: ${JSON.stringify([a, b])}`);
    await page.setViewportSize({ width: 360, height: 740 });
    [a, b] = await boxes();
    assert.ok(b.y >= a.y + a.height - 1, `stacked at 360 px: ${JSON.stringify([a, b])}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling at 360 px');
    await page.setViewportSize({ width: 1920, height: 1080 });
  });

  test('pending editorial edits show what they will change before they are applied', async () => {
    await para('a seat where migration policy').locator('button').click();
    await page.fill('#edit-text', 'Give local governments a decisive seat where migration policy is made.');
    await page.locator('#panel-draft button', { hasText: 'Add to the edits' }).click();
    await para('Publish open migration data').locator('button').click();
    await page.check('#panel-draft input[name="edit-kind"][value="delete"]');
    await page.locator('#panel-draft button', { hasText: 'Add to the edits' }).click();
    const edits = page.locator('#panel-draft .pending-edit');
    await edits.nth(1).waitFor(WAIT);
    assert.match(await edits.nth(0).textContent(), /Replace the paragraph: R1/);
    assert.equal(await edits.nth(0).locator('.diff ins').textContent(), 'decisive ');
    assert.match(await edits.nth(0).locator('.diff').textContent(), /Give local governments a decisive seat where migration policy is made\./);
    assert.match(await edits.nth(1).textContent(), /Delete the paragraph: R\d/);
    assert.equal(await edits.nth(1).locator('.diff del').textContent(), 'Publish open migration data in every city.');
    const before = (await call('GET', '/drafts/current', 'Moderator')).n;
    await page.locator('#panel-draft button', { hasText: 'Make the next draft with these edits' }).click();
    await page.waitForFunction((n) => document.getElementById('status').textContent.includes(`Draft ${n} made`), before + 1, WAIT);
    // The server holds what was shown.
    const made = await call('GET', '/drafts/current', 'Moderator');
    assert.ok(made.paragraphs.some((p) => p.markdown === 'Give local governments a decisive seat where migration policy is made.'));
    assert.ok(!made.paragraphs.some((p) => p.markdown.includes('Publish open migration data')));
    assert.deepEqual(page.errors, []);
  });

  test('screenshots of the draft view with sources and a diff, in French too; no serious accessibility violation', async () => {
    await page.selectOption('#diff-from', '1', WAIT);
    await page.selectOption('#diff-to', '4');
    await page.click('#diff-show');
    // An earlier comparison may still be on screen: wait for this one's heading.
    await page.waitForFunction(() => /Draft 1 → Draft 4/.test(document.getElementById('draft-diff').textContent), null, WAIT);
    await page.locator('#draft-diff li').first().waitFor(WAIT);
    assert.deepEqual(await seriousViolations(page), []);
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [width, height] of [[1920, 1080], [360, 740]]) {
      await page.setViewportSize({ width, height });
      await page.locator('#compare-h').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `console-draft-sources-${width}.png`), fullPage: true });
      assert.ok(await page.evaluate((w) => document.documentElement.scrollWidth <= w, width), `no sideways scrolling at ${width} px`);
    }
    const fr = await newPage(await browser.newContext({ viewport: { width: 360, height: 740 } }));
    await fr.goto(session.people.Moderator.join_url);
    await fr.waitForURL(/\/app\/console\.html/);
    await fr.goto(`${srv.base}/app/console.html?session=${session.sid}&lang=fr#draft`);
    await fr.waitForSelector('#panel-draft .doc .para .source', WAIT);
    assert.match(await fr.locator('#panel-draft .doc').textContent(), new RegExp(`Source : ${COMPLEMENTARITY} · « Atelier 1 », version 2`));
    assert.match(await fr.locator('#panel-draft').textContent(), /Comparer deux projets/);
    await fr.selectOption('#diff-from', '2');
    await fr.selectOption('#diff-to', '4');
    await fr.click('#diff-show');
    await fr.waitForFunction(() => /Projet 2 → projet 4/.test(document.getElementById('draft-diff').textContent), null, WAIT);
    await fr.locator('#compare-h').scrollIntoViewIfNeeded();
    await fr.screenshot({ path: join(SCREENSHOTS, 'console-draft-sources-fr-360.png') });
    assert.deepEqual(await seriousViolations(fr), []);
    assert.deepEqual([...page.errors, ...fr.errors], []);
  });

  test('an edit to a paragraph that a newer draft changed is never applied over that change', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const current = await call('GET', '/drafts/current', 'Moderator');
    const r1 = current.paragraphs.find((p) => p.markdown.includes('a decisive seat where migration policy'));
    await para('a decisive seat where migration policy').locator('button').click();
    await page.fill('#edit-text', 'Give local governments a decisive and permanent seat where migration policy is made.');
    await page.locator('#panel-draft button', { hasText: 'Add to the edits' }).click();
    await para('first responders').locator('button').click();
    await page.fill('#edit-text', 'Intermediary cities are the first and last responders to mixed migration.');
    await page.locator('#panel-draft button', { hasText: 'Add to the edits' }).click();
    // Meanwhile another member of the secretariat makes a draft that changes R1.
    const theirs = await call('POST', '/drafts', 'Moderator', { base: current.n, edits: [
      { replace: r1.pid, text: 'Give local governments a standing seat where migration policy is made.' }] });
    await para('a standing seat').waitFor(WAIT);
    const edits = page.locator('#panel-draft .pending-edit');
    await edits.nth(0).locator('.notice').waitFor(WAIT);
    assert.match(await edits.nth(0).textContent(), new RegExp(`changed in Draft ${theirs.n} since the edit was made`));
    assert.equal(await edits.nth(1).locator('.notice').count(), 0, 'the other paragraph did not change');
    await page.locator('#panel-draft button', { hasText: 'Make the next draft with these edits' }).click();
    await page.waitForFunction(() => /Not applied: R1 changed/.test(document.getElementById('status').textContent), null, WAIT);
    assert.equal((await call('GET', '/drafts/current', 'Moderator')).n, theirs.n, 'no draft was made');
    // Without the stale edit, the other applies on the new draft.
    await edits.nth(0).locator('button', { hasText: 'Remove' }).click();
    await page.locator('#panel-draft button', { hasText: 'Make the next draft with these edits' }).click();
    await page.waitForFunction((n) => document.getElementById('status').textContent.includes(`Draft ${n} made`), theirs.n + 1, WAIT);
    const made = await call('GET', '/drafts/current', 'Moderator');
    assert.ok(made.paragraphs.some((p) => p.markdown === 'Give local governments a standing seat where migration policy is made.'));
    assert.ok(made.paragraphs.some((p) => p.markdown === 'Intermediary cities are the first and last responders to mixed migration.'));
    assert.deepEqual(page.errors, []);
  });
});
