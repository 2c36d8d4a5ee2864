// A rehearsal of the Kisumu session in a real browser: the real server,
// Debian's Chromium, one browser context (one device, one cookie) per person.
//
// Steps run in order and share the session; every step runs (none is
// skipped), so a page or route that stops working fails the rehearsal.
import assert from 'node:assert/strict';
import { after, before, describe, test as nodeTest } from 'node:test';
import jsQR from 'jsqr';
import {
  firstLoadBytes, launchBrowser, newPage, sampleSessionNow, screenshots, seriousViolations, Server, snapshot,
  validateSnapshots,
} from './harness.mjs';

const PAGE_BUDGET = 60 * 1024;  // bytes over the network (compressed), first visit
const STEP_TIMEOUT = 120000;
// Every step gets a timeout, so a page that never reaches a state fails the
// step instead of hanging the run.
// `features` name the backend parts a step relies on (documentation only).
function test(name, features, fn) {
  if (!fn) [features, fn] = [[], features];
  nodeTest(name, { timeout: STEP_TIMEOUT }, async (t) => fn(t));
}
const srv = new Server();
let browser;
let session;  // {sid, people}
const ctx = {};  // browser contexts by person
const pages = {};  // open pages by person
const weights = {};

const person = (name) => session.people[name];
const api = (rest) => `/api/v1/sessions/${session.sid}${rest}`;

// A browser context signed in as `name` through their join link; returns the
// page the join link redirected to.
async function join(name, options = {}) {
  ctx[name] = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await newPage(ctx[name]);
  await page.goto(person(name).join_url);
  pages[name] = page;
  return page;
}

async function checkPage(page, name, { exclude = [] } = {}) {
  const violations = await seriousViolations(page, exclude);
  assert.deepEqual(violations, [], `${name}: axe found serious or critical violations`);
  await screenshots(page, name);
  await snapshot(page, name);
  assert.deepEqual(page.errors, [], `${name}: script errors`);
}

