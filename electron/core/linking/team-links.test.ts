// Link decisions in team mode, on a real Dovecot: a teammate's link, confirm or unlink on an X
// account reaches the other copies through the team log and is applied there (not sent back); with
// team mode off nothing is shared.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { closeTeam, openTeammate, syncMail, type Teammate } from '../team/testing/teammates';
import { World, T0, DAY } from './testing/world';

const available = dovecotAvailable();
if (!available) console.warn('skipping the team link-decision tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

describe.skipIf(!available)('link decisions shared in team mode', () => {
  let d: Dovecot;
  let root: { dir: string; cleanup: () => void } | null = null;
  const open: Teammate[] = [];
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'pw' } });
    d.seedMaildir('alice', [makeRawEmail({ from: 'Maria Kowalska <maria@cust.example>', to: 'support@biz.example', subject: 'Refund', body: 'Where is my refund?', messageId: '<r1@cust.example>' })]);
  });
  afterAll(async () => {
    await d?.stop();
  });
  afterEach(async () => {
    await closeTeam(d, open);
    root?.cleanup();
    root = null;
  });

  async function copies(enable = true): Promise<Teammate[]> {
    root = tempDir('canary-team-links-');
    const out: Teammate[] = [];
    for (const n of ['Alex', 'Bea']) {
      const t = await openTeammate(d, root.dir, n, { enable });
      open.push(t);
      await syncMail(t);
      // The same X account's post on each copy (as each copy's X sync would store it).
      new World(t.core.db).post({ id: '4242', handle: 'mk_travels', name: 'M K' }, '@ShopCo hello', T0 + 300 * DAY);
      out.push(t);
    }
    return out;
  }
  const ids = (t: Teammate) => ({
    identityId: t.core.db.prepare("SELECT id FROM identities WHERE kind = 'x' AND x_user_id = '4242'").pluck().get() as number,
    customerId: t.core.db.prepare("SELECT customer_id FROM identities WHERE address = 'maria@cust.example'").pluck().get() as number,
  });
  const linkOf = async (t: Teammate) => (await t.core.call('links.list', { identityId: ids(t).identityId }))[0]!.linked;

  it("a link made on one copy is a person's link on the other; an unlink there comes back", async () => {
    const [a, b] = await copies();
    await a!.core.call('links.link', ids(a!));
    expect(await linkOf(b!)).toBeNull();
    await a!.core.ctx.team.syncOnce();
    await b!.core.ctx.team.syncOnce();
    expect(await linkOf(b!)).toMatchObject({ email: 'maria@cust.example', state: 'confirmed', decidedBy: 'user' });
    // Applied, not sent back: Bea's copy wrote no event of its own.
    expect((await b!.core.call('team.list', {})).find((m) => m.you)?.events ?? 0).toBe(0);
    await b!.core.call('links.unlink', { identityId: ids(b!).identityId });
    await b!.core.ctx.team.syncOnce();
    await a!.core.ctx.team.syncOnce();
    expect(await linkOf(a!)).toBeNull();
  });

  it('shares nothing with team mode off', async () => {
    const [a, b] = await copies(false);
    await a!.core.call('links.link', ids(a!));
    await b!.core.call('settings.set', { team: { enabled: true, name: 'Bea', address: 'bea@biz.example' } });
    await b!.core.ctx.team.syncOnce();
    expect(await linkOf(b!)).toBeNull();
  });
});
