// The console's polls: the president's form (subject, terms, duration,
// hidden results, slot override), the list with open/close/cancel, the
// ballots cast while a poll runs and the time left before it closes itself.
// Errors are said in the person's language, never as API field names.
import { fill, fillKeeping, h, say } from './dom.js';
import { amendmentTitle } from './doc.js';
import { fmtCountdown, fmtTime, t } from './i18n.js';
import { confirmStep } from './confirm.js';

const DURATIONS = [60, 120, 180, 300];
const MAX_MINUTES = 1440;

const select = (id, options, value) => {
  const s = h('select', { id }, options.map(([v, label]) => h('option', { value: v, text: label })));
  if (value !== undefined) s.value = value;
  return s;
};
const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id, text: label }), control);

// The server's clock now, from the last live state (the console's clock may
// be wrong; the poll closes by the server's).
function serverNow(C) {
  if (!C.live || !C.live.now) return Date.now();
  return Date.parse(C.live.now) + (performance.now() - (C.liveAt || performance.now()));
}

// A refusal in the person's words. `step` is 'create' or 'open'.
function pollError(C, e, step) {
  const a = C.live && C.live.adoption_slot;
  if (e && e.code === 'outside_slot') {
    if (!a) return t('con.err_slot_none');
    if (step === 'open' && serverNow(C) < Date.parse(a.start)) return t('con.err_slot_not_started', { start: fmtTime(a.start) });
    if (step === 'open') return t('con.err_slot_over_open', { end: fmtTime(a.end) });
    return t('con.err_slot_over', { start: fmtTime(a.start), end: fmtTime(a.end) });
  }
  if (e && e.code === 'validation_failed' && e.field === 'reason') return t('con.err_reason');
  return e && e.display ? e.display : String(e);
}

const COUNT_KEYS = ['yes', 'no', 'abstain'];

// The open polls' countdowns, [{node, closes}], redrawn four times a second
// by one timer (the panel is rebuilt on a change of language).
const clocks = [];
let clocksOf = null;
let clockTimer = null;
function drawClocks() {
  for (const c of clocks) {
    const left = c.closes - serverNow(clocksOf);
    c.node.textContent = left > 0 ? t('con.poll_closes_in', { left: fmtCountdown(left) }) : t('con.poll_closing');
  }
}

