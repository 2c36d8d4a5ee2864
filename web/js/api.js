// The one way pages talk to the server: JSON in and out, the session cookie
// sent with every call (credentials 'same-origin'), every failure turned into
// an ApiError whose message a person can read.
import { takeEarly } from './early.js';
import { t } from './i18n.js';

export class ApiError extends Error {
  // status: HTTP status, 0 when the network failed. code: the API's error code
  // ("version_conflict", ...) or "network". body: the whole JSON answer.
  constructor(status, code, message, field, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.body = body || null;
  }
  // The message shown to a person: the code in their language, then the
  // server's own words (which name the subject and the rule).
  get display() {
    const known = t(`error.${this.code}`, {}, '');
    if (!known) return this.message || t('error.unknown');
    return this.message && this.code !== 'network' ? `${known} ${this.message}` : known;
  }
}

// A fresh Idempotency-Key: the same key on a retry makes the server answer
// with its first reply instead of acting twice.
export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// fetch wrapper. Returns {status, data, etag} (data is null for 304/204).
// options: method, body (JSON-encoded), key (Idempotency-Key), etag (If-None-Match).
// Every call that changes state says Content-Type: application/json, bodyless
// ones included: the server refuses any other type from a browser (a page of
// another origin cannot send this one without a CORS preflight).
export async function request(path, { method = 'GET', body, key, etag, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined || !['GET', 'HEAD'].includes(method)) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  if (etag) headers['If-None-Match'] = etag;
  // A plain GET may have been sent already, as the page opened (early.js).
  const early = method === 'GET' && !etag && !signal ? takeEarly(path) : null;
  let res;
  try {
    if (early) res = await early.catch(() => null);
    if (!res) res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
  }
  if (res.status === 304 || res.status === 204) return { status: res.status, data: null, etag: res.headers.get('ETag') };
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data && data.error) || {};
    throw new ApiError(res.status, err.code || `http_${res.status}`, err.message || res.statusText, err.field, data);
  }
  return { status: res.status, data, etag: res.headers.get('ETag') };
}

export async function get(path) {
  return (await request(path)).data;
}
export async function post(path, body = {}, key) {
  return (await request(path, { method: 'POST', body, key })).data;
}
export async function put(path, body, key) {
  return (await request(path, { method: 'PUT', body, key })).data;
}

// Paths of one session's resources: sessionPath('abc', '/drafts/current').
export function sessionPath(sid, rest = '') {
  return `/api/v1/sessions/${encodeURIComponent(sid)}${rest}`;
}

// The ?session= of the page's address.
export function pageSession() {
  return new URLSearchParams(location.search).get('session') || '';
}
