// Test harness for the browser tests: the real rapporteur binary on a free
// loopback port with a fresh database in a temporary folder, Debian's
// Chromium driven by playwright-core (never a downloaded browser), and
// helpers for screenshots, accessibility checks and page weights.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'browser-test-admin-token-0123456789abcdef';
export const OUTPUT = process.env.RAPPORTEUR_TEST_OUTPUT || join(ROOT, 'build', 'test-output');
export const SCREENSHOTS = join(OUTPUT, 'screenshots');
export const SNAPSHOTS = join(OUTPUT, 'html');

const BIN = process.env.RAPPORTEUR_BIN || join(ROOT, 'build', 'rapporteur');
// The web pages served: the binary's own (its source folder) unless
// RAPPORTEUR_WEB names another folder, e.g. an older checkout's to show that a
// test fails there.
const WEB = process.env.RAPPORTEUR_WEB;

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// The Kisumu sample dated today, its agenda moved so that the adoption slot
// runs from 5 minutes ago to 10 minutes from now (session time zone
// Africa/Nairobi, UTC+3 all year). Slots pushed out of the day are dropped.
export function sampleSessionNow(now = new Date()) {
  const spec = JSON.parse(readFileSync(join(ROOT, 'samples/kisumu-2022/session.json'), 'utf8'));
  const local = new Date(now.getTime() + 3 * 3600e3);  // wall clock in Nairobi, read with getUTC*
  spec.date = local.toISOString().slice(0, 10);
  const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const nowMin = local.getUTCHours() * 60 + local.getUTCMinutes();
  const adoption = spec.agenda.find((s) => s.kind === 'adoption');
  const shift = Math.max(0, nowMin - 5) - minutes(adoption.start);
  spec.agenda = spec.agenda
    .map((s) => ({ ...s, start: minutes(s.start) + shift, end: minutes(s.end) + shift }))
    .map((s) => (s.kind === 'adoption' ? { ...s, end: Math.min(s.end, 23 * 60 + 59) } : s))
    .filter((s) => s.start >= 0 && s.end <= 23 * 60 + 59 && s.end > s.start)
    .map((s) => ({ ...s, start: hhmm(s.start), end: hhmm(s.end) }));
  return spec;
}

export class Server {
  async start() {
    this.dir = mkdtempSync(join(tmpdir(), 'rapporteur-browser-'));
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.log = '';
    const web = WEB ? ['--web', WEB] : [];
    this.proc = spawn(BIN, ['serve', '--db', join(this.dir, 'test.db'), '--port', String(this.port), '--no-sample', '--quiet', ...web], {
      env: { ...process.env, RAPPORTEUR_ADMIN_TOKEN: ADMIN_TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout.on('data', (d) => { this.log += d; });
    this.proc.stderr.on('data', (d) => { this.log += d; });
    const deadline = Date.now() + 15000;
    for (;;) {
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (this.proc.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this;
  }

  async stop() {
    if (this.proc && this.proc.exitCode === null) {
      const exited = new Promise((r) => this.proc.once('exit', r));
      this.proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    }
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  // JSON API call; returns {status, body}.
  async api(method, path, { token, body, headers = {} } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const r = await fetch(`${this.base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: r.status, body: json };
  }

  // Creates the session; returns {sid, people: {name: {id, token, join_url, roles}}}.
  async createSession(spec) {
    const r = await this.api('POST', '/api/v1/sessions', { token: ADMIN_TOKEN, body: spec });
    if (r.status !== 201) throw new Error(`POST /api/v1/sessions: ${r.status} ${JSON.stringify(r.body)}`);
    const people = {};
    for (const p of r.body.people) people[p.name] = p;
    return { sid: r.body.id, people };
  }

}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

// A page whose uncaught errors and console errors are collected in page.errors.
export async function newPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed requests the page expects (404 of a missing draft, 401 of the
    // public projector) are logged by Chromium as console errors: keep only
    // script errors and CSP violations.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.errors.push(`console: ${m.text()}`);
  });
  return page;
}

// Axe (WCAG 2.1 A and AA rules): the violations of impact serious or critical.
export async function seriousViolations(page, exclude = []) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  for (const sel of exclude) builder = builder.exclude(sel);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

// Full-page screenshots at 360 px and 1280 px wide. Throws when the page is
// wider than the window (a phone would have to scroll sideways).
export async function screenshots(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    if (scroll > width) throw new Error(`${name}: ${scroll} px wide in a ${width} px window`);
  }
  await page.setViewportSize(size);
}

// Loads `url` in a fresh page with an empty cache and returns the bytes that
// came over the network for that first load (the page, its CSS, modules,
// catalogue, and the API answers it fetched), as sent: compressed where the
// server compressed them, headers included. `files` lists [url, bytes].
export async function firstLoadBytes(context, url, settle = 'networkidle') {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // A first visit: nothing from the offline shell's service worker either.
  await cdp.send('Network.setBypassServiceWorker', { bypass: true });
  const urls = new Map();
  const files = [];
  cdp.on('Network.responseReceived', (e) => {
    if (e.type !== 'EventSource') urls.set(e.requestId, e.response.url);  // a stream, not a download
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (urls.has(e.requestId)) files.push([urls.get(e.requestId), e.encodedDataLength]);
  });
  await page.goto(url, { waitUntil: settle });
  await page.waitForTimeout(300);
  await page.close();
  return { bytes: files.reduce((n, [, len]) => n + len, 0), files };
}

// Keeps the page's current DOM as an HTML file for the Nu HTML checker.
export async function snapshot(page, name) {
  mkdirSync(SNAPSHOTS, { recursive: true });
  writeFileSync(join(SNAPSHOTS, `${name}.html`), await page.content());
}

// Runs the Nu HTML checker (vnu-jar, needs java) on every snapshot; returns
// its error lines (empty when all are valid).
export function validateSnapshots() {
  const jar = join(dirname(fileURLToPath(import.meta.url)), 'node_modules/vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-jar', jar, '--errors-only', '--skip-non-html', SNAPSHOTS], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim());
}
