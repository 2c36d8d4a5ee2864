// The paragraphs of a draft as the participant's page names them: the
// preamble (title and date line) is not amendable; every other paragraph
// that has no recommendation number (R1, R2, ...) gets a running number, so
// that a button reads "Amend paragraph 3" and a title "¶ 3"; and each
// paragraph says where its text came from.
import { h } from './dom.js';
import { t } from './i18n.js';

export function isAmendable(p) {
  return p.kind !== 'heading' && p.section !== 'preamble' && !(p.source && p.source.kind === 'preamble');
}

// The draft's paragraphs with `number` filled in ("¶ 3" beside "R2") and
// `spoken` (the name read out: "paragraph 3", "recommendation R2").
export function numberParagraphs(paragraphs) {
  let n = 0;
  return (paragraphs || []).map((p) => {
    if (!isAmendable(p)) return { ...p, spoken: '' };
    if (p.number) return { ...p, spoken: t('part.recommendation_n', { number: p.number }) };
    n += 1;
    return { ...p, number: `¶ ${n}`, spoken: t('part.paragraph_n', { n }) };
  });
}

function breakoutTitle(session, id) {
  const b = ((session && session.breakouts) || []).find((x) => x.id === id);
  return b ? b.title : id;
}

// "Source: Complementarity in partnership approaches, fragment version 4".
export function sourceLine(p, session) {
  const s = p.source || {};
  const breakout = s.breakout ? breakoutTitle(session, s.breakout) : '';
  let text = '';
  if (s.kind === 'fragment') text = t('part.source_fragment', { breakout, version: s.version });
  else if (s.kind === 'amendment') text = t(breakout ? 'part.source_amendment_from' : 'part.source_amendment', { id: s.amendment, breakout });
  else if (s.kind === 'edit') text = t(breakout ? 'part.source_edit_from' : 'part.source_edit', { n: s.draft, breakout });
  return text ? h('p', { class: 'source muted', text }) : null;
}
