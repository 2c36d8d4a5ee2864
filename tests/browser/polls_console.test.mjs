// The president's console and the projector around polls, driven through
// the pages as the president would: the slot guard said in the person's
// language, cancelling a poll that never opened, ballots cast (never fake
// zeros) during a secret poll, the phase badge in French, a confirmation
// before moving to amending, a countdown per poll closed by the server at
// zero, results hidden until the close, and what the president types (show
// of hands counts, a decision's reason) kept when the lists are redrawn.
//
// Each case has its own session (same sample, another id), so a failure in
// one does not spill into the next.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test as nodeTest } from 'node:test';
import { launchBrowser, newPage, sampleSessionNow, SCREENSHOTS, seriousViolations, Server } from './harness.mjs';

const STEP_TIMEOUT = 120000;
const test = (name, fn) => nodeTest(name, { timeout: STEP_TIMEOUT }, fn);
const PRESIDENT = 'President of the session';
const NOTES = '## Conclusions\n\nCities act first.\n\n## Recommendations\n\n- Give cities a seat where migration policy is made.\n- Fund city-to-city learning.\n';

const srv = new Server();
let browser;
let nextId = 0;

// A session of the sample (adoption slot from 5 minutes ago unless `now` is
// moved), with a merged draft and, unless told otherwise, in amending.
async function prepare({ now = new Date(), amending = true, amendment = false } = {}) {
  const spec = sampleSessionNow(now);
  spec.id = `polls-console-${++nextId}`;
  const s = await srv.createSession(spec);
  const api = (method, rest, who, body) => srv.api(method, `/api/v1/sessions/${s.sid}${rest}`, { token: s.people[who].token, body });
  s.api = api;
  let r = await api('POST', '/breakouts/complementarity/fragments', 'Rapporteur, Breakout 1', { title: 'Notes', body: NOTES });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await api('POST', '/drafts', 'Moderator', { merge: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  s.draft = r.body;
  if (amending) assert.equal((await api('POST', '/phase', PRESIDENT, { phase: 'amending' })).status, 200);
  if (amendment) {
    const target = s.draft.paragraphs.find((p) => p.number === 'R1').pid;
    r = await api('POST', '/amendments', 'Participant 1', { draft: s.draft.n, target, kind: 'replace', text: '- Give cities a decisive seat.', rationale: 'clarity' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    s.amendment = r.body.id;
    assert.equal((await api('POST', `/amendments/${s.amendment}/decision`, PRESIDENT, { decision: 'admit', reason: 'in order' })).status, 200);
  }
  return s;
}

// The president's console (through their join link), on `tab`, in `lang`.
async function console_(s, { tab = 'overview', lang = 'en', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await newPage(context);
  await page.goto(s.people[PRESIDENT].join_url);
  await page.waitForSelector('#panel-overview .card');
  if (lang === 'fr') {
    await page.click('#lang-switch button[lang="fr"]');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
  }
  if (tab !== 'overview') {
    await page.click(`#tab-${tab}`);
    await page.waitForSelector(`#panel-${tab} .card`);
  }
  return page;
}

async function createPoll(page, { subject, secret = false, hide, duration, minutes } = {}) {
  await page.selectOption('#poll-subject', subject === undefined ? { index: 0 } : subject);
  if (secret) await page.check('#poll-secret');
  if (hide !== undefined) await page.setChecked('#poll-hide', hide);
  if (duration !== undefined) await page.selectOption('#poll-duration', duration);
  if (minutes !== undefined) await page.fill('#poll-minutes', String(minutes));
  await page.click('#panel-polls form button[type="submit"]');
}

async function polls(s) {
  const r = await s.api('GET', '/polls', 'Moderator');
  assert.equal(r.status, 200);
  return r.body;
}

// Waits until the list shows poll `id` in `state` (after the page reloads it).
async function pollState(page, id, state) {
  await page.waitForFunction(([i, st]) => {
    const li = document.getElementById(`poll-${i}`);
    return li && li.querySelector('.badge') && li.querySelector('.badge').textContent === st;
  }, [id, state], { timeout: 15000 });
}

async function vote(s, id, who, choice) {
  const r = await s.api('POST', `/polls/${id}/ballots`, who, { choice });
  assert.equal(r.status, 200, `${who}: ${JSON.stringify(r.body)}`);
}

async function noSeriousViolations(page, name) {
  assert.deepEqual(await seriousViolations(page), [], `${name}: axe found serious or critical violations`);
}

// Screenshots at the projector's and a phone's size; throws when the page
// is wider than the window.
async function shoot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const [width, height] of [[1920, 1080], [360, 740]]) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}x${height}.png`), fullPage: true });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `${name}: ${scroll} px wide in a ${width} px window`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('polls on the president\'s console', { concurrency: false }, () => {
  before(async () => {
    await srv.start();
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  test('after the adoption slot a poll is refused at creation, in French, without API words', async () => {
    // The agenda moved 30 minutes back: the adoption slot ended 15 minutes ago.
    const s = await prepare({ now: new Date(Date.now() - 30 * 60e3) });
    const page = await console_(s, { tab: 'polls', lang: 'fr' });
    await createPoll(page);
    await page.waitForFunction(() => document.getElementById('status').dataset.kind === 'error', null, { timeout: 15000 });
    const said = await page.textContent('#status');
    assert.match(said, /Le créneau d’adoption \(\d\d:\d\d–\d\d:\d\d\) est terminé/);
    assert.match(said, /Ouvrir en dehors du créneau d’adoption/);
    assert.doesNotMatch(said, /override_slot|reason|poll \d|Create the poll/);
    assert.deepEqual(await polls(s), [], 'a poll that could never open was stored');
    // With the override and a reason it is created (and may open).
    await page.check('#poll-override');
    await page.fill('#poll-reason', 'La séance a pris du retard');
    await page.click('#panel-polls form button[type="submit"]');
    await page.waitForSelector('#panel-polls li[id^="poll-"]');
    assert.equal((await polls(s)).length, 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a pending poll is cancelled after a confirmation; it never opens and leaves the annexes', async () => {
    const s = await prepare();
    const page = await console_(s, { tab: 'polls' });
    await createPoll(page);
    await page.waitForSelector('#panel-polls li[id^="poll-"]');
    const [poll] = await polls(s);
    await pollState(page, poll.id, 'not open yet');
    // Keeping it changes nothing.
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Cancel this poll' }).click();
    await page.waitForSelector('dialog[open]', { timeout: 5000 });
    assert.match(await page.textContent('dialog[open]'), new RegExp(`Cancel poll ${poll.id}\\?.*cannot be undone`, 's'));
    await noSeriousViolations(page, 'console-cancel-dialog');
    await page.click('dialog[open] button.confirm-cancel');
    await page.waitForSelector('dialog', { state: 'detached' });
    assert.equal((await polls(s))[0].state, 'pending');
    // Cancelling it for good.
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Cancel this poll' }).click();
    await page.click('dialog[open] button.confirm-ok');
    await pollState(page, poll.id, 'cancelled');
    assert.match(await page.textContent('#status'), /cancelled/);
    assert.equal((await polls(s))[0].state, 'cancelled');
    assert.equal(await page.locator(`#poll-${poll.id} button`, { hasText: 'Open the vote' }).count(), 0);
    const csv = await srv.api('GET', `/api/v1/sessions/${s.sid}/export?format=csv`, { token: s.people.Moderator.token });
    assert.equal(csv.status, 200);
    assert.doesNotMatch(csv.body, /pending/);
    const pdfAnnex = await srv.api('GET', `/api/v1/sessions/${s.sid}/export?format=md`, { token: s.people.Moderator.token });
    assert.doesNotMatch(pdfAnnex.body, /pending/i);
    const log = await s.api('GET', '/log', 'Moderator');
    assert.ok(log.body.some((e) => e.type === 'poll_cancelled' && e.data.poll === poll.id), 'the log keeps the cancellation');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('during a secret poll the console shows the ballots cast, never zeros', async () => {
    const s = await prepare();
    const page = await console_(s, { tab: 'polls' });
    await createPoll(page, { secret: true });
    await page.locator('#panel-polls button', { hasText: 'Open the vote' }).first().click();
    await page.waitForSelector('#panel-polls .badge.ok');
    const [poll] = await polls(s);
    for (const [i, choice] of ['yes', 'no', 'yes', 'abstain', 'yes', 'yes', 'no'].entries()) await vote(s, poll.id, `Participant ${i + 1}`, choice);
    await page.waitForFunction((id) => /7 of 42 cast/.test(document.getElementById(`poll-${id}`).textContent), poll.id, { timeout: 15000 });
    const item = await page.textContent(`#poll-${poll.id}`);
    assert.doesNotMatch(item, /Yes 0|No 0|Abstain 0/);
    await page.click('#tab-overview');
    await page.waitForFunction(() => /Poll \d+ is open · 7 of 42 cast/.test(document.getElementById('panel-overview').textContent));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the console speaks French throughout: phase badge, poll form and poll states', async () => {
    const s = await prepare({ amending: false });
    const page = await console_(s);
    assert.equal(await page.textContent('#phase'), 'Drafting');
    await page.click('#lang-switch button[lang="fr"]');
    await page.waitForFunction(() => document.getElementById('phase').textContent === 'Rédaction', null, { timeout: 5000 });
    assert.match(await page.textContent('#panel-overview'), /Passer à : Amendements/);
    await s.api('POST', '/phase', PRESIDENT, { phase: 'amending' });
    await page.waitForFunction(() => document.getElementById('phase').textContent === 'Amendements', null, { timeout: 15000 });
    await page.click('#tab-polls');
    await page.waitForSelector('#panel-polls form');
    const form = await page.textContent('#panel-polls form');
    assert.match(form, /Durée/);
    assert.match(form, /Masquer les résultats jusqu’à la clôture/);
    await createPoll(page, { duration: '120' });
    await page.waitForSelector('#panel-polls li[id^="poll-"] .badge');
    const li = await page.textContent('#panel-polls li[id^="poll-"]');
    assert.match(li, /pas encore ouvert/);
    assert.match(li, /dure 2:00 une fois ouvert/);
    assert.doesNotMatch(li, /not open|lasts|cancel/i);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('moving to amending asks first, in the person\'s language; cancel leaves the phase as it was', async () => {
    const s = await prepare({ amending: false });
    const page = await console_(s, { lang: 'fr' });
    const move = page.locator('#panel-overview button.primary', { hasText: 'Passer à' });
    await move.click();
    await page.waitForSelector('dialog[open]', { timeout: 5000 });
    const text = await page.textContent('dialog[open]');
    assert.match(text, /Passer à la phase des amendements \?/);
    assert.match(text, /irréversible/);
    await noSeriousViolations(page, 'console-phase-dialog');
    await page.click('dialog[open] button.confirm-cancel');
    await page.waitForSelector('dialog', { state: 'detached' });
    await page.waitForTimeout(500);
    const session = await s.api('GET', '', 'Moderator');
    assert.equal(session.body.phase, 'drafting', 'cancel moved the session on');
    assert.equal(await page.textContent('#phase'), 'Rédaction');
    await move.click();
    await page.waitForSelector('dialog[open]');
    await page.click('dialog[open] button.confirm-ok');
    await page.waitForFunction(() => document.getElementById('phase').textContent === 'Amendements', null, { timeout: 15000 });
    assert.equal((await s.api('GET', '', 'Moderator')).body.phase, 'amending');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a poll with a duration counts down on the console; the server closes it at zero', async () => {
    const s = await prepare({ amendment: true });
    const page = await console_(s, { tab: 'polls' });
    await createPoll(page, { subject: `amendment:${s.amendment}`, duration: '60' });
    await page.waitForSelector('#panel-polls li[id^="poll-"]');
    let [poll] = await polls(s);
    assert.equal(poll.duration_seconds, 60);
    assert.equal(poll.closes_at, null);
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Open the vote' }).click();
    await page.waitForFunction((id) => /Closes in 0:[0-5]\d/.test(document.getElementById(`poll-${id}`).textContent), poll.id, { timeout: 15000 });
    [poll] = await polls(s);
    assert.equal(Date.parse(poll.closes_at) - Date.parse(poll.opened_at), 60000);
    await vote(s, poll.id, 'Participant 1', 'yes');
    await page.waitForFunction((id) => /1 of 42 cast/.test(document.getElementById(`poll-${id}`).textContent), poll.id, { timeout: 15000 });
    await noSeriousViolations(page, 'console-poll-countdown');
    await shoot(page, 'console-poll-countdown');
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Close the vote' }).click();
    await pollState(page, poll.id, 'closed');

    // A short poll (the API takes seconds) closes itself at zero: no click,
    // and the projector hears it on its event stream.
    const target = s.draft.paragraphs.find((p) => p.number === 'R2').pid;
    const am = await s.api('POST', '/amendments', 'Participant 2', { draft: 2, target, kind: 'delete', rationale: 'covered' });
    assert.equal(am.status, 201, JSON.stringify(am.body));
    await s.api('POST', `/amendments/${am.body.id}/decision`, PRESIDENT, { decision: 'admit', reason: 'in order' });
    const short = await s.api('POST', '/polls', PRESIDENT, { subject: { amendment: am.body.id }, duration_seconds: 8 });
    assert.equal(short.status, 201, JSON.stringify(short.body));
    const projector = await newPage(await browser.newContext({ viewport: { width: 1920, height: 1080 } }));
    await projector.goto(s.people.Moderator.join_url);
    await projector.goto(`${srv.base}/app/projector.html?session=${s.sid}`);
    await projector.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
    await page.waitForSelector(`#poll-${short.body.id}`, { timeout: 15000 });
    await page.locator(`#poll-${short.body.id} button`, { hasText: 'Open the vote' }).click();
    await pollState(page, short.body.id, 'open');
    await vote(s, short.body.id, 'Participant 3', 'no');
    await pollState(page, short.body.id, 'closed');
    assert.match(await page.textContent(`#poll-${short.body.id}`), /Rejected/);
    await projector.waitForFunction(() => /Rejected/.test(document.getElementById('tally').textContent), null, { timeout: 15000 });
    const closed = (await polls(s)).find((p) => p.id === short.body.id);
    assert.equal(Date.parse(closed.closed_at) - Date.parse(closed.opened_at), 8000);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(projector.errors, []);
    await projector.context().close();
    await page.context().close();
  });

  test('results hidden until the close: projector and console show "results at close · N cast", then the result', async () => {
    const s = await prepare({ amendment: true });
    const page = await console_(s, { tab: 'polls' });
    // A secret poll always hides its results; a named one may.
    await page.check('#poll-secret');
    assert.equal(await page.isChecked('#poll-hide'), true);
    assert.equal(await page.isDisabled('#poll-hide'), true);
    await page.uncheck('#poll-secret');
    await createPoll(page, { hide: true });
    await page.waitForSelector('#panel-polls li[id^="poll-"]');
    const [poll] = await polls(s);
    assert.equal(poll.hide_results, true);
    assert.equal(poll.secret, false);
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Open the vote' }).click();
    await pollState(page, poll.id, 'open');
    const projector = await newPage(await browser.newContext({ viewport: { width: 1920, height: 1080 } }));
    await projector.goto(s.people.Moderator.join_url);
    await projector.goto(`${srv.base}/app/projector.html?session=${s.sid}`);
    await projector.waitForSelector('#poll:not([hidden])');
    await vote(s, poll.id, 'Participant 1', 'yes');
    await vote(s, poll.id, 'Participant 2', 'yes');
    await projector.waitForFunction(() => /Results at close · 2 cast/.test(document.getElementById('tally').textContent), null, { timeout: 15000 });
    assert.equal(await projector.locator('.tally-count').count(), 0, 'the projector shows a running tally');
    await page.waitForFunction((id) => /Results at close · 2 of 42 cast/.test(document.getElementById(`poll-${id}`).textContent), poll.id, { timeout: 15000 });
    assert.doesNotMatch(await page.textContent(`#poll-${poll.id}`), /Yes \d/);
    const live = await srv.api('GET', `/api/v1/sessions/${s.sid}/live`);
    assert.deepEqual(live.body.open_poll.counts, { cast: 2 });
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Close the vote' }).click();
    await pollState(page, poll.id, 'closed');
    assert.match(await page.textContent(`#poll-${poll.id}`), /Yes 2 · No 0 · Abstain 0/);
    await projector.waitForFunction(() => /Adopted/.test(document.getElementById('tally').textContent), null, { timeout: 15000 });
    assert.equal(await projector.textContent('[data-choice="yes"].tally-count'), '2');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(projector.errors, []);
    await projector.context().close();
    await page.context().close();
  });

  test('counts typed during a show of hands survive the console redrawing its list, focus included', async () => {
    const s = await prepare();
    const page = await console_(s, { tab: 'polls' });
    let r = await s.api('POST', '/polls', PRESIDENT, { subject: { adoption: s.draft.n }, method: 'show_of_hands', rule: 'simple' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.id;
    assert.equal((await s.api('POST', `/polls/${id}/open`, PRESIDENT, {})).status, 200);
    await page.waitForSelector(`#count-${id}-yes`, { timeout: 15000 });
    // The president is typing the abstentions when the secretariat adds a
    // late participant: any change in the session makes the console reload
    // and redraw its lists.
    await page.fill(`#count-${id}-yes`, '11');
    await page.fill(`#count-${id}-no`, '7');
    await page.click(`#count-${id}-abstain`);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.evaluate((i) => { document.getElementById(`poll-${i}`).dataset.before = 'yes'; }, id);
    r = await s.api('POST', '/people', 'Moderator', { name: 'Late participant', roles: ['participant'] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await page.waitForFunction((i) => !document.getElementById(`poll-${i}`).dataset.before, id, { timeout: 15000 });
    const shown = await page.evaluate((i) => ['yes', 'no', 'abstain'].map((k) => document.getElementById(`count-${i}-${k}`).value), id);
    assert.deepEqual(shown, ['11', '7', '2'], 'the typed counts after the redraw');
    assert.equal(await page.evaluate(() => document.activeElement.id), `count-${id}-abstain`, 'the focus after the redraw');
    // Typing goes on where it was, and the counts recorded are the ones typed.
    await page.keyboard.type('0');
    await page.evaluate(() => { const st = document.getElementById('status'); st.textContent = ''; delete st.dataset.kind; });
    await page.locator(`#poll-${id} button`, { hasText: 'Record the counts' }).click();
    await page.waitForFunction(() => document.getElementById('status').dataset.kind, null, { timeout: 15000 });
    assert.match(await page.textContent('#status'), /Counts recorded/);
    const stored = (await polls(s)).find((p) => p.id === id);
    assert.deepEqual(stored.counts, { yes: 11, no: 7, abstain: 20 });
    // Once recorded, a redraw shows the recorded counts.
    await page.waitForFunction((i) => document.getElementById(`count-${i}-abstain`).value === '20', id, { timeout: 15000 });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a reason being typed for an amendment decision survives a new amendment arriving, focus included', async () => {
    const s = await prepare();
    const target = s.draft.paragraphs.find((p) => p.number === 'R1').pid;
    const propose = async (who, text) => {
      const r = await s.api('POST', '/amendments', who, { draft: s.draft.n, target, kind: 'replace', text, rationale: 'clarity' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id;
    };
    const first = await propose('Participant 1', '- Give cities a decisive seat.');
    const page = await console_(s, { tab: 'amendments' });
    await page.waitForSelector(`#reason-${first}`, { timeout: 15000 });
    await page.click(`#reason-${first}`);
    await page.keyboard.type('Out of order: ');
    // While the president types, a participant proposes another amendment.
    const second = await propose('Participant 2', '- Give cities a permanent seat.');
    await page.waitForSelector(`#amendment-${second}`, { timeout: 15000 });
    assert.equal(await page.inputValue(`#reason-${first}`), 'Out of order: ', 'the reason after the redraw');
    assert.equal(await page.inputValue(`#reason-${second}`), '', 'the new amendment\'s reason');
    assert.equal(await page.evaluate(() => document.activeElement.id), `reason-${first}`, 'the focus after the redraw');
    await page.keyboard.type('it repeats R1.');
    await page.locator(`#amendment-${first} button`, { hasText: 'Rule out' }).click();
    await page.waitForFunction((id) => !document.getElementById(`reason-${id}`), first, { timeout: 15000 });
    const decided = (await s.api('GET', `/amendments/${first}`, PRESIDENT)).body;
    assert.equal(decided.reason, 'Out of order: it repeats R1.');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
  test('opening a vote on an amendment says it is open, not that its subject is gone', async () => {
    const s = await prepare({ amendment: true });
    const page = await console_(s, { tab: 'polls' });
    await createPoll(page, { subject: `amendment:${s.amendment}` });
    await page.waitForSelector('#panel-polls li[id^="poll-"]', { timeout: 15000 });
    const [poll] = await polls(s);
    await page.locator(`#poll-${poll.id} button`, { hasText: 'Open the vote' }).click();
    await pollState(page, poll.id, 'open');
    await page.waitForFunction(() => /is open/.test(document.getElementById('status').textContent), null, { timeout: 15000 });
    // Another change in the session redraws the form: still no false alarm.
    await page.evaluate((id) => { document.getElementById(`poll-${id}`).dataset.before = 'yes'; }, poll.id);
    assert.equal((await s.api('POST', '/people', 'Moderator', { name: 'Late participant', roles: ['participant'] })).status, 201);
    await page.waitForFunction((id) => !document.getElementById(`poll-${id}`).dataset.before, poll.id, { timeout: 15000 });
    assert.doesNotMatch(await page.textContent('#status'), /can no longer be put to the vote/);
    assert.notEqual(await page.inputValue('#poll-subject'), '');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an amendment chosen as the subject and then withdrawn is not replaced by the adoption of the draft', async () => {
    const s = await prepare({ amendment: true });
    const page = await console_(s, { tab: 'polls' });
    await page.selectOption('#poll-subject', `amendment:${s.amendment}`);
    const r = await s.api('POST', `/amendments/${s.amendment}/withdraw`, 'Participant 1', {});
    assert.equal(r.status, 200, JSON.stringify(r.body));
    await page.waitForFunction(() => document.getElementById('poll-subject').value === '', null, { timeout: 15000 });
    assert.match(await page.textContent('#status'), /can no longer be put to the vote/);
    // Another change in the session redraws the form: the question stays.
    assert.equal(await page.inputValue('#poll-subject'), '');
    await page.evaluate(() => { document.querySelector('#poll-subject option').dataset.before = 'yes'; });
    assert.equal((await s.api('POST', '/people', 'Moderator', { name: 'Late participant', roles: ['participant'] })).status, 201);
    await page.waitForFunction(() => !document.querySelector('#poll-subject option').dataset.before, null, { timeout: 15000 });
    assert.equal(await page.inputValue('#poll-subject'), '');
    // Create without choosing again: refused on the page, nothing stored.
    await page.click('#panel-polls form button[type="submit"]');
    await page.waitForFunction(() => /Choose what the vote is on/.test(document.getElementById('status').textContent));
    assert.deepEqual(await polls(s), []);
    // The adoption of the draft is still there to choose, deliberately.
    await page.selectOption('#poll-subject', `adoption:${s.draft.n}`);
    await page.click('#panel-polls form button[type="submit"]');
    await page.waitForSelector('#panel-polls li[id^="poll-"]', { timeout: 15000 });
    assert.deepEqual((await polls(s)).map((p) => p.subject), [{ adoption: s.draft.n }]);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
