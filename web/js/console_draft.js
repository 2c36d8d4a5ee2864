// Console panels for the conclusions document: drafts (merge, duplicates,
// editorial edits, sources and changes: console_sources.js) and the
// amendments queue (the polls are in console_polls.js).
import { fill, fillKeeping, h, renderDiff, say, wordDiff } from './dom.js';
import { amendmentHunks, amendmentTitle, paraLabel, renderDraft, statusClass } from './doc.js';
import { fmtDateTime, t } from './i18n.js';
import { personName } from './page.js';
import { compareCard, duplicatesCard, sourceLine, staleCard } from './console_sources.js';

const phaseOf = (C) => (C.live ? C.live.phase : C.session.phase);
const radio = (name, value, label, checked = false) => h('label', { class: 'inline' },
  h('input', { type: 'radio', name, value, checked }), ' ', h('span', { text: label }));
const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id, text: label }), control);

// ---- drafts ------------------------------------------------------------------------
export function draftPanel(C) {
  const edits = [];  // pending editorial edits: {op, pid, text}
  let target = null;
  const history = h('div');
  const dups = h('div');
  const pending = h('div');
  const doc = h('div');
  const kindBox = h('fieldset', {}, h('legend', { text: t('con.edit_kind') }),
    radio('edit-kind', 'replace', t('amend.kind_replace'), true),
    radio('edit-kind', 'insert_after', t('amend.kind_insert_after')),
    radio('edit-kind', 'delete', t('amend.kind_delete')));
  const text = h('textarea', { id: 'edit-text' });
  const preview = h('div');
  const editTitle = h('h2', { id: 'edit-h' });
  const editCard = h('section', { class: 'card', 'aria-labelledby': 'edit-h', hidden: true },
    editTitle, kindBox, field('edit-text', t('con.edit_text'), text), preview,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', text: t('con.edit_add'), onclick: addEdit }),
      h('button', { type: 'button', text: t('common.cancel'), onclick: () => { editCard.hidden = true; } })));

  function kind() {
    return kindBox.querySelector('input:checked').value;
  }
  function drawPreview() {
    const k = kind();
    text.parentElement.hidden = k === 'delete';
    const original = target ? target.markdown || '' : '';
    fill(preview, renderDiff(k === 'delete' ? [{ op: 'delete', text: original }]
      : k === 'insert_after' ? [{ op: 'insert', text: text.value }] : wordDiff(original, text.value)));
  }
  kindBox.addEventListener('change', drawPreview);
  text.addEventListener('input', drawPreview);

  function startEdit(p) {
    target = p;
    editCard.hidden = false;
    editTitle.textContent = t('con.edit_of', { target: paraLabel(p) });
    text.value = p.markdown || '';
    kindBox.querySelector('input[value="replace"]').checked = true;
    drawPreview();
    editCard.scrollIntoView();
    text.focus();
  }
  function addEdit() {
    const k = kind();
    edits.push({ op: k, pid: target.pid, label: paraLabel(target), original: target.markdown || '', text: k === 'delete' ? undefined : text.value });
    editCard.hidden = true;
    drawPending();
  }
  // Edits whose paragraph no longer reads as it did when the edit was made
  // (a merge or another edit since): applied, they would overwrite that
  // change unseen, so they are shown as such and never sent.
  function staleEdits() {
    const now = new Map((C.draft ? C.draft.paragraphs : []).map((p) => [p.pid, p.markdown || '']));
    return edits.filter((e) => now.get(e.pid) !== e.original);
  }
  function drawPending() {
    const stale = new Set(staleEdits());
    if (!edits.length) {
      fill(pending);
      return;
    }
    fill(pending, h('section', { class: 'card', 'aria-labelledby': 'pending-h' },
      h('h2', { id: 'pending-h', text: t('con.edits_pending', { n: edits.length }) }),
      // Each edit with what it will change, before it is applied.
      h('ul', { class: 'plain' }, edits.map((e, i) => h('li', { class: 'pending-edit' },
        h('p', {}, h('span', { text: t('con.edit_line', { kind: t(`amend.kind_${e.op}`), target: e.label }) }), ' ',
          h('button', { type: 'button', class: 'danger', text: t('con.remove'), onclick: () => { edits.splice(i, 1); drawPending(); } })),
        stale.has(e) ? h('p', { class: 'notice', text: t('con.edit_stale', { n: C.draft.n }) }) : null,
        renderDiff(e.op === 'delete' ? [{ op: 'delete', text: e.original }]
          : e.op === 'insert_after' ? [{ op: 'insert', text: e.text }] : wordDiff(e.original, e.text))))),
      h('button', { type: 'button', class: 'primary', text: t('con.edits_apply'),
        onclick: (ev) => {
          const changed = staleEdits();
          if (changed.length) {
            say(C.status, t('con.edits_stale', { targets: changed.map((e) => e.label).join(', '), n: C.draft.n }), 'error');
            return;
          }
          C.act(ev.currentTarget, async () => {
            const body = edits.map((e) => (e.op === 'delete' ? { delete: e.pid } : { [e.op]: e.pid, text: e.text }));
            const d = await C.post('/drafts', { base: C.draft.n, edits: body });
            edits.length = 0;
            drawPending();
            say(C.status, t('con.draft_made', { n: d.n }), 'ok');
          });
        } })));
  }

  const stale = staleCard(C);
  const compare = compareCard(C);
  const node = h('div', {},
    h('section', { class: 'card', 'aria-labelledby': 'drafts-h' }, h('h2', { id: 'drafts-h', text: t('con.drafts') }), history),
    stale.node, compare.node, dups, editCard, pending,
    h('section', { class: 'card', 'aria-labelledby': 'doc-h' }, h('h2', { id: 'doc-h', text: t('con.current_draft') }), doc));
  return {
    node,
    update() {
      // The table scrolls sideways on a phone: a keyboard must reach it.
      fill(history, C.drafts.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'drafts-h' }, h('table', {},
        h('thead', {}, h('tr', {}, ['con.draft_n', 'rap.when', 'rap.author', 'con.reason', 'con.sha'].map((k) => h('th', { text: t(k) })))),
        h('tbody', {}, C.drafts.map((d) => h('tr', {},
          h('td', { text: d.n }), h('td', { text: fmtDateTime(d.created_at) }), h('td', { text: personName(d.created_by, C.people) }),
          h('td', { text: d.reason || (d.kind ? t(`con.draft_kind_${d.kind}`) : '') }),
          h('td', { class: 'sha', text: (d.sha256 || '').slice(0, 12) }))))))
        : h('p', { class: 'muted', text: t('con.no_drafts') }));
      const duplicates = (C.draft && C.draft.duplicates) || [];
      const paras = C.draft ? C.draft.paragraphs : [];
      fill(dups, duplicatesCard(C, duplicates, paras));
      stale.update();
      compare.update();
      drawPending();
      const dupPids = new Set(duplicates.flatMap((d) => [d.a, d.b]));
      const editable = phaseOf(C) === 'drafting';
      fill(doc, C.draft ? renderDraft(C.draft, {
        headingLevel: 'h3',
        mark: (p) => (dupPids.has(p.pid) ? 'dup' : ''),
        extra: (p) => {
          const source = sourceLine(C, p);
          const edit = editable ? h('button', { type: 'button', text: t('con.edit'),
            'aria-label': t('con.edit_label', { target: paraLabel(p) }), onclick: () => startEdit(p) }) : null;
          return source || edit ? [source, edit] : null;
        },
      }) : h('p', { class: 'muted', text: t('draft.none') }));
    },
  };
}

