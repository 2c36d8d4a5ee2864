// The projector as the room and the public see it, and the public receipt
// check: the real server, Debian's Chromium, one browser context per device.
//
// Steps run in order and share one session (the Kisumu sample dated today,
// its adoption slot running now); the set-up that is not under test (notes,
// merge, amendments, ballots of the other voters) goes through the API.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test as nodeTest } from 'node:test';
import { launchBrowser, newPage, sampleSessionNow, SCREENSHOTS, screenshots, seriousViolations, Server } from './harness.mjs';

const STEP_TIMEOUT = 120000;
function test(name, fn) {
  nodeTest(name, { timeout: STEP_TIMEOUT }, async (t) => fn(t));
}

const NOTES_1 = '## Conclusions\n\nCities act first when people arrive.\n\n## Recommendations\n\n'
  + '- Create a standing dialogue between intermediary cities and national ministries.\n'
  + '- Fund migrant-led organisations directly through city budgets.\n';
const NOTES_2 = '## Conclusions\n\nPartnerships last when they are funded beyond project cycles.\n\n## Recommendations\n\n'
  + '- Secure multi-year funding for local migration partnerships.\n'
  + '- Include refugee-led organisations in the governance of partnerships.\n'
  + '- Publish a yearly report on every partnership.\n';
const AMENDED = 'Secure multi-year funding, from national and city budgets alike, for local migration partnerships.';
const POLL_SECONDS = 75;

const srv = new Server();
let browser;
let session;
let draft;
const screens = {};  // pages kept open between steps
const receipts = {};