export function pollsPanel(C) {
  const list = h('div');
  const subject = h('select', { id: 'poll-subject' });
  const method = select('poll-method', ['electronic', 'show_of_hands', 'consensus'].map((m) => [m, t(`poll.method_${m}`)]));
  const rule = select('poll-rule', ['simple', 'two_thirds', 'absolute', 'consensus'].map((r) => [r, t(`poll.rule_${r}`)]));
  const quorum = h('input', { type: 'number', id: 'poll-quorum', min: '1', inputmode: 'numeric' });
  const secret = h('input', { type: 'checkbox', id: 'poll-secret' });
  const hide = h('input', { type: 'checkbox', id: 'poll-hide' });
  const duration = select('poll-duration', [['', t('con.poll_duration_none')],
    ...DURATIONS.map((s) => [String(s), t('con.poll_duration_min', { n: s / 60 })]), ['other', t('con.poll_duration_other')]]);
  const minutes = h('input', { type: 'number', id: 'poll-minutes', min: '1', max: String(MAX_MINUTES), step: '1', inputmode: 'numeric' });
  const minutesField = field('poll-minutes', t('con.poll_duration_minutes'), minutes);
  minutesField.hidden = true;
  const override = h('input', { type: 'checkbox', id: 'poll-override' });
  const reason = h('input', { type: 'text', id: 'poll-reason', maxlength: '400' });
  const reasonField = field('poll-reason', t('con.poll_override_reason'), reason);
  reasonField.hidden = true;  // asked for only with the override
  const form = h('form', { class: 'card stack', 'aria-labelledby': 'poll-new-h' },
    h('h2', { id: 'poll-new-h', text: t('con.poll_new') }),
    field('poll-subject', t('con.poll_subject'), subject),
    h('div', { class: 'grid2' }, field('poll-method', t('con.poll_method'), method), field('poll-rule', t('con.poll_rule'), rule)),
    h('div', { class: 'grid2' }, field('poll-quorum', t('con.poll_quorum'), quorum), field('poll-duration', t('con.poll_duration'), duration)),
    minutesField,
    h('div', {}, h('label', { class: 'inline' }, secret, h('span', { text: t('con.poll_secret') }))),
    h('div', {}, h('label', { class: 'inline' }, hide, h('span', { text: t('con.poll_hide') }))),
    h('div', {}, h('label', { class: 'inline' }, override, h('span', { text: t('con.poll_override') }))),
    reasonField,
    h('button', { type: 'submit', class: 'primary', text: t('con.poll_create') }));

  // Hidden results: always for a secret poll, never for show of hands or
  // consensus (counted in the room); the president's choice otherwise.
  let hideChosen = false;
  function syncHide() {
    const electronic = method.value === 'electronic';
    hide.disabled = !electronic || secret.checked;
    hide.checked = electronic && (secret.checked || hideChosen);
  }
  hide.addEventListener('change', () => { hideChosen = hide.checked; });
  secret.addEventListener('change', syncHide);
  method.addEventListener('change', syncHide);
  duration.addEventListener('change', () => { minutesField.hidden = duration.value !== 'other'; });
  override.addEventListener('change', () => { reasonField.hidden = !override.checked; });

  function durationSeconds() {
    if (duration.value === '') return null;
    if (duration.value !== 'other') return Number(duration.value);
    const n = Number(minutes.value);
    return Number.isInteger(n) && n >= 1 && n <= MAX_MINUTES ? n * 60 : undefined;
  }

  async function act(button, fn, okMessage, step) {
    if (button) button.disabled = true;
    try {
      await fn();
      if (okMessage) say(C.status, okMessage, 'ok');
      await C.reload();
    } catch (e) {
      say(C.status, pollError(C, e, step), 'error');
    } finally {
      if (button) button.disabled = false;
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!subject.value) {
      say(C.status, t('con.err_subject'), 'error');
      subject.focus();
      return;
    }
    const seconds = durationSeconds();
    if (seconds === undefined) {
      say(C.status, t('con.err_duration'), 'error');
      minutes.focus();
      return;
    }
    const [kind, id] = subject.value.split(':');
    const body = {
      subject: { [kind]: Number(id) },
      method: method.value,
      rule: rule.value,
      quorum: quorum.value ? Number(quorum.value) : null,
      secret: secret.checked,
      hide_results: method.value === 'electronic' && hide.checked,
      closes_at: null,
      duration_seconds: seconds,
      override_slot: override.checked,
      reason: override.checked ? reason.value : null,
    };
    let created = null;
    act(ev.submitter, async () => { created = await C.post('/polls', body); }, null, 'create')
      .then(() => { if (created) say(C.status, t('con.poll_created', { id: created.id }), 'ok'); });
  });

  C.refreshPollForm = () => {
    const paras = C.draft ? C.draft.paragraphs : [];
    const options = [];
    if (C.draft) options.push([`adoption:${C.draft.n}`, t('poll.on_adoption', { n: C.draft.n })]);
    for (const a of C.amendments.filter((x) => x.status === 'admitted')) options.push([`amendment:${a.id}`, amendmentTitle(a, paras)]);
    const keep = C.pollSubject || subject.value;
    const keptLabel = subject.selectedOptions[0] ? subject.selectedOptions[0].textContent : '';
    // An amendment chosen here that can no longer be put to the vote
    // (withdrawn, or already voted on) is not silently replaced by the
    // first subject, the adoption of the whole draft: the president chooses again.
    // An amendment now being voted on, or voted on, just leaves the list.
    const gone = keep.startsWith('amendment:') && !options.some(([v]) => v === keep);
    const amendment = gone ? C.amendments.find((a) => `amendment:${a.id}` === keep) : null;
    const lost = gone && (!amendment || ['withdrawn', 'ruled_out', 'outdated'].includes(amendment.status));
    // The question stays until the president chooses.
    const asking = keep === '' && subject.options.length > 0 && subject.options[0].value === '';
    if (lost || asking) options.unshift(['', t('con.subject_choose')]);
    fill(subject, options.map(([v, label]) => h('option', { value: v, text: label, disabled: v === '' })));
    if (options.some(([v]) => v === keep)) subject.value = keep;
    if (asking) subject.value = '';
    if (lost) {
      subject.value = '';
      say(C.status, t('con.subject_gone', { subject: keptLabel || keep }), 'error');
    }
    C.pollSubject = null;
    syncHide();
  };

  function subjectLabel(p) {
    const s = p.subject || {};
    if (s.adoption !== undefined) return t('poll.on_adoption', { n: s.adoption });
    const a = C.amendments.find((x) => x.id === s.amendment);
    return a ? amendmentTitle(a, C.draft ? C.draft.paragraphs : []) : t('poll.on_amendment', { id: s.amendment });
  }

  // The counts recorded so far (0 before any); what the president types is
  // kept over the list's redraws (fillKeeping).
  function countsForm(p) {
    const recorded = p.counts || {};
    const inputs = COUNT_KEYS.map((k) => h('input', { type: 'number', min: '0', id: `count-${p.id}-${k}`, inputmode: 'numeric',
      value: String(recorded[k] ?? 0) }));
    return h('form', { class: 'row', onsubmit: (ev) => {
      ev.preventDefault();
      const [yes, no, abstain] = inputs.map((i) => Number(i.value || 0));
      act(ev.submitter, () => C.post(`/polls/${p.id}/count`, { yes, no, abstain }), t('con.counts_saved'));
    } },
    COUNT_KEYS.map((k, i) => h('label', { class: 'inline', for: `count-${p.id}-${k}` }, h('span', { text: t(`vote.${k}`) }), inputs[i])),
    h('button', { type: 'submit', text: t('con.counts_save') }));
  }

  // What the poll's counts say: the result once closed; while open, the
  // tally when it is shown, else only how many have voted (never zeros).
  function countsLine(p) {
    if (p.result) {
      const r = p.result;
      return h('p', { class: 'poll-counts', text: `${t('poll.counts', { yes: r.yes ?? 0, no: r.no ?? 0, abstain: r.abstain ?? 0 })} · ${t('con.poll_cast', { cast: r.cast ?? 0, eligible: r.eligible ?? p.eligible ?? 0 })}` });
    }
    if (p.state !== 'open') return null;
    const c = p.counts || {};
    if (c.objections !== undefined) return h('p', { class: 'poll-counts', text: t('proj.objections', { n: c.objections }) });
    if (c.yes !== undefined) {
      const cast = (c.yes || 0) + (c.no || 0) + (c.abstain || 0);
      return h('p', { class: 'poll-counts', text: `${t('poll.counts', { yes: c.yes, no: c.no ?? 0, abstain: c.abstain ?? 0 })} · ${t('con.poll_cast', { cast, eligible: p.eligible ?? 0 })}` });
    }
    if (c.cast !== undefined) return h('p', { class: 'poll-counts', text: t('con.poll_hidden_cast', { cast: c.cast, eligible: p.eligible ?? 0 }) });
    return h('p', { class: 'poll-counts muted', text: t('con.no_counts_yet') });
  }

  function termsLine(p) {
    const parts = [t('poll.terms', { method: t(`poll.method_${p.method}`), rule: t(`poll.rule_${p.rule}`),
      secret: p.secret ? t('poll.secret') : t('poll.named') })];
    if (p.quorum) parts.push(t('con.quorum_n', { n: p.quorum }));
    if (p.hide_results) parts.push(t('con.poll_hidden'));
    if (p.duration_seconds && p.state === 'pending') parts.push(t('con.poll_duration_n', { left: fmtCountdown(p.duration_seconds * 1000) }));
    return h('p', { class: 'muted', text: parts.join(' · ') });
  }

  clocksOf = C;
  if (!clockTimer) clockTimer = setInterval(drawClocks, 250);

  function pollItem(p) {
    const badge = { open: 'ok', closed: '', cancelled: 'bad' }[p.state] ?? 'warn';
    let clock = null;
    if (p.state === 'open' && p.closes_at) {
      clock = h('strong', { class: 'poll-clock', role: 'timer' });
      clocks.push({ node: clock, closes: Date.parse(p.closes_at) });
    }
    return h('li', { id: `poll-${p.id}` },
      h('p', {}, h('strong', { text: `#${p.id} · ${subjectLabel(p)}` }), ' ',
        h('span', { class: `badge ${badge}`, text: t(`poll.state_${p.state}`) })),
      termsLine(p), clock ? h('p', {}, clock) : null, countsLine(p),
      p.result ? h('p', { class: 'big', text: t(`poll.outcome_${p.result.outcome}`) }) : null,
      C.isPresident ? h('div', { class: 'row' },
        p.state === 'pending' ? h('button', { type: 'button', class: 'primary', text: t('con.poll_open'),
          onclick: (ev) => act(ev.currentTarget, () => C.post(`/polls/${p.id}/open`), t('con.poll_opened', { id: p.id }), 'open') }) : null,
        p.state === 'pending' ? h('button', { type: 'button', class: 'danger', text: t('con.poll_cancel'),
          onclick: async (ev) => {
            const button = ev.currentTarget;
            const ok = await confirmStep({ title: t('con.confirm_cancel_title', { id: p.id }), body: t('con.confirm_cancel_body'),
              confirm: t('con.confirm_cancel_ok'), back: t('con.confirm_keep') });
            if (ok) act(button, () => C.post(`/polls/${p.id}/cancel`), t('con.poll_cancelled', { id: p.id }));
          } }) : null,
        p.state === 'open' ? h('button', { type: 'button', class: 'danger', text: t('con.poll_close'),
          onclick: (ev) => act(ev.currentTarget, () => C.post(`/polls/${p.id}/close`), t('con.poll_closed', { id: p.id })) }) : null) : null,
      C.isPresident && p.state === 'open' && p.method === 'show_of_hands' ? countsForm(p) : null);
  }

  return {
    node: h('div', {}, C.isPresident ? form : h('p', { class: 'card muted', text: t('con.president_only') }),
      h('section', { class: 'card', 'aria-labelledby': 'polls-h' }, h('h2', { id: 'polls-h', text: t('con.polls') }), list)),
    update() {
      C.refreshPollForm();
      clocks.length = 0;
      fillKeeping(list, C.polls.length ? h('ul', { class: 'plain' }, [...C.polls].reverse().map(pollItem))
        : h('p', { class: 'muted', text: t('con.no_polls') }));
      drawClocks();
    },
  };
}