// ---- amendments ----------------------------------------------------------------------
export function amendmentsPanel(C) {
  const list = h('div');
  const node = h('section', { class: 'card', 'aria-labelledby': 'am-h' },
    h('h2', { id: 'am-h', text: t('con.amendments') }),
    h('p', { class: 'muted', text: t('con.amendments_help') }), list);

  function decide(a, decision, reasonInput, button) {
    return C.act(button, () => C.post(`/amendments/${a.id}/decision`, { decision, reason: reasonInput.value }),
      t(`con.decided_${decision}`, { id: a.id }));
  }

  return {
    node,
    update() {
      const paras = C.draft ? C.draft.paragraphs : [];
      if (!C.amendments.length) {
        fill(list, h('p', { class: 'muted', text: t('part.no_amendments') }));
        return;
      }
      fillKeeping(list, h('ul', { class: 'plain' }, C.amendments.map((a) => {
        const conflicts = a.conflicts_with || [];
        const reason = h('input', { type: 'text', id: `reason-${a.id}`, maxlength: '400' });
        return h('li', { class: conflicts.length ? 'conflict' : '', id: `amendment-${a.id}` },
          h('p', {}, h('strong', { text: amendmentTitle(a, paras) }), ' ',
            h('span', { class: `badge ${statusClass(a.status)}`, text: t(`amend.status_${a.status}`) }), ' ',
            h('span', { class: 'muted', text: t('con.proposed_by', { name: personName(a.proposer, C.people) }) })),
          conflicts.length ? h('p', { class: 'badge warn', text: t('con.conflicts_with', { ids: conflicts.map((x) => `#${x}`).join(', ') }) }) : null,
          renderDiff(amendmentHunks(a)),
          a.rationale ? h('p', { class: 'muted' }, t('amend.rationale'), ' ', a.rationale) : null,
          a.reason ? h('p', { class: 'muted', text: t('con.decision_reason', { reason: a.reason }) }) : null,
          C.isPresident && a.status === 'proposed' ? h('div', { class: 'row' },
            h('label', { for: `reason-${a.id}`, class: 'inline', text: t('con.reason') }), reason,
            h('button', { type: 'button', class: 'primary', text: t('con.admit'), onclick: (ev) => decide(a, 'admit', reason, ev.currentTarget) }),
            h('button', { type: 'button', class: 'danger', text: t('con.rule_out'), onclick: (ev) => decide(a, 'rule_out', reason, ev.currentTarget) })) : null,
          C.isPresident && a.status === 'admitted' ? h('button', { type: 'button', text: t('con.to_vote'),
            onclick: () => { C.pollSubject = `amendment:${a.id}`; C.selectTab('polls'); } }) : null);
      })));
    },
  };
}
