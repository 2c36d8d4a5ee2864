// The Kisumu sample brought, through the API, to the moment the room looks
// at its screens: both breakouts' notes saved as fragments, Draft 1 merged,
// the session amending, one amendment proposed and admitted, and an open
// named vote on it with a few ballots cast. Used by the tests that look at
// every role's page (screenshots) and time a phone's first load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sampleSessionNow } from './harness.mjs';

export const PRESIDENT = 'President of the session';
export const SECRETARIAT = 'Moderator';
export const RAPPORTEUR = 'Rapporteur, Breakout 1';
export const PARTICIPANT = 'Panellist, Vice-Mayor of Sfax';
const VOTERS = ['Panellist, Lord Mayor of Kumasi', 'Panellist, YARID', 'Panellist, UN-Habitat'];

function notes(breakout) {
  return readFileSync(join(ROOT, 'samples/kisumu-2022/notes', `${breakout}.md`), 'utf8');
}

// Returns {sid, people, draft, amendment, poll}; throws naming the call that
// failed, so a broken API shows as such rather than as a blank screenshot.
export async function kisumuInAmending(srv) {
  const session = await srv.createSession(sampleSessionNow());
  const { sid, people } = session;
  const call = async (who, method, rest, body) => {
    const r = await srv.api(method, `/api/v1/sessions/${sid}${rest}`, { token: people[who].token, body });
    if (r.status >= 300) throw new Error(`${who}: ${method} ${rest}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await call(RAPPORTEUR, 'POST', '/breakouts/complementarity/fragments',
    { title: 'Complementarity in partnership approaches', body: notes('complementarity') });
  await call('Rapporteur, Breakout 2', 'POST', '/breakouts/sustainability/fragments',
    { title: 'Sustainability in partnership approaches', body: notes('sustainability') });
  await call(SECRETARIAT, 'POST', '/drafts', { merge: true });
  await call(PRESIDENT, 'POST', '/phase', { phase: 'amending' });
  const draft = await call(PARTICIPANT, 'GET', '/drafts/current');
  const target = draft.paragraphs.find((p) => p.number === 'R1') || draft.paragraphs.find((p) => p.kind !== 'heading');
  const amendment = await call(PARTICIPANT, 'POST', '/amendments', {
    draft: draft.n,
    target: target.pid,
    kind: 'replace',
    text: `${target.markdown.replace(/^\d+\.\s*/, '')} Women- and youth-led organisations take part from the start.`,
    rationale: 'Name who must be at the table.',
  });
  await call(PRESIDENT, 'POST', `/amendments/${amendment.id}/decision`, { decision: 'admit', reason: null });
  const poll = await call(PRESIDENT, 'POST', '/polls', {
    subject: { amendment: amendment.id }, method: 'electronic', rule: 'simple', quorum: null, secret: false,
    closes_at: null, override_slot: false, reason: null,
  });
  await call(PRESIDENT, 'POST', `/polls/${poll.id}/open`, {});
  for (const [i, voter] of VOTERS.entries()) {
    await call(voter, 'POST', `/polls/${poll.id}/ballots`, { choice: i === 2 ? 'no' : 'yes' });
  }
  return { sid, people, draft, amendment, poll };
}
