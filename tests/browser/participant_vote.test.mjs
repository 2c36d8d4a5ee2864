// The participant's phone and the vote, in a real browser: a ballot pressed
// without a connection, a secret ballot refused because the person voted from
// another device, staff who also vote, the "vote now" prompt, the countdown,
// and the draft's numbering and sources.
//
// Every case starts its own session (the Kisumu sample under another id) on
// one server, with both breakouts' notes merged and amending open, and its
// people on their own devices (one browser context each; phones are 360x740).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage, sampleSessionNow, screenshots, seriousViolations, Server } from './harness.mjs';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const CASE_TIMEOUT = 150000;
const PRESIDENT = 'President of the session';

const FRAG1 = [
  '## Conclusions', '',
  'Cities act first when people arrive.', '',
  'Intermediary cities are the first responders to mixed migration.', '',
  '## Recommendations', '',
  '- Create a standing dialogue between intermediary cities and national ministries.',
  '- Fund migrant-led organisations directly through city budgets.',
  '- Share data on mixed migration between city networks.', '',
].join('\n');
const FRAG2 = [
  '## Conclusions', '',
  'Partnerships last when they are funded beyond project cycles.', '',
  '## Recommendations', '',
  '- Secure multi-year funding for local migration partnerships.',
  '- Include refugee-led organisations in the governance of partnerships.', '',
].join('\n');

const srv = new Server();
let browser;
let sessions = 0;

function must(res, status, what) {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  return res.body;
}

// A fresh session with draft 1 merged from both breakouts and amending open.
async function amendingSession() {
  const spec = sampleSessionNow();
  spec.id = `participant-vote-${++sessions}`;
  const s = await srv.createSession(spec);
  s.api = (method, rest, who, body) => srv.api(method, `/api/v1/sessions/${s.sid}${rest}`, { token: who ? s.people[who].token : undefined, body });
  must(await s.api('POST', '/breakouts/complementarity/fragments', 'Rapporteur, Breakout 1', { title: 'Complementarity', body: FRAG1 }), 201, 'fragment 1');
  must(await s.api('POST', '/breakouts/sustainability/fragments', 'Rapporteur, Breakout 2', { title: 'Sustainability', body: FRAG2 }), 201, 'fragment 2');
  s.draft = must(await s.api('POST', '/drafts', 'Moderator', { merge: true }), 201, 'merge');
  must(await s.api('POST', '/phase', PRESIDENT, { phase: 'amending' }), 200, 'amending');
  return s;
}

// An admitted amendment to R1 put to an electronic vote; `open` opens it.
async function createPoll(s, { secret = false, closesAt = null, open = true } = {}) {
  const r1 = s.draft.paragraphs.find((p) => p.number === 'R1');
  const a = must(await s.api('POST', '/amendments', 'Participant 30', {
    draft: s.draft.n, target: r1.pid, kind: 'replace', text: '- Create a standing dialogue with every city.', rationale: 'wider',
  }), 201, 'amendment');
  must(await s.api('POST', `/amendments/${a.id}/decision`, PRESIDENT, { decision: 'admit', reason: 'in order' }), 200, 'admit');
  const poll = must(await s.api('POST', '/polls', PRESIDENT, {
    subject: { amendment: a.id }, method: 'electronic', rule: 'simple', secret, closes_at: closesAt,
  }), 201, 'poll');
  if (open) must(await s.api('POST', `/polls/${poll.id}/open`, PRESIDENT, {}), 200, 'open');
  return poll.id;
}

// Three participants vote yes on poll `id` and it is closed: adopted.
async function adopt(s, id) {
  for (const who of ['Participant 1', 'Participant 2', 'Participant 3']) {
    must(await s.api('POST', `/polls/${id}/ballots`, who, { choice: 'yes' }), 200, 'ballot');
  }
  const closed = await closePoll(s, id);
  assert.equal(closed.result.outcome, 'adopted');
  return closed;
}

