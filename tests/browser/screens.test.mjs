// What each role sees, at a phone's size (360x740) and a projector's
// (1920x1080), in English and in French, with the Kisumu session in the
// middle of its adoption slot (Draft 1 merged, an amendment admitted and put
// to an open vote, a few ballots cast). Each view is written as a PNG under
// RAPPORTEUR_TEST_OUTPUT/screenshots/ (role-<name>-<lang>-<size>.png) and
// checked: no sideways scrolling, no serious or critical axe violation, no
// script error. docs/screenshots/ holds three of them for the README.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, newPage, SCREENSHOTS, seriousViolations, Server } from './harness.mjs';
import { kisumuInAmending, PARTICIPANT, PRESIDENT, RAPPORTEUR, SECRETARIAT } from './kisumu_state.mjs';

const SIZES = { phone: { width: 360, height: 740 }, projector: { width: 1920, height: 1080 } };
const LANGS = ['en', 'fr'];

// who: the person whose join link signs the browser in (null: nobody).
// ready: waits until the page shows what it is for.
const ROLES = [
  { name: 'home', who: null, path: () => '/', ready: (p) => p.waitForSelector('#sessions li h2 a') },
  {
    name: 'participant', who: PARTICIPANT, path: (sid) => `/app/participant.html?session=${sid}`,
    ready: async (p) => {
      await p.waitForSelector('#draft .para');
      await p.waitForSelector('#vote:not([hidden]) #vote-buttons button');
    },
  },
  {
    name: 'rapporteur', who: RAPPORTEUR, path: (sid) => `/app/rapporteur.html?session=${sid}`,
    ready: (p) => p.waitForSelector('#fragments li'),
  },
  {
    name: 'secretariat-console', who: SECRETARIAT, path: (sid) => `/app/console.html?session=${sid}`,
    ready: async (p) => {
      await p.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
      await p.click('#tab-draft');
      await p.waitForSelector('#panel-draft .para');
    },
  },
  {
    name: 'president-console', who: PRESIDENT, path: (sid) => `/app/console.html?session=${sid}`,
    ready: async (p) => {
      await p.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
      await p.click('#tab-polls');
      await p.waitForSelector('#panel-polls .badge.ok');
    },
  },
  {
    // The room's projector runs on the secretariat's laptop, signed in; the
    // vote in progress takes the screen.
    name: 'projector', who: SECRETARIAT, path: (sid) => `/app/projector.html?session=${sid}`,
    ready: async (p) => {
      await p.waitForSelector('#poll:not([hidden]) #poll-subject .diff ins');
      await p.waitForSelector('#tally .tally');
    },
  },
  {
    name: 'public-projector', who: null, path: (sid) => `/app/projector.html?session=${sid}`,
    ready: async (p) => {
      await p.waitForFunction(() => document.getElementById('session-title').textContent.length > 0);
      await p.waitForSelector('#draft .para');
    },
  },
];

const srv = new Server();
let browser;
let state;

describe('every role\'s page at phone and projector sizes, in English and French', { concurrency: false }, () => {
  before(async () => {
    await srv.start();
    state = await kisumuInAmending(srv);
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    if (browser) await browser.close();
    await srv.stop();
  });

  for (const role of ROLES) {
    test(`${role.name}: screenshots; no sideways scrolling, axe violation or script error`, { timeout: 600000 }, async () => {
      const context = await browser.newContext({ viewport: SIZES.projector });
      try {
        if (role.who) {
          const j = await newPage(context);
          await j.goto(state.people[role.who].join_url);
          await j.close();
        }
        const problems = [];
        for (const lang of LANGS) {
          for (const [size, viewport] of Object.entries(SIZES)) {
            const page = await newPage(context);
            await page.setViewportSize(viewport);
            const path = role.path(state.sid);
            await page.goto(`${srv.base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
            await role.ready(page);
            assert.equal(await page.getAttribute('html', 'lang'), lang, `${role.name}: page language`);
            await page.evaluate(() => document.fonts.ready);
            await page.waitForTimeout(200);
            const view = `${role.name}-${lang}-${size}`;
            await page.screenshot({ path: join(SCREENSHOTS, `role-${view}.png`) });
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            if (wide > viewport.width) problems.push(`${view}: ${wide} px wide in a ${viewport.width} px window`);
            for (const v of await seriousViolations(page)) problems.push(`${view}: axe ${v}`);
            for (const e of page.errors) problems.push(`${view}: ${e}`);
            await page.close();
          }
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
