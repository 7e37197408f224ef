// `canary team` and `canary conversations show|set` on a real Dovecot: two teammates, each with their
// own database made by the CLI, share status, assignee and tags through the team log; a change made
// while the server is down waits in the outbox and reaches the other after it comes back.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addImapAccount, cli } from '../testing';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../../core/testing/dovecot';
import { tempDir } from '../../core/testing/tmp';

const haveDovecot = dovecotAvailable();
if (!haveDovecot) console.warn('skipping canary team / conversations tests: dovecot is not installed (apt-get install -y dovecot-imapd)');

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.skipIf(!haveDovecot)('canary team and canary conversations', () => {
  let d: Dovecot;
  beforeAll(async () => {
    d = await Dovecot.start({ users: { alice: 'secret' } });
    d.save('alice', makeRawEmail({ from: 'Maria Kowalski <maria@cust.example>', to: 'support@biz.example', subject: 'Refund for HP-1', body: 'Where is my refund?', messageId: '<r1@cust.example>' }));
  }, 30_000);
  afterAll(async () => {
    await d?.stop();
  });

  async function ok(args: string[]): Promise<string[]> {
    const r = await cli(args);
    expect(r.code, `${args.join(' ')}: ${r.err.join('\n')}`).toBe(0);
    return r.out;
  }

  async function teammate(dir: string, name: string): Promise<string> {
    const db = path.join(dir, name, 'canary.db');
    await addImapAccount(db, d, { name: 'Support', user: 'alice', password: 'secret' });
    await ok(['--db', db, 'sync']);
    expect(await ok(['--db', db, 'team', 'on', '--name', name, '--address', `${name.toLowerCase()}@biz.example`])).toEqual([`team mode on as ${name} <${name.toLowerCase()}@biz.example>`]);
    return db;
  }

  it('set on one copy, show and team on the other; bad input refused with the reason; offline changes wait and arrive', async () => {
    const t = tempDir('canary-cli-team-');
    cleanups.push(t.cleanup);
    const alex = await teammate(t.dir, 'Alex');
    const bea = await teammate(t.dir, 'Bea');

    // Before team mode: show works, with the local state and no history.
    const plain = path.join(t.dir, 'Solo', 'canary.db');
    await addImapAccount(plain, d, { name: 'S', user: 'alice', password: 'secret' });
    await ok(['--db', plain, 'sync']);
    expect((await ok(['--db', plain, 'conversations', 'show', '1'])).join('\n')).toMatch(/status: {3}open[\s\S]*team mode is off/);
    const refused = await cli(['--db', plain, 'conversations', 'set', '1', '--assign', 'me']);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(/conflict: Assigning needs team mode/);

    const set = await ok(['--db', alex, 'conversations', 'set', '1', '--status', 'done', '--assign', 'me', '--tag', 'VIP']);
    expect(set[0]).toBe('#1  Refund for HP-1  (Maria Kowalski)');
    expect(set).toEqual(expect.arrayContaining(['status:   done', 'assignee: Alex <alex@biz.example>', 'tags:     VIP']));
    expect(set.filter((l) => /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}Alex <alex@biz\.example> {2}/.test(l)).map((l) => l.split('  ').pop())).toEqual([
      'assigned to Alex',
      'set status to done',
      'tagged VIP',
    ]);

    // Bea's copy reads the log first: Alex's changes, with him as their author.
    const shown = JSON.parse((await ok(['--db', bea, 'conversations', 'show', '1', '--json']))[0]!);
    expect(shown).toMatchObject({ id: 1, enabled: true, status: 'done', tags: ['VIP'], assignee: { name: 'Alex', address: 'alex@biz.example' }, subject: 'Refund for HP-1' });
    expect(shown.history.map((h: { author: { name: string }; text: string }) => `${h.author.name}: ${h.text}`)).toEqual(['Alex: assigned to Alex', 'Alex: set status to done', 'Alex: tagged VIP']);
    const team = (await ok(['--db', bea, 'team', '--json'])).map((l) => JSON.parse(l));
    expect(team.map((m) => [m.name, m.you, m.events])).toEqual([
      ['Alex', false, 3],
      ['Bea', true, 0],
    ]);
    expect((await ok(['--db', bea, 'team']))[0]).toMatch(/^Alex <alex@biz\.example> {2}last active just now \(\d{4}-\d\d-\d\d \d\d:\d\d, conversation\.\w+\) {2}3 event\(s\)$/);

    // Bad input: a clear reason, nothing changed.
    for (const [args, why] of [
      [['set', '1', '--assign', 'Nobody'], /no teammate "Nobody" in the team log \(known: Alex <alex@biz\.example>, Bea <bea@biz\.example>\)/],
      [['set', '1', '--status', 'closed'], /--status must be one of open, waiting, done, got "closed"/],
      [['set', '1', '--assign', 'Alex', '--unassign'], /give --assign NAME or --unassign, not both/],
      [['set', '1'], /nothing to set/],
      [['set', 'x1', '--status', 'done'], /a conversation id is a positive number/],
      [['show', '99'], /not_found: No conversation 99/],
      [['list'], /conversations needs show or set/],
    ] as const) {
      const r = await cli(['--db', bea, 'conversations', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.join('\n')).toMatch(why);
    }
    expect(JSON.parse((await ok(['--db', bea, 'conversations', 'show', '1', '--json']))[0]!)).toMatchObject({ status: 'done', assignee: { name: 'Alex' } });

    // The server goes away: Bea's change is kept and said to wait.
    await d.kill();
    let offline;
    try {
      offline = await cli(['--db', bea, 'conversations', 'set', '1', '--status', 'open', '--unassign']);
    } finally {
      await d.restart();
    }
    expect(offline.code, offline.err.join('\n')).toBe(0);
    expect(offline.err.join('\n')).toMatch(/The team log's server is unreachable .*2 change\(s\) wait in the outbox/);
    expect(offline.out).toEqual(expect.arrayContaining(['status:   open', 'assignee: nobody']));
    // Back: Bea's next command sends them, Alex's next one reads them.
    await ok(['--db', bea, 'team']);
    const back = JSON.parse((await ok(['--db', alex, 'conversations', 'show', '1', '--json']))[0]!);
    expect(back).toMatchObject({ status: 'open', assignee: null });
    expect(back.history.slice(-2).map((h: { author: { name: string }; text: string }) => `${h.author.name}: ${h.text}`)).toEqual(['Bea: unassigned', 'Bea: set status to open']);
    const off = await ok(['--db', bea, 'team', 'off']);
    expect(off).toEqual(['team mode off']);
  }, 120_000);
});