async function closePoll(s, id) {
  return must(await s.api('POST', `/polls/${id}/close`, PRESIDENT, {}), 200, 'close');
}

// A person's own device, signed in through their join link.
async function device(s, name, options = PHONE) {
  const context = await browser.newContext(options);
  const page = await newPage(context);
  await page.goto(s.people[name].join_url);
  return page;
}

const pressed = (page, choice) => page.getAttribute(`#vote-buttons button[data-choice="${choice}"]`, 'aria-pressed');
const ballotText = (page) => page.textContent('#ballot-state');

async function noSeriousViolations(page, name) {
  assert.deepEqual(await seriousViolations(page), [], `${name}: axe found serious or critical violations`);
}

describe('the participant votes from a phone', { concurrency: false }, () => {
  before(async () => {
    await srv.start();
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  test('a ballot pressed offline is pending, not pressed, and is sent when the connection returns', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const page = await device(s, 'Participant 1');
    const poll = await createPoll(s);
    await page.waitForSelector('#vote:not([hidden]) #vote-buttons:not([hidden])');
    await screenshots(page, 'participant-ballot-open');
    await page.context().setOffline(true);
    await page.click('#vote-buttons button[data-choice="yes"]');
    // Past the time after which the page used to give up (about 10 s).
    await page.waitForTimeout(12500);
    assert.notEqual(await pressed(page, 'yes'), 'true', 'a choice without a receipt is not shown as pressed');
    assert.match(await ballotText(page), /“Yes”: not counted yet/);
    assert.equal(await page.locator('#ballot-state .receipt').count(), 0);
    await noSeriousViolations(page, 'participant-vote-pending');

    await page.context().setOffline(false);
    await page.waitForSelector('#ballot-state .receipt', { timeout: 20000 });
    assert.equal(await pressed(page, 'yes'), 'true');
    assert.match(await ballotText(page), /Your vote “Yes” has been counted/);
    const receipt = (await page.textContent('#ballot-state .receipt')).trim();
    await screenshots(page, 'participant-voted-receipt');

    const closed = await closePoll(s, poll);
    assert.equal(closed.result.cast, 1, 'the server holds exactly one ballot');
    assert.equal(closed.ballots.length, 1);
    assert.equal(closed.ballots[0].name, 'Participant 1');
    assert.equal(closed.ballots[0].choice, 'yes');
    assert.equal(closed.ballots[0].receipt, receipt, 'the page shows the receipt the server holds');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a ballot left unanswered survives a reload and is sent again with the same key', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const page = await device(s, 'Participant 2');
    const poll = await createPoll(s);
    await page.waitForSelector('#vote-buttons:not([hidden])');
    await page.context().setOffline(true);
    await page.click('#vote-buttons button[data-choice="no"]');
    await page.waitForTimeout(12500);

    // Back online, but the ballots do not get through yet (a fault on the
    // way); then one reaches the server and its answer is lost; then all pass.
    let phase = 'down';
    const keys = [];
    await page.route('**/ballots', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (phase === 'down') return route.abort('internetdisconnected');
      if (phase === 'lose') {
        phase = 'up';
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.context().setOffline(false);
    await page.reload();
    await page.waitForSelector('#vote-buttons:not([hidden])');
    await page.waitForFunction(() => document.getElementById('ballot-state').textContent.trim().length > 0);
    assert.notEqual(await pressed(page, 'no'), 'true', 'after a reload, an unanswered choice is not shown as pressed');
    assert.match(await ballotText(page), /“No”: not counted yet/);

    phase = 'lose';
    await page.waitForSelector('#ballot-state .receipt', { timeout: 30000 });
    assert.equal(await pressed(page, 'no'), 'true');
    assert.equal(phase, 'up');
    const receipt = (await page.textContent('#ballot-state .receipt')).trim();
    assert.ok(keys.length >= 3, `retried: ${keys.length} attempts seen`);
    assert.equal(new Set(keys).size, 1, 'every attempt, before and after the reload, carries the same Idempotency-Key');

    const closed = await closePoll(s, poll);
    assert.equal(closed.result.cast, 1);
    assert.equal(closed.ballots.length, 1);
    assert.equal(closed.ballots[0].choice, 'no');
    assert.equal(closed.ballots[0].receipt, receipt);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a choice pressed while the page is still working out why the last one was refused is sent, not dropped', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const phoneA = await device(s, 'Participant 4');
    const phoneB = await device(s, 'Participant 4');
    const poll = await createPoll(s, { secret: true });
    await phoneA.waitForSelector('#vote-buttons:not([hidden])');
    await phoneA.click('#vote-buttons button[data-choice="yes"]');
    await phoneA.waitForSelector('#ballot-state .receipt');

    await phoneB.waitForSelector('#vote-buttons:not([hidden])');
    // Once the first ballot is refused, the page asks for the poll to name
    // the refusal; that answer is held while the person presses again.
    let held = 0;
    let asked;
    const askedOnce = new Promise((resolve) => { asked = resolve; });
    await phoneB.route(new RegExp(`/polls/${poll}$`), async (route) => {
      if (held++ === 0) {
        asked();
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
      await route.continue();
    });
    const posted = [];
    phoneB.on('request', (r) => { if (r.method() === 'POST' && /\/ballots$/.test(r.url())) posted.push(JSON.parse(r.postData()).choice); });
    await phoneB.click('#vote-buttons button[data-choice="no"]');
    await askedOnce;
    await phoneB.click('#vote-buttons button[data-choice="abstain"]');
    await phoneB.waitForFunction(() => /Your vote “Abstain” was not counted/.test(document.getElementById('ballot-state').textContent), null, { timeout: 20000 });
    assert.deepEqual(posted, ['no', 'abstain']);
    assert.deepEqual(phoneB.errors, []);
    await phoneA.context().close();
    await phoneB.context().close();
  });

  test('a secret ballot refused because the person voted from another device says so, in their language, and how to change it', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const phoneA = await device(s, 'Participant 3');
    const phoneB = await device(s, 'Participant 3');
    const poll = await createPoll(s, { secret: true });
    await phoneA.waitForSelector('#vote-buttons:not([hidden])');
    await phoneA.click('#vote-buttons button[data-choice="yes"]');
    await phoneA.waitForSelector('#ballot-state .receipt');

    await phoneB.waitForSelector('#vote-buttons:not([hidden])');
    await phoneB.click('#vote-buttons button[data-choice="no"]');
    // The server refuses the second ballot (409): wait for the page's last word on it.
    await phoneB.waitForFunction(() => /was not counted/.test(document.getElementById('ballot-state').textContent), null, { timeout: 15000 });
    const said = await ballotText(phoneB);
    assert.match(said, /Your vote “No” was not counted/);
    assert.match(said, /already voted .* from another device/);
    assert.doesNotMatch(said, /You have not voted yet/);
    assert.notEqual(await pressed(phoneB, 'no'), 'true');
    assert.ok(await phoneB.isVisible('#change-code'), 'the change code can be entered');
    await noSeriousViolations(phoneB, 'participant-vote-refused');
    await screenshots(phoneB, 'participant-vote-refused');

    await phoneB.click('#lang-switch button[lang="fr"]');
    await phoneB.waitForFunction(() => /autre appareil/.test(document.getElementById('ballot-state').textContent));
    assert.match(await ballotText(phoneB), /Votre vote « Contre » n’a pas été compté/);
    assert.match(await phoneB.textContent('#change-code-submit'), /Remplacer mon vote par « Contre »/);

    // With the code phone A shows, phone B replaces the ballot.
    const code = (await phoneA.textContent('#ballot-state .change-code')).trim();
    assert.ok(code.length >= 16, 'the device that voted shows the change code');
    await phoneB.fill('#change-code', code);
    await phoneB.click('#change-code-submit');
    await phoneB.waitForSelector('#ballot-state .receipt');
    assert.equal(await pressed(phoneB, 'no'), 'true');
    const closed = await closePoll(s, poll);
    assert.deepEqual([closed.result.cast, closed.result.yes, closed.result.no], [1, 0, 1]);
    assert.deepEqual(phoneA.errors, []);
    assert.deepEqual(phoneB.errors, []);
    await phoneA.context().close();
    await phoneB.context().close();
  });

  test('staff who hold the participant role are led to the voting page and vote', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const staff = [
      [PRESIDENT, /\/app\/console\.html/, { viewport: { width: 1280, height: 800 } }],
      ['Moderator', /\/app\/console\.html/, { viewport: { width: 1280, height: 800 } }],
      ['Rapporteur, Breakout 1', /\/app\/rapporteur\.html/, PHONE],
    ];
    const pages = [];
    for (const [name, home, options] of staff) {
      const page = await device(s, name, options);
      assert.match(page.url(), home, `${name} lands on their own page`);
      const link = page.getByRole('link', { name: 'Vote', exact: true });
      await link.waitFor({ timeout: 15000 });
      assert.ok(await link.isVisible(), `${name}: a visible way to the voting page`);
      pages.push([name, page]);
    }
    const poll = await createPoll(s);
    for (const [name, page] of pages) {
      await page.getByText('A vote is open.').waitFor({ timeout: 15000 });
      if (name === 'Rapporteur, Breakout 1') {
        await noSeriousViolations(page, 'rapporteur-vote-notice');
        await screenshots(page, 'rapporteur-vote-notice');
      }
      await page.getByRole('link', { name: 'Vote now' }).click();
      await page.waitForURL(/\/app\/participant\.html/);
      await page.waitForSelector('#vote-buttons:not([hidden])');
      await page.click('#vote-buttons button[data-choice="yes"]');
      await page.waitForSelector('#ballot-state .receipt');
      assert.deepEqual(page.errors, [], `${name}: script errors`);
    }
    const closed = await closePoll(s, poll);
    assert.equal(closed.result.cast, 3);
    assert.deepEqual(closed.ballots.map((b) => b.name).sort(), staff.map(([name]) => name).sort());
    for (const [, page] of pages) await page.context().close();
  });

  test('a poll that opens brings the ballot into view with a prompt, announced once', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const page = await device(s, 'Participant 4');
    await page.waitForSelector('#draft .para');
    const bottom = () => page.evaluate(() => {
      window.scrollTo(0, document.documentElement.scrollHeight);
      return window.scrollY;
    });
    assert.ok(await bottom() > 300, 'the page is longer than the phone screen');
    const poll = await createPoll(s);
    const prompt = page.locator('main p', { hasText: 'A vote is open: choose Yes, No or Abstain below.' }).filter({ visible: true });
    await prompt.waitFor({ timeout: 15000 });
    assert.ok(await prompt.isVisible());
    const inView = await page.evaluate(() => {
      const r = document.getElementById('vote').getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight;
    });
    assert.ok(inView, 'the ballot card is scrolled into view');
    const announced = await page.evaluate(() => [...document.querySelectorAll('[aria-live]')].some((n) => /A vote is open/.test(n.textContent)));
    assert.ok(announced, 'a live region announces the vote to screen readers');
    await noSeriousViolations(page, 'participant-vote-prompt');

    // Later changes to the same poll (someone votes) do not pull the page back.
    const y = await bottom();
    must(await s.api('POST', `/polls/${poll}/ballots`, 'Participant 5', { choice: 'yes' }), 200, 'ballot');
    await page.waitForTimeout(4000);
    assert.equal(await page.evaluate(() => window.scrollY), y, 'the prompt comes once per poll');
    // Voting removes the prompt.
    await page.click('#vote-buttons button[data-choice="abstain"]');
    await page.waitForSelector('#ballot-state .receipt');
    assert.equal(await prompt.count(), 0, 'the prompt goes once the vote is counted');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the phone counts down to the closing time by the server clock, then shows the poll closed', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const context = await browser.newContext(PHONE);
    // This phone's clock is 41 minutes fast (a fake for time only).
    await context.addInitScript(() => {
      const skew = 41 * 60 * 1000;
      const RealDate = Date;
      class SkewedDate extends RealDate {
        constructor(...args) {
          if (args.length === 0) super(RealDate.now() + skew);
          else super(...args);
        }
        static now() { return RealDate.now() + skew; }
      }
      globalThis.Date = SkewedDate;
    });
    const page = await newPage(context);
    await page.goto(s.people['Participant 6'].join_url);
    await page.waitForSelector('#draft .para');
    await createPoll(s, { closesAt: new Date(Date.now() + 30000).toISOString() });
    await page.waitForSelector('#poll-countdown:not([hidden]) .countdown', { timeout: 15000 });
    const secondsLeft = async () => {
      const m = (await page.textContent('#poll-countdown .countdown')).match(/^(\d+):(\d\d)$/);
      assert.ok(m, 'the remaining time reads m:ss');
      return Number(m[1]) * 60 + Number(m[2]);
    };
    const first = await secondsLeft();
    assert.ok(first > 10 && first <= 31, `about 30 s left by the server's clock, shown ${first} s`);
    assert.match(await page.textContent('#poll-countdown'), /Voting closes in/);
    assert.ok(await page.isVisible('#vote-buttons'));
    await page.waitForTimeout(2500);
    const second = await secondsLeft();
    assert.ok(second < first && second >= first - 4, `updated every second (${first} s, then ${second} s)`);
    // At zero the buttons go, and the result shows once the server closed it.
    await page.waitForFunction(() => /Rejected|Adopted|No quorum/.test(document.getElementById('poll-result').textContent), null, { timeout: 60000 });
    assert.ok(await page.isHidden('#vote-buttons'));
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test('the draft on the phone numbers its paragraphs, names their sources, and keeps the title and date line unamendable', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const page = await device(s, 'Participant 7');
    await page.waitForSelector('#draft .para .actions button');
    const names = await page.locator('#draft .para .actions button').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') || b.textContent));
    for (const name of names) assert.match(name, /^Amend (paragraph \d+|recommendation R\d+)$/, `a button reads "${name}"`);
    assert.ok(await page.getByRole('button', { name: 'Amend paragraph 3', exact: true }).isVisible());
    assert.ok(await page.getByRole('button', { name: 'Amend recommendation R2', exact: true }).isVisible());

    const preamble = s.draft.paragraphs.filter((p) => p.section === 'preamble');
    assert.equal(preamble.length, 2, 'the draft starts with the title and the date line');
    for (const p of preamble) {
      assert.equal(await page.locator(`#para-${p.pid} button`).count(), 0, `no amend button on ${p.markdown}`);
      const refused = await s.api('POST', '/amendments', 'Participant 7', { draft: s.draft.n, target: p.pid, kind: 'replace', text: 'Another title' });
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.field, 'target');
      assert.match(refused.body.error.message, /not amendable/);
    }

    const first = s.draft.paragraphs.find((p) => /Cities act first/.test(p.markdown));
    const source = await page.textContent(`#para-${first.pid} .source`);
    assert.match(source, /Complementarity in partnership approaches/);
    assert.match(source, /version 1/);
    assert.doesNotMatch(source, /complementarity,/);
    const third = s.draft.paragraphs.find((p) => /funded beyond project cycles/.test(p.markdown));
    assert.match(await page.textContent(`#para-${third.pid}`), /¶ 3/);
    assert.match(await page.textContent(`#para-${third.pid} .source`), /Sustainability in partnership approaches/);

    await page.getByRole('button', { name: 'Amend paragraph 3', exact: true }).click();
    assert.match(await page.textContent('#amend-target'), /¶ 3/);
    await page.click('#lang-switch button[lang="fr"]');
    await page.getByRole('button', { name: 'Amender le paragraphe 3', exact: true }).waitFor();
    assert.match(await page.textContent(`#para-${first.pid} .source`), /Source : Complementarity in partnership approaches, fragment version 1/);
    await noSeriousViolations(page, 'participant-draft-sources');
    await screenshots(page, 'participant-draft-sources-fr');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
  test('an amendment being written when the room adopts another to the same paragraph is not sent against the new text unseen', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const r1 = s.draft.paragraphs.find((p) => p.number === 'R1');
    const page = await device(s, 'Participant 7');
    await page.getByRole('button', { name: 'Amend recommendation R1', exact: true }).click();
    const mine = '- Create a dialogue with the cities of the region.';
    await page.fill('#amend-text', mine);
    await page.fill('#amend-rationale', 'regional');
    // Meanwhile the room adopts another amendment to R1: Draft 2 reads differently.
    await adopt(s, await createPoll(s));
    const current = must(await s.api('GET', '/drafts/current', 'Participant 7'), 200, 'current draft');
    assert.equal(current.n, 2);
    const adopted = current.paragraphs.find((p) => p.pid === r1.pid).markdown;
    assert.notEqual(adopted, r1.markdown);
    // The phone says so, keeps the person's words, and compares them with R1 as it now reads.
    await page.waitForSelector('#amend-changed:not([hidden])', { timeout: 15000 });
    assert.match(await page.textContent('#amend-changed'), /R1 has changed in Draft 2 while you were writing/);
    assert.equal(await page.inputValue('#amend-text'), mine);
    assert.equal(await page.inputValue('#amend-rationale'), 'regional');
    assert.match(await page.textContent('#amend-diff'), /standing dialogue/);
    // Sent after that, it is an amendment to the adopted text, said as such.
    await page.click('#amend-form button[type="submit"]');
    await page.waitForFunction(() => /Amendment \d+ sent/.test(document.getElementById('status').textContent), null, { timeout: 15000 });
    const list = must(await s.api('GET', '/amendments', 'Participant 7'), 200, 'amendments');
    const sent = list.find((a) => a.text === mine);
    assert.ok(sent, 'the amendment is stored');
    assert.equal(sent.draft, 2);
    assert.equal(sent.original, adopted);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an amendment sent against an old draft whose paragraph changed is refused, and the phone shows the new text', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const r1 = s.draft.paragraphs.find((p) => p.number === 'R1');
    const page = await device(s, 'Participant 8');
    await page.getByRole('button', { name: 'Amend recommendation R1', exact: true }).click();
    const mine = '- Create a dialogue with the cities of the region.';
    await page.fill('#amend-text', mine);
    // This phone hears nothing more from the live channel: the room's
    // adoption reaches it only as the refusal of what it sends.
    await page.route(/\/(live|stream)(\?|$)/, (route) => route.abort());
    await page.evaluate(() => { window.dispatchEvent(new Event('offline')); });
    await adopt(s, await createPoll(s));
    const before = must(await s.api('GET', '/amendments', 'Participant 8'), 200, 'amendments').length;
    await page.click('#amend-form button[type="submit"]');
    await page.waitForSelector('#amend-changed:not([hidden])', { timeout: 15000 });
    assert.match(await page.textContent('#amend-changed'), /R1 has changed in Draft 2/);
    assert.equal(await page.inputValue('#amend-text'), mine);
    assert.equal(must(await s.api('GET', '/amendments', 'Participant 8'), 200, 'amendments').length, before, 'nothing stored');
    await page.context().close();
  });
  test('an amendment to a paragraph the room deletes meanwhile cannot be sent, before or after a reload, and keeps its words', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const r1 = s.draft.paragraphs.find((p) => p.number === 'R1');
    const page = await device(s, 'Participant 10');
    await page.getByRole('button', { name: 'Amend recommendation R1', exact: true }).click();
    const mine = '- Create a dialogue with the cities of the north.';
    await page.fill('#amend-text', mine);
    const del = must(await s.api('POST', '/amendments', 'Participant 30', { draft: s.draft.n, target: r1.pid, kind: 'delete', rationale: 'covered elsewhere' }), 201, 'delete');
    must(await s.api('POST', `/amendments/${del.id}/decision`, PRESIDENT, { decision: 'admit', reason: 'in order' }), 200, 'admit');
    const poll = must(await s.api('POST', '/polls', PRESIDENT, { subject: { amendment: del.id }, method: 'electronic', rule: 'simple', secret: false }), 201, 'poll');
    must(await s.api('POST', `/polls/${poll.id}/open`, PRESIDENT, {}), 200, 'open');
    await adopt(s, poll.id);
    await page.waitForSelector('#amend-changed:not([hidden])', { timeout: 15000 });
    assert.match(await page.textContent('#amend-changed'), /R1 is no longer in Draft 2/);
    assert.ok(await page.isDisabled('#amend-send'));
    assert.equal(await page.inputValue('#amend-text'), mine);
    await page.reload();
    await page.waitForSelector('#amend-changed:not([hidden])', { timeout: 15000 });
    assert.match(await page.textContent('#amend-changed'), /is no longer in Draft 2/);
    assert.ok(await page.isDisabled('#amend-send'));
    assert.equal(await page.inputValue('#amend-text'), mine);
    await page.click('#amend-cancel');
    assert.ok(await page.isHidden('#amend-card'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('an amendment being written survives a reload of the phone, and another Amend asks before discarding it', { timeout: CASE_TIMEOUT }, async () => {
    const s = await amendingSession();
    const page = await device(s, 'Participant 9');
    await page.getByRole('button', { name: 'Amend recommendation R1', exact: true }).click();
    const mine = '- Create a dialogue with the cities of the coast.';
    await page.fill('#amend-text', mine);
    await page.fill('#amend-rationale', 'coastal cities');
    // The browser drops the tab in the background, or the person reloads.
    await page.reload();
    await page.waitForSelector('#amend-card:not([hidden])', { timeout: 15000 });
    assert.equal(await page.inputValue('#amend-text'), mine);
    assert.equal(await page.inputValue('#amend-rationale'), 'coastal cities');
    assert.match(await page.textContent('#amend-target'), /R1/);
    // Amend on the same paragraph goes back to the text; on another, it asks first.
    await page.getByRole('button', { name: 'Amend recommendation R1', exact: true }).click();
    assert.equal(await page.inputValue('#amend-text'), mine);
    await page.getByRole('button', { name: 'Amend recommendation R2', exact: true }).click();
    await page.waitForSelector('dialog.confirm');
    assert.match(await page.textContent('dialog.confirm'), /Your amendment to R1 has not been sent/);
    await page.click('dialog.confirm .confirm-cancel');
    assert.equal(await page.inputValue('#amend-text'), mine);
    assert.match(await page.textContent('#amend-target'), /R1/);
    await page.click('#amend-form button[type="submit"]');
    await page.waitForFunction(() => /Amendment \d+ sent/.test(document.getElementById('status').textContent), null, { timeout: 15000 });
    const list = must(await s.api('GET', '/amendments', 'Participant 9'), 200, 'amendments');
    assert.deepEqual(list.filter((a) => a.text === mine).map((a) => a.rationale), ['coastal cities']);
    // Sent: a reload opens nothing.
    await page.reload();
    await page.waitForSelector('#draft .para .actions button');
    assert.ok(await page.isHidden('#amend-card'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
