// Console panel: the people of the session, adding people, and join links
// with their QR codes. The server keeps tokens only as hashes, so a join
// link can be shown only when it is made: adding a person, or issuing a new
// link (which stops the old one).
import { fill, h, say } from './dom.js';
import { t } from './i18n.js';

const ROLES = ['president', 'secretariat', 'rapporteur', 'participant', 'observer'];

export function peoplePanel(C) {
  // People with a join link made during this visit (kept across redraws).
  const issued = C.issued || (C.issued = []);
  const issuedBox = h('div');
  const table = h('div');
  const name = h('input', { type: 'text', id: 'person-name', maxlength: '100', required: true });
  const roleBoxes = ROLES.map((r) => h('input', { type: 'checkbox', value: r, checked: r === 'participant' }));
  const breakout = h('select', { id: 'person-breakout' },
    h('option', { value: '', text: t('con.no_breakout') }),
    C.session.breakouts.map((b) => h('option', { value: b.id, text: b.title })));
  const form = h('form', { class: 'card stack', 'aria-labelledby': 'add-h' },
    h('h2', { id: 'add-h', text: t('con.person_add') }),
    h('div', {}, h('label', { for: 'person-name', text: t('con.person_name') }), name),
    h('fieldset', {}, h('legend', { text: t('con.person_roles') }),
      ROLES.map((r, i) => h('label', { class: 'inline' }, roleBoxes[i], h('span', { text: t(`role.${r}`) })))),
    h('div', {}, h('label', { for: 'person-breakout', text: t('rap.breakout') }), breakout),
    h('button', { type: 'submit', class: 'primary', text: t('con.person_add') }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body = { name: name.value.trim(), roles: roleBoxes.filter((b) => b.checked).map((b) => b.value) };
    if (breakout.value) body.breakout = breakout.value;
    C.act(ev.submitter, async () => {
      const p = await C.post('/people', body);
      await remember(p);
      name.value = '';
      say(C.status, t('con.person_added', { name: p.name }), 'ok');
    });
  });

  async function remember(p) {
    const at = issued.findIndex((x) => x.id === p.id);
    if (at >= 0) issued.splice(at, 1);
    issued.unshift(p);
    await drawIssued();
  }

  async function drawIssued() {
    if (!issued.length) {
      fill(issuedBox);
      return;
    }
    // The QR encoder loads only when a link is first shown.
    const { qrSvg } = await import('./qr.js');
    fill(issuedBox, h('section', { class: 'card', 'aria-labelledby': 'links-h' },
      h('div', { class: 'row spread' },
        h('h2', { id: 'links-h', text: t('con.links') }),
        h('button', { type: 'button', class: 'no-print', text: t('con.print'), onclick: () => window.print() })),
      h('p', { class: 'muted no-print', text: t('con.links_help') }),
      h('ul', { class: 'plain' }, issued.map((p) => h('li', { class: 'person-card', dataset: { person: p.id } },
        qrSvg(p.join_url, { label: t('con.qr_of', { name: p.name }) }),
        h('div', {},
          h('h3', { text: p.name }),
          h('p', { text: (p.roles || []).map((r) => t(`role.${r}`)).join(', ') }),
          h('p', { class: 'join-url' }, h('a', { href: p.join_url, text: p.join_url, class: 'join-link' }))))))));
  }

  return {
    node: h('div', {}, issuedBox, form, h('section', { class: 'card', 'aria-labelledby': 'people-h' },
      h('h2', { id: 'people-h', text: t('con.people') }), table)),
    update() {
      drawIssued();
      const breakoutTitle = (id) => (C.session.breakouts.find((b) => b.id === id) || {}).title || '';
      fill(table, h('div', { class: 'table-wrap', tabindex: '0' }, h('table', {},
        h('thead', {}, h('tr', {}, ['con.person_name', 'con.person_roles', 'rap.breakout', 'con.person_present', 'con.person_link'].map((k) => h('th', { text: t(k) })))),
        h('tbody', {}, C.people.map((p) => h('tr', {},
          h('td', { text: p.name }),
          h('td', { text: (p.roles || []).map((r) => t(`role.${r}`)).join(', ') }),
          h('td', { text: breakoutTitle(p.breakout) }),
          h('td', { text: p.present ? t('common.yes') : t('common.no') }),
          // Only the president (or the admin) replaces a link: whoever holds
          // the new one acts as that person.
          h('td', {}, !C.isPresident ? null : h('button', { type: 'button', text: t('con.new_link'), 'aria-label': t('con.new_link_for', { name: p.name }),
            onclick: (ev) => {
              if (!window.confirm(t('con.new_link_confirm', { name: p.name }))) return;
              C.act(ev.currentTarget, async () => {
                remember(await C.post(`/people/${p.id}/token`));
                say(C.status, t('con.link_made', { name: p.name }), 'ok');
              });
            } }))))))));
    },
  };
}
