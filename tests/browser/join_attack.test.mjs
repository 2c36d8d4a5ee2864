// A rapporteur's Markdown against every viewer, in Debian's Chromium: a
// fragment with an image of another participant's join link and a link to
// the rapporteur's own. Viewing the draft (public page, participant page,
// president's console) must make no request to /join/ and leave each viewer
// who they were; a join link opened in a browser signed in as someone else
// asks before replacing the login.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage, sampleSessionNow, Server } from './harness.mjs';

const srv = new Server();
let browser;
let session;

async function me(page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/v1/me', { credentials: 'same-origin' });
    return r.ok ? (await r.json()).person.name : `status ${r.status}`;
  });
}

// A context signed in as `name` through their join link, recording every
// request its pages make to /join/.
async function signedIn(name) {
  const context = await browser.newContext();
  const page = await newPage(context);
  page.joinRequests = [];
  context.on('request', (r) => { if (new URL(r.url()).pathname.startsWith('/join/')) page.joinRequests.push(r.url()); });
  await page.goto(session.people[name].join_url);
  await page.waitForLoadState('networkidle');
  page.joinRequests.length = 0;  // its own join link
  assert.equal(await me(page), name);
  return page;
}

describe('a join link inside what people write', { concurrency: false }, () => {
  before(async () => {
    await srv.start();
    session = await srv.createSession(sampleSessionNow());
    const victim = session.people['Participant 3'].join_url;
    const own = session.people['Rapporteur, Breakout 1'].join_url;
    const body = `## Conclusions\n\n![room](${new URL(victim).pathname}) and ![logo](${victim})\n\n` +
      `## Recommendations\n\n- See the [slides](${new URL(own).pathname}) or [these](${own}).\n`;
    const rap = session.people['Rapporteur, Breakout 1'].token;
    let r = await srv.api('POST', `/api/v1/sessions/${session.sid}/breakouts/complementarity/fragments`,
      { token: rap, body: { title: 'Notes', body } });
    assert.equal(r.status, 201);
    r = await srv.api('POST', `/api/v1/sessions/${session.sid}/drafts`,
      { token: session.people.Moderator.token, body: { merge: true } });
    assert.equal(r.status, 201);
    browser = await launchBrowser();
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  test('viewing the draft requests no join link and keeps every viewer who they were', async () => {
    for (const [name, path] of [['Participant 1', `/app/participant.html?session=${session.sid}`],
      ['President of the session', `/app/console.html?session=${session.sid}`],
      ['Participant 2', `/s/${session.sid}`]]) {
      const page = await signedIn(name);
      await page.goto(`${srv.base}${path}`);
      await page.waitForLoadState('networkidle');
      if (path.startsWith('/app/console')) {
        await page.click('#tab-draft');
        await page.waitForSelector('#panel-draft .para');
      }
      const text = await page.textContent('body');
      assert.match(text, /room/, `${name}: the image's alt text is shown`);
      assert.equal(await page.locator('img[src*="/join/"]').count(), 0, `${name}: no image of a join link`);
      assert.equal(await page.locator('a[href*="/join/"]').count(), 0, `${name}: no live link to a join page`);
      await page.waitForTimeout(300);
      assert.deepEqual(page.joinRequests, [], `${name}: no request to /join/`);
      assert.equal(await me(page), name, `${name}: still signed in as themselves`);
      await page.context().close();
    }
  });

  test("another person's join link in a signed-in browser asks, names both, and switches only when confirmed", async () => {
    const page = await signedIn('President of the session');
    await page.goto(session.people['Participant 3'].join_url);
    await page.waitForSelector('#join-confirm');
    const text = await page.textContent('main');
    assert.match(text, /Participant 3/);
    assert.match(text, /President of the session/);
    assert.equal(await me(page), 'President of the session', 'nothing changed before the confirmation');
    await page.click('#join-confirm');
    await page.waitForURL(/participant\.html/);
    assert.equal(await me(page), 'Participant 3');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