// The element focused by Tab shows a visible focus ring.
async function assertFocusVisible(page, presses = 1) {
  for (let i = 0; i < presses; i++) await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { tag: el.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.notEqual(outline.style, 'none', `focused ${outline.tag} has no outline`);
  assert.ok(outline.width >= 2, `focused ${outline.tag} outline is ${outline.width}px`);
}

async function saveState(page, state) {
  await page.waitForFunction((s) => document.getElementById('save-state').dataset.state === s, state, { timeout: 15000 });
  return page.textContent('#save-state');
}

async function fragmentBody(token, fid) {
  const r = await srv.api('GET', api(`/fragments/${fid}`), { token });
  assert.equal(r.status, 200);
  return r.body;
}

// Decodes the QR code drawn as an SVG path (one "Mx yh1v1h-1z" per module).
function decodeQrPath(d, size) {
  const scale = 4;
  const n = size * scale;
  const px = new Uint8ClampedArray(n * n * 4).fill(255);
  for (const m of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    const c = Number(m[1]);
    const r = Number(m[2]);
    for (let y = 0; y < scale; y++) {
      for (let x = 0; x < scale; x++) {
        const i = ((r * scale + y) * n + c * scale + x) * 4;
        px[i] = px[i + 1] = px[i + 2] = 0;
      }
    }
  }
  const res = jsQR(px, n, n);
  return res ? res.data : null;
}

const FRAG1 = [
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

describe('rehearsal of the Kisumu session', { concurrency: false }, () => {
  before(async () => {
    await srv.start();
    session = await srv.createSession(sampleSessionNow());
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
    console.log(`# first-load weights (bytes): ${JSON.stringify(weights)}`);
  });

  test('home page lists the session; language switch', async () => {
    const c = await browser.newContext();
    const page = await newPage(c);
    await page.goto(`${srv.base}/`);
    await page.waitForSelector('#sessions li h2 a');
    assert.match(await page.textContent('#sessions'), /Multi-stakeholder Partnerships/);
    await checkPage(page, 'index');
    await assertFocusVisible(page);
    await page.click('#lang-switch button[lang="fr"]');
    await page.waitForFunction(() => document.querySelector('h1').textContent === 'Séances sur ce serveur');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await screenshots(page, 'index-fr');
    await c.close();
  });

  test('public reading view is rendered on the server and readable without JavaScript', async () => {
    const c = await browser.newContext({ javaScriptEnabled: false });
    const page = await newPage(c);
    const res = await page.goto(`${srv.base}/s/${session.sid}`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
    assert.match(await page.textContent('h1'), /Multi-stakeholder Partnerships/);
    assert.match(await page.textContent('main'), /No draft yet|Draft \d/);
    await page.click('nav.lang a[lang="fr"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.match(await page.textContent('main'), /Programme|Projet/);
    const missing = await page.goto(`${srv.base}/s/no-such-session`);
    assert.equal(missing.status(), 404);
    await c.close();
    // axe runs as a script: check the same page in a context with JavaScript.
    const js = await browser.newContext();
    const checked = await newPage(js);
    await checked.goto(`${srv.base}/s/${session.sid}`);
    await checkPage(checked, 'public');
    await checked.goto(`${srv.base}/s/${session.sid}?lang=fr`);
    await screenshots(checked, 'public-fr');
    await js.close();
  });

  test('a rapporteur writes a fragment with a preview and saves versions with a note', ['fragments'], async () => {
    const page = await join('Rapporteur, Breakout 1');
    assert.match(page.url(), /\/app\/rapporteur\.html\?session=/);
    await page.waitForSelector('#fragments li');
    await page.fill('#new-title', 'Complementarity');
    await page.click('#new-fragment button[type="submit"]');
    await page.waitForSelector('#editor-card:not([hidden])');
    assert.match(await saveState(page, 'saved'), /version 1/);
    await page.fill('#body', FRAG1);
    assert.match(await saveState(page, 'unsaved'), /Not yet saved/);
    await page.waitForFunction(() => document.querySelector('#preview h2') && /Conclusions/.test(document.querySelector('#preview').textContent));
    await page.fill('#note', 'first full text');
    await page.click('#save');
    assert.match(await saveState(page, 'saved'), /version 2/);
    await page.waitForSelector('#versions tr:nth-child(2)');
    assert.match(await page.textContent('#versions'), /first full text/);
    // Diff between any two versions.
    await page.selectOption('#diff-from', '1');
    await page.selectOption('#diff-to', '2');
    await page.click('#compare button');
    await page.waitForSelector('#version-view .diff ins');
    assert.match(await page.textContent('#version-view .diff ins'), /Intermediary cities/);
    await checkPage(page, 'rapporteur');
    await assertFocusVisible(page);
  });

  test('a second rapporteur writes their own breakout; a lost answer is retried once, offline text survives', ['fragments'], async () => {
    const page = await join('Rapporteur, Breakout 2');
    const token = person('Rapporteur, Breakout 2').token;
    await page.waitForSelector('#fragments li');
    await page.fill('#new-title', 'Sustainability');
    await page.click('#new-fragment button[type="submit"]');
    await saveState(page, 'saved');
    const fid = Number(new URL(page.url()).searchParams.get('fragment'));

    // The server stores the save but the answer is lost on the way back:
    // the page retries with the same Idempotency-Key and the server keeps ONE version.
    let dropped = 0;
    await page.route('**/fragments/*', async (route) => {
      if (route.request().method() === 'PUT' && dropped === 0) {
        dropped++;
        await route.fetch();  // reaches the server
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    await page.fill('#body', '## Recommendations\n\n1. Budget for migrants in city plans.\n');
    await page.click('#save');
    await saveState(page, 'retrying');
    assert.match(await saveState(page, 'saved'), /version 2/);
    await page.unroute('**/fragments/*');
    const versions = await srv.api('GET', api(`/fragments/${fid}/versions`), { token });
    assert.equal(versions.body.length, 2, 'a retried save made exactly one version');

    // Offline: the text stays on the device, the state says so, and it is
    // sent when the connection comes back.
    await ctx['Rapporteur, Breakout 2'].setOffline(true);
    await page.fill('#body', '## Recommendations\n\n1. Budget for migrants in city plans.\n2. Count every resident.\n');
    await page.click('#save');
    assert.match(await saveState(page, 'retrying'), /Not yet saved/);
    await ctx['Rapporteur, Breakout 2'].setOffline(false);
    assert.match(await saveState(page, 'saved'), /version 3/);

    // Unsent text survives a reload.
    await page.fill('#body', '## Recommendations\n\n1. Budget for migrants in city plans.\n2. Count every resident.\n3. Open data.\n');
    await page.reload();
    await page.waitForSelector('#editor-card:not([hidden])');
    assert.match(await saveState(page, 'unsaved'), /Not yet saved/);
    assert.match(await page.inputValue('#body'), /Open data/);
    await page.click('#save');
    await saveState(page, 'saved');
    assert.match((await fragmentBody(token, fid)).body, /Open data/);
  });

  test('the console adds a co-rapporteur; the join link and its QR code are shown; names stay text', ['fragments'], async () => {
    const page = await join('Moderator');
    assert.match(page.url(), /\/app\/console\.html\?session=/);
    await page.waitForSelector('#panel-overview .card');
    await checkPage(page, 'console-overview');
    await page.click('#tab-breakouts');
    await page.waitForSelector('#panel-breakouts table');
    assert.match(await page.textContent('#panel-breakouts'), /Complementarity/);
    await checkPage(page, 'console-breakouts');
    await page.click('#tab-people');
    await page.fill('#person-name', 'Co-rapporteur <b>B1</b>');
    await page.check('#panel-people input[value="rapporteur"]');
    await page.selectOption('#person-breakout', 'complementarity');
    await page.click('#panel-people form button[type="submit"]');
    await page.waitForSelector('#panel-people svg.qr');
    assert.equal(await page.locator('#panel-people b').count(), 0, 'a typed name is never HTML');
    assert.match(await page.textContent('#panel-people h3'), /Co-rapporteur <b>B1<\/b>/);
    const url = await page.getAttribute('#panel-people a.join-link', 'href');
    assert.match(url, /\/join\//);
    const qr = await page.evaluate(() => {
      const svg = document.querySelector('#panel-people svg.qr');
      return { d: svg.querySelector('path').getAttribute('d'), size: Number(svg.getAttribute('viewBox').split(' ')[2]) };
    });
    assert.equal(decodeQrPath(qr.d, qr.size), url, 'the QR code reads back as the join link');
    await checkPage(page, 'console-people');
    session.people['Co-rapporteur <b>B1</b>'] = { join_url: url, token: url.split('/join/')[1] };
  });

  test('two rapporteurs of one breakout race; the later one resolves the conflict with the merge', ['fragments'], async () => {
    const first = pages['Rapporteur, Breakout 1'];
    const second = await join('Co-rapporteur <b>B1</b>');
    await second.waitForSelector('#editor-card:not([hidden])');
    await first.reload();
    await first.waitForSelector('#editor-card:not([hidden])');
    const fid = Number(new URL(first.url()).searchParams.get('fragment'));
    // Both start from version 2. The first changes the conclusion, the second a recommendation.
    await first.fill('#body', FRAG1.replace('first responders', 'first and last responders'));
    await second.fill('#body', FRAG1.replace('learning on inclusive services', 'learning on inclusive health and schooling'));
    await first.click('#save');
    assert.match(await saveState(first, 'saved'), /version 3/);
    await second.click('#save');
    await second.waitForSelector('#conflict:not([hidden])');
    assert.match(await saveState(second, 'conflict'), /conflict/);
    assert.match(await second.textContent('#conflict-diff'), /first and last responders/);
    assert.match(await second.textContent('#merge-note'), /fit together/);
    await checkPage(second, 'rapporteur-conflict');
    await second.click('#take-merge');
    assert.match(await saveState(second, 'saved'), /version 4/);
    const body = (await fragmentBody(person('Rapporteur, Breakout 1').token, fid)).body;
    assert.match(body, /first and last responders/);
    assert.match(body, /inclusive health and schooling/);
  });

  test('the second rapporteur may also keep their own text or discard it', ['fragments'], async () => {
    const first = pages['Rapporteur, Breakout 1'];
    const second = pages['Co-rapporteur <b>B1</b>'];
    await first.reload();
    await first.waitForSelector('#editor-card:not([hidden])');
    const base = await first.inputValue('#body');
    await first.fill('#body', base.replace('seat where', 'permanent seat where'));
    await second.fill('#body', base.replace('seat where', 'real seat where'));
    await first.click('#save');
    await saveState(first, 'saved');
    await second.click('#save');
    await second.waitForSelector('#conflict:not([hidden])');
    assert.match(await second.textContent('#merge-note'), /same lines/);
    await second.click('#discard-mine');
    assert.match(await saveState(second, 'saved'), /version 5/);
    assert.match(await second.inputValue('#body'), /permanent seat/);
    await second.fill('#body', base.replace('seat where', 'decisive seat where'));
    await first.fill('#body', base.replace('seat where', 'lasting seat where'));
    await first.click('#save');
    await saveState(first, 'saved');
    await second.click('#save');
    await second.waitForSelector('#conflict:not([hidden])');
    await second.click('#keep-mine');
    assert.match(await saveState(second, 'saved'), /version 7/);
    assert.match(await second.inputValue('#body'), /decisive seat/);
  });

  test('the secretariat merges the fragments into Draft 1', ['fragments', 'drafts'], async () => {
    const page = pages.Moderator;
    await page.click('#tab-breakouts');
    await page.click('#panel-breakouts button.primary');
    await page.waitForFunction(() => /Draft 1/.test(document.getElementById('status').textContent));
    await page.click('#tab-draft');
    await page.waitForSelector('#panel-draft .para');
    assert.match(await page.textContent('#panel-draft .doc'), /R1/);
    await checkPage(page, 'console-draft');
    const pub = await newPage(await browser.newContext());
    await pub.goto(`${srv.base}/s/${session.sid}`);
    assert.match(await pub.textContent('main'), /decisive seat/);
    await checkPage(pub, 'public-draft');
  });

  test('the secretariat makes an editorial edit: Draft 2', ['drafts'], async () => {
    const page = pages.Moderator;
    await page.locator('#panel-draft .para', { hasText: 'Open data.' }).locator('button').click();
    await page.fill('#edit-text', 'Publish open data on migration in every city.');
    await page.waitForSelector('#panel-draft .diff ins');
    await page.locator('#panel-draft button', { hasText: 'Add to the edits' }).click();
    await page.locator('#panel-draft button', { hasText: 'Make the next draft with these edits' }).click();
    await page.waitForFunction(() => /Draft 2 made/.test(document.getElementById('status').textContent));
    await page.waitForFunction(() => /Publish open data/.test(document.querySelector('#panel-draft .doc').textContent));
  });

  test('the president opens amending; a participant proposes an amendment seen as a diff first', ['drafts', 'phase', 'amendments'], async () => {
    const president = await join('President of the session');
    await president.waitForSelector('#panel-overview button.primary');
    await president.click('#panel-overview button.primary');
    // A phase change cannot be undone: the console asks first.
    await president.click('dialog[open] button.confirm-ok');
    await president.waitForFunction(() => /Amending/.test(document.getElementById('phase').textContent));
    const page = await join('Participant 1', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    assert.match(page.url(), /\/app\/participant\.html\?session=/);
    await page.waitForSelector('#draft .para .actions button');
    await page.locator('#draft .para', { hasText: 'decisive seat' }).locator('button').click();
    assert.match(await page.textContent('#amend-target'), /R1/);
    await page.fill('#amend-text', 'Give local governments a decisive seat, and the means to match, where migration policy is made.');
    await page.waitForSelector('#amend-diff ins');
    await checkPage(page, 'participant-amend');
    await page.click('#amend-form button[type="submit"]');
    await page.waitForFunction(() => /sent/.test(document.getElementById('status').textContent));
  });

  test('the president admits the amendment and puts it to a vote; five participants vote from their phones', ['amendments', 'polls'], async () => {
    const president = pages['President of the session'];
    await president.click('#tab-amendments');
    await president.waitForSelector('#panel-amendments li');
    await checkPage(president, 'console-amendments');
    await president.locator('#panel-amendments button', { hasText: 'Admit' }).first().click();
    await president.locator('#panel-amendments button', { hasText: 'Put to the vote' }).first().click();
    // Five minutes to vote: phones, projector and console count down.
    await president.selectOption('#poll-duration', '300');
    await president.click('#panel-polls form button[type="submit"]');
    await president.locator('#panel-polls button', { hasText: 'Open the vote' }).first().click();
    await president.waitForSelector('#panel-polls .badge.ok');
    await president.waitForFunction(() => /Closes in [45]:\d\d/.test(document.getElementById('panel-polls').textContent));
    await checkPage(president, 'console-polls');

    // The projector in the room runs on the secretariat's laptop (it shows the
    // amendment's diff); a public one, without a join link, shows the tally.
    const projector = await newPage(ctx.Moderator);
    await projector.goto(`${srv.base}/app/projector.html?session=${session.sid}`);
    await projector.waitForSelector('#poll:not([hidden]) #poll-subject .diff ins');
    await projector.waitForSelector('#poll-timer:not([hidden])');
    assert.match(await projector.textContent('#poll-timer'), /[45]:\d\d/);
    const publicProjector = await newPage(await browser.newContext());
    await publicProjector.goto(`${srv.base}/app/projector.html?session=${session.sid}`);
    await publicProjector.waitForSelector('#poll:not([hidden])');

    const choices = ['yes', 'yes', 'no', 'abstain', 'yes'];
    for (let i = 0; i < 5; i++) {
      const name = `Participant ${i + 1}`;
      const page = pages[name] || await join(name, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      await page.waitForSelector('#vote:not([hidden]) #vote-buttons:not([hidden])');
      await page.waitForSelector('#poll-countdown:not([hidden])');
      assert.match(await page.textContent('#poll-countdown'), /[45]:\d\d/);
      await page.click(`#vote-buttons button[data-choice="${choices[i]}"]`);
      await page.waitForSelector('#ballot-state .receipt');
      if (i === 0) await checkPage(page, 'participant-vote');
    }
    // Participant 3 changes their mind before the close.
    await pages['Participant 3'].click('#vote-buttons button[data-choice="yes"]');
    await pages['Participant 3'].waitForFunction(() => /Your vote “Yes” has been counted/.test(document.getElementById('ballot-state').textContent)
      && !document.querySelector('#ballot-state .pending-line'));
    for (const screen of [projector, publicProjector]) {
      await screen.waitForFunction(() => document.querySelector('[data-choice="yes"].tally-count')?.textContent === '4');
    }
    await checkPage(projector, 'projector-vote');
    await screenshots(publicProjector, 'projector-public-vote');
    await president.locator('#panel-polls button', { hasText: 'Close the vote' }).first().click();
    await projector.waitForFunction(() => /Adopted/.test(document.getElementById('tally').textContent));
    await publicProjector.waitForFunction(() => document.getElementById('poll-h').textContent === 'Result');
    // The adopted amendment made the next draft, shown everywhere.
    await pages['Participant 1'].waitForFunction(() => /Draft 3/.test(document.getElementById('draft-meta').textContent));
    assert.match(await pages['Participant 1'].textContent('#draft'), /the means to match/);
    await publicProjector.context().close();
  });

  test('a show-of-hands vote on the draft, counted by the president, is rejected', ['polls'], async () => {
    const president = pages['President of the session'];
    await president.click('#tab-polls');
    await president.selectOption('#poll-subject', { index: 0 });
    await president.selectOption('#poll-method', 'show_of_hands');
    await president.click('#panel-polls form button[type="submit"]');
    await president.locator('#panel-polls button', { hasText: 'Open the vote' }).first().click();
    await pages['Participant 1'].waitForFunction(() => /show of hands/.test(document.getElementById('ballot-state').textContent));
    assert.ok(await pages['Participant 1'].isHidden('#vote-buttons'));
    await president.fill('#panel-polls input[id$="-yes"]', '3');
    await president.fill('#panel-polls input[id$="-no"]', '20');
    await president.fill('#panel-polls input[id$="-abstain"]', '1');
    await president.evaluate(() => { document.getElementById('status').textContent = ''; });
    await president.locator('#panel-polls button', { hasText: 'Record the counts' }).click();
    await president.waitForFunction(() => document.getElementById('status').textContent.trim() !== '');
    assert.match(await president.textContent('#status'), /Counts recorded/);
    // What was recorded is what the president typed, though the console
    // redraws its list whenever the session changes.
    const token = person('President of the session').token;
    const shown = (await srv.api('GET', api('/polls'), { token })).body.find((p) => p.method === 'show_of_hands' && p.state === 'open');
    assert.deepEqual(shown && shown.counts, { yes: 3, no: 20, abstain: 1 });
    await president.locator('#panel-polls button', { hasText: 'Close the vote' }).first().click();
    await president.waitForFunction(() => /Rejected/.test(document.querySelector('#panel-polls li').textContent));
  });

  test('a secret vote adopts the whole draft; it freezes; the projector and the public page show its SHA-256', ['polls'], async () => {
    const president = pages['President of the session'];
    await president.click('#tab-polls');
    await president.selectOption('#poll-subject', { index: 0 });
    await president.selectOption('#poll-method', 'electronic');
    await president.check('#poll-secret');
    await president.click('#panel-polls form button[type="submit"]');
    await president.locator('#panel-polls button', { hasText: 'Open the vote' }).first().click();
    const publicProjector = await newPage(await browser.newContext());
    await publicProjector.goto(`${srv.base}/app/projector.html?session=${session.sid}`);
    for (let i = 1; i <= 5; i++) {
      const page = pages[`Participant ${i}`];
      await page.waitForSelector('#vote-buttons:not([hidden])');
      await page.click(`#vote-buttons button[data-choice="${i === 2 ? 'no' : 'yes'}"]`);
      await page.waitForSelector('#ballot-state .receipt');
    }
    // A secret ballot is replaced with its receipt.
    await pages['Participant 2'].click('#vote-buttons button[data-choice="yes"]');
    // Counted, not merely sent: the receipt shown is then the new ballot's.
    await pages['Participant 2'].waitForFunction(() => /Your vote “Yes” has been counted/.test(document.getElementById('ballot-state').textContent)
      && !document.querySelector('#ballot-state .pending-line'));
    const receipt = (await pages['Participant 2'].textContent('#ballot-state .receipt')).trim();

    // The president holds the participant role too: the console leads to the
    // voting page, where they vote like anyone else, in French.
    await president.waitForSelector('.vote-notice:not([hidden]) a');
    const staff = await newPage(ctx['President of the session']);
    await staff.setViewportSize({ width: 360, height: 740 });
    await staff.goto(await president.evaluate(() => document.querySelector('.topbar .vote-link').href));
    await staff.click('#lang-switch button[lang="fr"]');
    await staff.waitForFunction(() => document.documentElement.lang === 'fr');
    await staff.waitForSelector('#vote-buttons:not([hidden])');
    await staff.click('#vote-buttons button[data-choice="yes"]');
    await staff.waitForSelector('#ballot-state .receipt');
    assert.match(await staff.textContent('#ballot-state'), /Votre vote « Pour » a été compté/);
    await screenshots(staff, 'participant-staff-vote-fr');
    await staff.click('#lang-switch button[lang="en"]');
    await staff.close();

    // Results stay hidden until the close: the room sees how many voted, never a running tally.
    await publicProjector.waitForFunction(() => /Voting in progress/.test(document.getElementById('tally').textContent));
    await publicProjector.waitForFunction(() => /Results at close · 6 cast/.test(document.getElementById('tally').textContent));
    assert.equal(await publicProjector.locator('#tally .tally-count').count(), 0, 'no tally while a secret vote runs');
    await president.click('#tab-polls');
    await president.waitForFunction(() => /Results at close · 6 of \d+ cast/.test(document.getElementById('panel-polls').textContent));
    await screenshots(publicProjector, 'projector-secret-vote');
    await publicProjector.context().close();
    await president.locator('#panel-polls button', { hasText: 'Close the vote' }).first().click();
    const projector = await newPage(await browser.newContext());
    await projector.goto(`${srv.base}/app/projector.html?session=${session.sid}`);
    await projector.waitForSelector('#adopted:not([hidden])');
    const final = await srv.api('GET', api('/drafts/final'));
    assert.equal((await projector.textContent('#sha')).slice(0, 12), final.body.sha256.slice(0, 12));
    await checkPage(projector, 'projector-adopted');
    const pub = await newPage(projector.context());
    await pub.goto(`${srv.base}/s/${session.sid}`);
    assert.match(await pub.textContent('main'), new RegExp(final.body.sha256));
    await checkPage(pub, 'public-adopted');

    // Anyone holding a receipt checks that it was counted; the secret choice is never shown.
    const check = await newPage(ctx['Participant 2']);
    await check.goto(`${srv.base}/app/receipt.html?session=${session.sid}`);
    // The page is ready once it names the session (its form is then handled by the script).
    await check.waitForFunction(() => document.getElementById('session-title').textContent.trim() !== '');
    await check.fill('#receipt-input', receipt);
    await check.click('#receipt-form button[type="submit"]');
    await check.waitForSelector('#receipt-answer .receipt-ok');
    const answer = await check.innerText('#receipt-answer');
    assert.match(answer, /secret ballot/);
    assert.doesNotMatch(answer, /counted as/);
    await checkPage(check, 'receipt-counted');
    await check.close();
  });

  test('the console downloads the exports', ['export'], async () => {
    const president = pages['President of the session'];
    await president.click('#tab-overview');
    const [download] = await Promise.all([
      president.waitForEvent('download'),
      president.click('#panel-overview a[href$="format=md"]'),
    ]);
    assert.ok((await download.path()) !== null);
  });

  test('participant and projector pages pass axe before any vote', async () => {
    const page = pages['Participant 2'] || await join('Participant 2', { viewport: { width: 360, height: 740 } });
    await page.waitForSelector('#draft-meta:not(:empty)');
    await checkPage(page, 'participant');
    await assertFocusVisible(page);
    await page.click('#lang-switch button[lang="fr"]');
    await page.waitForFunction(() => document.getElementById('draft-h').textContent === 'Projet');
    await screenshots(page, 'participant-fr');
    const c = await browser.newContext();
    const projector = await newPage(c);
    await projector.goto(`${srv.base}/app/projector.html?session=${session.sid}`);
    await projector.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
    await projector.waitForFunction(() => document.getElementById('clock').textContent.length > 0);
    assert.match(await projector.textContent('#clock'), /^\d+:\d\d$/);
    await checkPage(projector, 'projector');
    await c.close();
  });

  test('first load of every page stays under 60 KB over the network', async () => {
    const anon = await browser.newContext();
    const sid = session.sid;
    const list = [
      ['index', anon, '/'],
      ['public', anon, `/s/${sid}`],
      ['projector', anon, `/app/projector.html?session=${sid}`, 'load'],
      ['rapporteur', ctx['Rapporteur, Breakout 1'] || anon, `/app/rapporteur.html?session=${sid}`],
      ['console', ctx.Moderator || anon, `/app/console.html?session=${sid}`],
      ['participant', ctx['Participant 2'] || anon, `/app/participant.html?session=${sid}`],
    ];
    for (const [name, c, path, settle] of list) {
      const { bytes, files } = await firstLoadBytes(c, `${srv.base}${path}`, settle);
      const data = files.filter(([u]) => u.includes('/api/')).reduce((n, [, len]) => n + len, 0);
      weights[name] = { total: bytes, api_data: data };
      assert.ok(bytes < PAGE_BUDGET, `${name}: first load is ${bytes} bytes`);
    }
    await anon.close();
  });

  test('every page checked above is valid HTML (Nu HTML checker)', async () => {
    assert.deepEqual(validateSnapshots(), []);
  });
});
