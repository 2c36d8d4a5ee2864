// The session's live state ({phase, current_draft, open_poll, slot,
// adoption_slot, now, seq}). Phones poll GET /live every 1.5 s with
// If-None-Match (an unchanged state costs a 304 and no body); the projector
// holds the server-sent events stream and falls back to polling when the
// stream fails.
import { request, sessionPath } from './api.js';

const POLL_MS = 1500;

// A state whose handling failed is handed over again after this long, unless
// a newer one has come meanwhile.
const RETRY_MS = 2000;

// Calls onState(state, receivedAt) on every change; onConnection(ok) when the
// server stops or starts answering. Returns a function that stops watching.
//
// States are handed over one at a time: while onState's promise is pending,
// newer states wait, and only the newest of them is handed over next. So a
// slow load for an older state never lands after (and over) a newer one. An
// onState that resolves to false did not finish (a load failed): the same
// state is handed over again after RETRY_MS unless a newer one came first.
export function watchLive(sid, onState, { stream = false, onConnection = () => {} } = {}) {
  let stopped = false;
  let etag = null;
  let timer = null;
  let source = null;
  let next = null; // the newest state not handed over yet: {state, at}
  let busy = false;
  let retry = null;

  const drain = async () => {
    busy = true;
    while (next && !stopped) {
      const current = next;
      next = null;
      let done = true;
      try {
        done = (await onState(current.state, current.at)) !== false;
      } catch {
        done = false;
      }
      if (!done && !next && !stopped) {
        retry = setTimeout(() => {
          retry = null;
          if (!next) handOver(current);
        }, RETRY_MS);
      }
    }
    busy = false;
  };

  const handOver = (item) => {
    clearTimeout(retry);
    retry = null;
    next = item;
    if (!busy) drain();
  };

  const deliver = (state) => {
    onConnection(true);
    handOver({ state, at: performance.now() });
  };

  const poll = async () => {
    if (stopped) return;
    try {
      const res = await request(sessionPath(sid, '/live'), { etag });
      if (res.status === 200 && res.data) {
        etag = res.etag;
        deliver(res.data);
      } else {
        onConnection(true);
      }
    } catch {
      onConnection(false);
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  };

  const startPolling = () => {
    if (source) source.close();
    source = null;
    if (!timer) poll();
  };

  if (stream && typeof EventSource === 'function') {
    source = new EventSource(sessionPath(sid, '/stream'), { withCredentials: true });
    source.addEventListener('state', (ev) => {
      try {
        deliver(JSON.parse(ev.data));
      } catch {
        // a malformed event: wait for the next one
      }
    });
    source.addEventListener('error', () => {
      // The browser retries by itself; if the stream stays down, poll instead.
      onConnection(false);
      if (source && source.readyState === EventSource.CLOSED) startPolling();
      else setTimeout(() => { if (!stopped && source && source.readyState !== EventSource.OPEN) startPolling(); }, 5000);
    });
  } else {
    poll();
  }

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(retry);
    if (source) source.close();
  };
}

// A countdown that keeps ticking between live updates: `endsInMs` was read at
// `receivedAt` (performance.now()); onTick(msLeft) runs every quarter second.
export function countdown(onTick) {
  let end = null;
  const id = setInterval(() => {
    if (end !== null) onTick(end - performance.now());
  }, 250);
  return {
    set(endsInMs, receivedAt = performance.now()) {
      end = endsInMs === null || endsInMs === undefined ? null : receivedAt + endsInMs;
      if (end !== null) onTick(end - performance.now());
    },
    stop() {
      clearInterval(id);
    },
  };
}