const token = (name) => session.people[name].token;
const api = (rest) => `/api/v1/sessions/${session.sid}${rest}`;
async function call(method, rest, who, body) {
  const r = await srv.api(method, api(rest), { token: token(who), body });
  assert.ok(r.status < 300, `${method} ${rest} as ${who}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const PRESIDENT = 'President of the session';

async function projector(context, size = { width: 1920, height: 1080 }) {
  const page = await newPage(context);
  await page.setViewportSize(size);
  await page.goto(`${srv.base}/app/projector.html?session=${session.sid}`);
  await page.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
  return page;
}

async function shot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

// The visible text of the tally box (outcome, counts, "voting in progress").
const tallyText = (page) => page.evaluate(() => document.getElementById('tally').innerText.replace(/\s+/g, ' ').trim());

describe('projector and receipt check', () => {
  before(async () => {
    await srv.start();
    browser = await launchBrowser();
    session = await srv.createSession(sampleSessionNow());
    await call('POST', '/breakouts/complementarity/fragments', 'Rapporteur, Breakout 1', { title: 'Breakout 1', body: NOTES_1 });
    await call('POST', '/breakouts/sustainability/fragments', 'Rapporteur, Breakout 2', { title: 'Breakout 2', body: NOTES_2 });
    draft = await call('POST', '/drafts', 'Moderator', { merge: true });
    await call('POST', '/phase', PRESIDENT, { phase: 'amending' });
    screens.signedIn = await browser.newContext();
    const join = await newPage(screens.signedIn);
    await join.goto(session.people.Moderator.join_url);
    await join.close();
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  test('once the adoption slot has ended, the projector shows when it ended and no big "0:00"', async () => {
    const spec = sampleSessionNow(new Date(Date.now() - 20 * 60e3));  // slot from 25 to 10 minutes ago
    spec.id = 'kisumu-slot-over';
    await srv.createSession(spec);
    const page = await newPage(await browser.newContext({ viewport: { width: 1920, height: 1080 } }));
    await page.goto(`${srv.base}/app/projector.html?session=kisumu-slot-over`);
    await page.waitForFunction(() => /ended at/.test(document.getElementById('clock-label').textContent));
    assert.equal(await page.isVisible('#clock'), false, `the slot clock still shows "${await page.textContent('#clock')}"`);
    assert.doesNotMatch(await page.innerText('main'), /\b0:00\b/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('when an amendment is put to the vote, the projector scrolls to its paragraph, highlights it and shows the diff', async () => {
    const target = draft.paragraphs.find((p) => p.markdown.includes('multi-year funding'));
    const amendment = await call('POST', '/amendments', 'Participant 1',
      { draft: draft.n, target: target.pid, kind: 'replace', text: AMENDED, rationale: 'Name who pays.' });
    await call('POST', `/amendments/${amendment.id}/decision`, PRESIDENT, { decision: 'admit', reason: 'in order' });
    screens.signed = await projector(screens.signedIn);
    screens.public = await projector(await browser.newContext());
    screens.closesAt = new Date(Date.now() + POLL_SECONDS * 1000).toISOString();
    // The president puts it to the vote (not yet open): the room discusses it.
    const poll = await call('POST', '/polls', PRESIDENT,
      { subject: { amendment: amendment.id }, method: 'electronic', rule: 'simple', closes_at: screens.closesAt });
    screens.pollId = poll.id;
    screens.target = target.pid;
    const page = screens.signed;
    const para = `#para-${target.pid}`;
    const followed = async (state) => {
      await page.waitForSelector(`${para}.amending`, { state: 'visible', timeout: 10000 });
      assert.equal(await page.getAttribute(para, 'aria-current'), 'true');
      assert.match(await page.textContent(para), /multi-year funding/);
      // In view once the smooth scroll has settled, with the diff on screen beside it.
      await page.waitForFunction((sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
      }, para, { timeout: 10000 });
      const inserted = await page.$$eval('#poll .diff ins', (list) => list.map((e) => e.textContent).join(' '));
      assert.match(inserted, /national and city budgets/, `${state}: the amendment is shown as a word diff`);
      const box = await (await page.$('#poll .diff')).boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= 1080, `${state}: the diff is on screen with the paragraph`);
    };
    try {
      await page.waitForFunction(() => document.getElementById('poll-h').textContent === 'Under discussion', null, { timeout: 10000 });
      await followed('under discussion');
    } finally {
      // The vote opens whatever this screen showed: the next steps need it.
      await call('POST', `/polls/${poll.id}/open`, PRESIDENT);
    }
    await page.waitForFunction(() => document.getElementById('poll-h').textContent === 'Vote in progress');
    await followed('open');
    // The public screen cannot read the amendment (no join link) but follows
    // the paragraph under vote, which the live state names.
    const pub = screens.public;
    await pub.waitForFunction(() => document.getElementById('poll-h').textContent === 'Vote in progress', null, { timeout: 10000 });
    await pub.waitForSelector(`${para}.amending`, { state: 'visible', timeout: 10000 });
    assert.equal(await pub.getAttribute(para, 'aria-current'), 'true');
    await pub.waitForFunction((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;
    }, para, { timeout: 10000 });
    assert.equal(await pub.$$eval('.para.amending', (list) => list.length), 1, 'one paragraph is marked on the public screen');
  });

  test('the open poll\'s closing time: both projectors count it down in mm:ss from the server\'s clock', async () => {
    for (const page of [screens.signed, screens.public]) {
      await page.waitForSelector('#poll-timer:not([hidden])', { timeout: 10000 });
      await page.waitForFunction(() => /^\d\d:\d\d$/.test(document.getElementById('poll-clock').textContent));
      const first = await page.textContent('#poll-clock');
      const [m, s] = first.split(':').map(Number);
      const left = m * 60 + s;
      const expected = (Date.parse(screens.closesAt) - Date.now()) / 1000;
      assert.ok(Math.abs(left - expected) <= 3, `projector shows ${first}, ${expected.toFixed(1)} s are left`);
      await page.waitForFunction((f) => document.getElementById('poll-clock').textContent !== f, first);
      assert.match(await page.textContent('#poll-clock-label'), /closes in/);
      // Large enough to read across the room.
      const px = await page.$eval('#poll-clock', (e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(px >= 48, `the poll countdown is ${px}px`);
    }
    await shot(screens.signed, 'projector-countdown-1920x1080');
    await shot(screens.public, 'projector-public-countdown-1920x1080');
  });

  test('headings are at least 32 px and body text large at 1920x1080; nothing is clipped at 1920x1080 or 1280x720', async () => {
    const page = screens.signed;
    const sizes = await page.evaluate(() => [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')]
      .filter((e) => e.offsetParent !== null && e.textContent.trim())
      .map((e) => [`${e.tagName}#${e.id || e.className} "${e.textContent.trim().slice(0, 30)}"`, parseFloat(getComputedStyle(e).fontSize)]));
    assert.ok(sizes.length >= 4, `headings seen: ${JSON.stringify(sizes)}`);
    for (const [what, px] of sizes) assert.ok(px >= 32, `${what} is ${px}px at 1920x1080`);
    const body = await page.evaluate(() => [...document.querySelectorAll('main p, main .para .body, main .tally span, main .muted')]
      .filter((e) => e.offsetParent !== null && e.textContent.trim())
      .map((e) => [`${e.tagName}.${e.className} "${e.textContent.trim().slice(0, 30)}"`, parseFloat(getComputedStyle(e).fontSize)]));
    for (const [what, px] of body) assert.ok(px >= 24, `${what} is ${px}px at 1920x1080`);
    for (const size of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      const clipped = await page.evaluate(() => {
        const out = [];
        if (document.documentElement.scrollWidth > innerWidth) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
        for (const e of document.querySelectorAll('main *')) {
          if (e.offsetParent === null || !e.textContent.trim()) continue;
          const r = e.getBoundingClientRect();
          if (r.left < -1 || r.right > innerWidth + 1) out.push(`${e.tagName}#${e.id} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
          if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible') out.push(`${e.tagName}#${e.id} cuts its text`);
        }
        // The poll beside the draft is on the screen whole, tally included.
        const poll = document.getElementById('poll').getBoundingClientRect();
        if (poll.top < 0 || poll.bottom > innerHeight) out.push(`the poll spans ${Math.round(poll.top)}..${Math.round(poll.bottom)}px of ${innerHeight}`);
        return out;
      });
      assert.deepEqual(clipped, [], `at ${size.width}x${size.height}`);
      await shot(page, `projector-open-${size.width}x${size.height}`);
    }
    await page.setViewportSize({ width: 1920, height: 1080 });
    assert.deepEqual(await seriousViolations(page), []);
  });

  test('at zero the poll closes itself; the public projector shows the outcome exactly as the signed-in one', async () => {
    // The president closes the vote above and puts another amendment to a
    // vote of 25 seconds (its own clock: the steps above may have been slow).
    await call('POST', `/polls/${screens.pollId}/close`, PRESIDENT);
    const r1 = draft.paragraphs.find((p) => p.number === 'R1');
    const amendment = await call('POST', '/amendments', 'Participant 2',
      { draft: draft.n, target: r1.pid, kind: 'replace', text: `${r1.markdown} Meet every quarter.`, rationale: 'A rhythm.' });
    await call('POST', `/amendments/${amendment.id}/decision`, PRESIDENT, { decision: 'admit', reason: 'in order' });
    const poll = await call('POST', '/polls', PRESIDENT, { subject: { amendment: amendment.id }, method: 'electronic', rule: 'simple',
      closes_at: new Date(Date.now() + 25000).toISOString() });
    await call('POST', `/polls/${poll.id}/open`, PRESIDENT);
    screens.pollId = poll.id;
    // Participant 1 votes from their phone (and keeps the receipt); others through the API.
    const phone = await newPage(await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }));
    await phone.goto(session.people['Participant 1'].join_url);
    await phone.waitForSelector('#vote-buttons:not([hidden])');
    await phone.click('#vote-buttons button[data-choice="yes"]');
    await phone.waitForSelector('#ballot-state .receipt');
    receipts.named = (await phone.textContent('#ballot-state .receipt')).trim();
    screens.phone = phone;
    for (const [who, choice] of [['Participant 2', 'yes'], ['Participant 3', 'no'], ['Participant 4', 'yes']]) {
      await call('POST', `/polls/${screens.pollId}/ballots`, who, { choice });
    }
    const linkEl = await phone.$('#ballot-state a[href*="/app/receipt.html"]');
    receipts.link = linkEl ? await linkEl.getAttribute('href') : null;
    // Nobody closes it: its closing time does. The signed-in projector (the
    // secretariat's laptop) shows the outcome; so must the public one.
    await screens.signed.waitForFunction(() => /Adopted/.test(document.getElementById('tally').textContent), null,
      { timeout: 45000 });
    await screens.public.waitForFunction(() => document.getElementById('poll-h').textContent === 'Result');
    await screens.public.waitForFunction(() => /Adopted/.test(document.getElementById('tally').textContent), null, { timeout: 10000 });
    for (const page of [screens.signed, screens.public]) {
      assert.equal(await page.textContent('#poll-clock'), 'Closed');
      assert.ok(await page.isVisible('#poll-clock'));
    }
    const signed = await tallyText(screens.signed);
    const pub = await tallyText(screens.public);
    assert.match(pub, /Adopted/);
    assert.match(pub, /4 votes cast/);
    assert.equal(pub, signed, 'the public projector shows what the signed-in one shows');
    const link = await screens.public.getAttribute('#receipt-link a', 'href');
    assert.match(link, /\/app\/receipt\.html\?session=/);
    await shot(screens.public, 'projector-closed-1920x1080');
    assert.deepEqual(screens.public.errors, []);
    assert.deepEqual(screens.signed.errors, []);
  });

  test('the receipt page: a named ballot\'s receipt, reached from the phone, is counted with its choice', async () => {
    const phone = screens.phone;
    // The link under the receipt on the phone leads to the check.
    assert.ok(receipts.link, 'the phone links its receipt to the receipt check');
    await phone.goto(new URL(receipts.link, srv.base).href);
    await phone.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
    await phone.fill('#receipt-input', `  ${receipts.named} `);
    await phone.click('#receipt-form button[type="submit"]');
    await phone.waitForSelector('#receipt-answer .receipt-ok');
    const text = await phone.innerText('#receipt-answer');
    assert.match(text, new RegExp(`poll ${screens.pollId}`));
    assert.match(text, /counted as “Yes”/);
    assert.doesNotMatch(text, /Participant/);
  });

  const secret = {};
  const ask = async (page, receipt) => {
    await page.fill('#receipt-input', receipt);
    await page.click('#receipt-form button[type="submit"]');
    await page.waitForFunction(() => !/Checking|Vérification/.test(document.getElementById('receipt-answer').textContent)
      && document.getElementById('receipt-answer').textContent.length > 0);
    return page.innerText('#receipt-answer');
  };

  test('during the secret adoption vote a receipt check says "not found", as for any made-up receipt', async () => {
    const current = await srv.api('GET', api('/drafts/current'));
    secret.poll = await call('POST', '/polls', PRESIDENT, { subject: { adoption: current.body.n }, method: 'electronic', rule: 'simple', secret: true });
    secret.pub = await projector(await browser.newContext());
    await call('POST', `/polls/${secret.poll.id}/open`, PRESIDENT);
    secret.ballots = {};
    for (const [who, choice] of [['Participant 1', 'no'], ['Participant 2', 'yes'], ['Participant 3', 'yes'], ['Participant 5', 'yes']]) {
      secret.ballots[who] = await call('POST', `/polls/${secret.poll.id}/ballots`, who, { choice });
    }
    await secret.pub.waitForFunction(() => /Voting in progress/.test(document.getElementById('tally').textContent));
    // A coercer holding the voter's receipt cannot watch the ballot while the vote runs.
    const page = await newPage(await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true }));
    secret.page = page;
    await page.goto(`${srv.base}/app/receipt.html?session=${session.sid}`);
    await page.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
    const open = await ask(page, secret.ballots['Participant 1'].receipt);
    assert.match(open, /Not found/);
    assert.equal(await ask(page, 'AAAAAAAAAAAAAAAAAAAAAA'), open);
  });

  test('after the secret adoption vote the public projector shows its result and the adopted state', async () => {
    const pub = secret.pub;
    await call('POST', `/polls/${secret.poll.id}/close`, PRESIDENT);
    await pub.waitForSelector('#adopted:not([hidden])');
    await pub.waitForFunction(() => document.getElementById('poll-h').textContent === 'Result');
    const tally = await tallyText(pub);
    assert.doesNotMatch(tally, /Voting in progress/);
    assert.match(tally, /Adopted/);
    assert.match(tally, /4 votes cast/);
    // A signed-in projector opened now shows the same result.
    const signed = await projector(screens.signedIn);
    await signed.waitForFunction(() => /Adopted/.test(document.getElementById('tally').textContent));
    assert.equal(tally, await tallyText(signed), 'the public projector shows what the signed-in one shows');
    await shot(pub, 'projector-adopted-1920x1080');
    assert.deepEqual(pub.errors, []);
  });

  test('after the close the receipt page says the secret ballot was counted, never its choice; malformed input is named', async () => {
    const { page, poll, ballots } = secret;
    const ask1 = (receipt) => ask(page, receipt);
    const answer = await ask1(ballots['Participant 1'].receipt);
    assert.match(answer, /Counted/);
    assert.match(answer, new RegExp(`poll ${poll.id}`));
    assert.match(answer, /secret ballot/);
    assert.doesNotMatch(answer, /counted as/i);
    assert.doesNotMatch(await page.innerText('#receipt-answer .receipt-ok p:not(.muted)'), /\b(Yes|No)\b/);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshots(page, 'receipt-counted');
    // A made-up receipt and a malformed one.
    assert.match(await ask1('AAAAAAAAAAAAAAAAAAAAAA'), /Not found/);
    assert.match(await ask1('not a receipt'), /This is not a receipt/);
    assert.equal(await page.getAttribute('#receipt-input', 'aria-invalid'), 'true');
    await shot(page, 'receipt-malformed-360x740');
    // In French.
    await page.goto(`${srv.base}/app/receipt.html?session=${session.sid}&lang=fr`);
    await page.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
    assert.match(await page.textContent('h1'), /Vérifier un reçu/);
    assert.match(await ask1(ballots['Participant 2'].receipt), /Compté.*bulletin secret/s);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: join(SCREENSHOTS, 'receipt-fr-360x740.png'), fullPage: true });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling at 360 px');
    assert.deepEqual(page.errors, []);
  });
});
