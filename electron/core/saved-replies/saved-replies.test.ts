// Saved replies through the contract on a real core: save (unique names and shortcuts, unknown
// variables refused), search, render with each variable filled from imported mail (the customer's
// name, the most recent reference linking finds, the subject, the owner's name) or left visibly
// unfilled with a warning, X's version and length, usage counted on insert only, the escalation
// default, export and an import that refuses a bad file whole and loses nothing.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../shared/rpc/protocol';
import { createCore, type Core } from '../createCore';
import { makeRawEmail } from '../testing/dovecot';
import { tempDir } from '../testing/tmp';
import { nameParts } from './render';

const t = tempDir('canary-saved-replies-');
let core: Core;
let jane: number;
let bob: number;
const events: RpcEvent[] = [];

function writeMail(name: string, raw: Buffer): void {
  fs.writeFileSync(path.join(t.dir, 'mail', name), raw);
}

beforeAll(async () => {
  fs.mkdirSync(path.join(t.dir, 'mail'), { recursive: true });
  const day = 86_400_000;
  const base = Date.parse('2026-03-01T10:00:00Z');
  writeMail(
    '1.eml',
    makeRawEmail({
      from: 'Jane Doe <jane@cust.example>',
      to: 'support@biz.example',
      subject: 'Order HP-310077',
      body: 'Hello, I ordered a grinder (order HP-310077).',
      date: new Date(base),
      messageId: '<j1@cust.example>',
    }),
  );
  writeMail(
    '2.eml',
    makeRawEmail({
      from: 'Jane Doe <jane@cust.example>',
      to: 'support@biz.example',
      subject: 'Where is my parcel?',
      body: 'My second order HP-482913 has not arrived. Please help.\n\nJane',
      date: new Date(base + 5 * day),
      messageId: '<j2@cust.example>',
    }),
  );
  writeMail(
    '3.eml',
    makeRawEmail({ from: 'bob@other.example', to: 'support@biz.example', subject: 'Re: question', body: 'Do you ship to Norway?', date: new Date(base + 6 * day), messageId: '<b1@other.example>' }),
  );
  core = createCore({ dataDir: path.join(t.dir, 'data') });
  core.events.subscribe((e) => events.push(e));
  const r = await core.call('import.path', { path: path.join(t.dir, 'mail'), selfAddresses: ['support@biz.example'] });
  expect(r.imported).toBe(3);
  const list = (await core.call('conversations.list', { filter: { status: 'all' } })).items;
  jane = list.find((c) => c.subject === 'Where is my parcel?')!.id;
  bob = list.find((c) => c.subject === 'Re: question')!.id;
});

afterAll(() => {
  core?.dispose();
  t.cleanup();
});

describe('saved replies', () => {
  it('saves with unique names and shortcuts, refuses unknown variables, lists and searches', async () => {
    const shipped = await core.call('savedReplies.save', {
      name: '  Order  shipped ',
      body: 'Hi {first_name},\n\nyour order {order} is on its way.\n\n{agent}',
      xText: '@you {first_name}, order {order} shipped!',
      tags: ['orders', ' shipping '],
      shortcut: ';ship',
    });
    expect(shipped).toMatchObject({ name: 'Order shipped', tags: ['orders', 'shipping'], shortcut: 'ship', usageCount: 0, escalationDefault: false });
    expect(events.some((e) => e.name === 'savedReplies.changed')).toBe(true);
    await expect(core.call('savedReplies.save', { name: 'order SHIPPED', body: 'x' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already exists/) });
    await expect(core.call('savedReplies.save', { name: 'Other', body: 'x', shortcut: 'SHIP' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/shortcut "SHIP" is already used/),
    });
    await expect(core.call('savedReplies.save', { name: 'Typo', body: 'Hi {frist_name}' })).rejects.toMatchObject({
      code: 'invalid_args',
      message: expect.stringMatching(/\{frist_name\}, which is not a variable/),
    });
    await expect(core.call('savedReplies.save', { name: 'Empty', body: '   ' })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(core.call('savedReplies.save', { name: 'Bad shortcut', body: 'x', shortcut: 'two words' })).rejects.toMatchObject({ code: 'invalid_args' });
    const refund = await core.call('savedReplies.save', { name: 'Refund issued', body: 'Dear {first_name} {last_name}, about "{subject}": your refund is on its way.' });
    expect((await core.call('savedReplies.list', {})).map((r) => r.name)).toEqual(['Order shipped', 'Refund issued']);
    expect((await core.call('savedReplies.search', { q: 'refund' })).map((r) => r.id)).toEqual([refund.id]);
    expect((await core.call('savedReplies.search', { q: ';ship' })).map((r) => r.id)).toEqual([shipped.id]);
    expect((await core.call('savedReplies.search', { q: 'way order' })).map((r) => r.id)).toEqual([shipped.id]);
    expect(await core.call('savedReplies.search', { q: '100%' })).toEqual([]);
    // Editing keeps what is not given and the usage count.
    const edited = await core.call('savedReplies.save', { id: refund.id, name: 'Refund issued', body: 'Dear {first_name} {last_name}, about "{subject}": your refund is on its way. {agent}' });
    expect(edited).toMatchObject({ id: refund.id, tags: [], xText: null });
    await expect(core.call('savedReplies.get', { id: 999 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('renders each variable from what Canary knows, and leaves the unknown ones visible with a warning', async () => {
    const [shipped, refund] = await core.call('savedReplies.list', {});
    // No agent name yet.
    let r = await core.call('savedReplies.render', { id: shipped!.id, conversationId: jane });
    expect(r.version).toBe('email');
    expect(r.values).toMatchObject({ first_name: 'Jane', last_name: 'Doe', order: 'HP-482913', subject: 'Where is my parcel?', agent: null });
    expect(r.text).toBe('Hi Jane,\n\nyour order HP-482913 is on its way.\n\n{agent}');
    expect(r.unfilled).toEqual(['agent']);
    expect(r.warnings).toEqual([expect.stringMatching(/Your name is not set.*\{agent\} is left for you to fill in/)]);
    expect(r.length).toBeNull();

    await core.call('settings.set', { agentName: '  Sam   Baker ' });
    expect((await core.call('settings.get', {})).agentName).toBe('Sam Baker');
    r = await core.call('savedReplies.render', { id: refund!.id, conversationId: jane });
    expect(r.text).toBe('Dear Jane Doe, about "Where is my parcel?": your refund is on its way. Sam Baker');
    expect(r.unfilled).toEqual([]);
    expect(r.warnings).toEqual([]);

    // Bob: an address, no name, no reference; "Re:" is not part of the subject.
    r = await core.call('savedReplies.render', { id: shipped!.id, conversationId: bob });
    expect(r.text).toBe('Hi {first_name},\n\nyour order {order} is on its way.\n\nSam Baker');
    expect(r.unfilled).toEqual(['first_name', 'order']);
    expect(r.warnings).toEqual([expect.stringMatching(/first name is not known/), expect.stringMatching(/No order or reference number was found/)]);
    expect(r.values.subject).toBe('question');
    await expect(core.call('savedReplies.render', { id: shipped!.id, conversationId: 99_999 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('counts a use on insert only', async () => {
    const shipped = (await core.call('savedReplies.list', {}))[0]!;
    const before = shipped.usageCount;
    await core.call('savedReplies.render', { id: shipped.id, conversationId: jane });
    expect((await core.call('savedReplies.get', { id: shipped.id })).usageCount).toBe(before);
    const inserted = await core.call('savedReplies.render', { id: shipped.id, conversationId: jane, insert: true });
    expect(inserted.usageCount).toBe(before + 1);
    await core.call('savedReplies.render', { id: shipped.id, conversationId: bob, insert: true });
    const after = await core.call('savedReplies.get', { id: shipped.id });
    expect(after.usageCount).toBe(before + 2);
    expect(after.lastUsedAt).toBeGreaterThan(0);
  });

  it('exports, and imports a file back; a malformed file is refused whole and nothing is lost', async () => {
    const file = await core.call('savedReplies.export', {});
    expect(file).toMatchObject({ format: 'canary.saved-replies', version: 1 });
    expect(file.replies.map((r) => r.name)).toEqual(['Order shipped', 'Refund issued']);
    const before = await core.call('savedReplies.list', {});

    const refused = async (text: string, message: RegExp) => {
      await expect(core.call('savedReplies.import', { text })).rejects.toMatchObject({ code: 'invalid_args', message });
      expect(await core.call('savedReplies.list', {})).toEqual(before);
    };
    await refused('{"format": "canary.saved-replies", ', /not valid JSON.*nothing was imported/);
    await refused(JSON.stringify({ format: 'something-else', version: 1, replies: [] }), /not a Canary saved-replies file/);
    await refused(JSON.stringify({ ...file, version: 2 }), /unknown saved-replies file version/);
    // One bad entry among good ones: none of them is imported.
    await refused(
      JSON.stringify({
        ...file,
        replies: [
          { name: 'New one', body: 'Fine' },
          { name: 'Broken', body: 'Hi {nmae}' },
        ],
      }),
      /replies\[1\]\.body: the email text uses \{nmae\}/,
    );
    await refused(
      JSON.stringify({
        ...file,
        replies: [
          { name: 'Twice', body: 'a' },
          { name: 'twice', body: 'b' },
        ],
      }),
      /names "twice" twice/,
    );
    await refused(JSON.stringify({ ...file, replies: [{ name: 'No body' }] }), /replies\[0\]\.body/);

    // A good file: existing names are kept unless replace; new ones are added with their usage.
    const next = { ...file, replies: [...file.replies.map((r) => ({ ...r, body: `${r.body} (imported)` })), { name: 'Thanks', body: 'Thank you, {first_name}!', usageCount: 4 }] };
    const text = JSON.stringify(next);
    expect(await core.call('savedReplies.import', { text })).toEqual({ added: 1, replaced: 0, skipped: ['Order shipped', 'Refund issued'] });
    expect((await core.call('savedReplies.list', {})).find((r) => r.name === 'Order shipped')!.body).not.toMatch(/imported/);
    expect((await core.call('savedReplies.list', {})).find((r) => r.name === 'Thanks')!.usageCount).toBe(4);
    expect(await core.call('savedReplies.import', { text, replace: true })).toEqual({ added: 0, replaced: 3, skipped: [] });
    const shipped = (await core.call('savedReplies.list', {})).find((r) => r.name === 'Order shipped')!;
    expect(shipped.body).toMatch(/\(imported\)$/);
    expect(shipped.usageCount).toBe(before.find((r) => r.name === 'Order shipped')!.usageCount);
  });

  it('one escalation default gives the public X text; removing works once', async () => {
    expect(await core.call('savedReplies.escalationDefault', { conversationId: jane })).toBeNull();
    const a = await core.call('savedReplies.save', {
      name: 'Sorry public',
      body: 'Long email apology, {first_name}.',
      xText: "Sorry {first_name}, we're on it: check your DMs. {agent}",
      escalationDefault: true,
    });
    const b = await core.call('savedReplies.save', { name: 'Sorry public 2', body: 'Another apology, {first_name}.', escalationDefault: true });
    expect((await core.call('savedReplies.get', { id: a.id })).escalationDefault).toBe(false);
    let r = await core.call('savedReplies.escalationDefault', { conversationId: jane });
    expect(r).toMatchObject({ savedReplyId: b.id, version: 'email', text: 'Another apology, Jane.' });
    expect(r!.warnings[0]).toMatch(/has no X version/);
    await core.call('savedReplies.save', { id: a.id, name: 'Sorry public', body: a.body, escalationDefault: true });
    r = await core.call('savedReplies.escalationDefault', { conversationId: jane });
    expect(r).toMatchObject({ savedReplyId: a.id, version: 'x', text: "Sorry Jane, we're on it: check your DMs. Sam Baker", length: { maxLength: 280, valid: true } });
    // Too long once filled: said, with the count.
    await core.call('savedReplies.save', { id: a.id, name: 'Sorry public', body: a.body, xText: `{first_name} ${'x'.repeat(276)}`, escalationDefault: true });
    r = await core.call('savedReplies.escalationDefault', { conversationId: jane });
    expect(r!.length).toMatchObject({ weightedLength: 281, valid: false });
    expect(r!.warnings.at(-1)).toMatch(/281 characters as X counts them; the limit is 280/);
    expect(await core.call('savedReplies.remove', { id: b.id })).toEqual({ removed: true });
    expect(await core.call('savedReplies.remove', { id: b.id })).toEqual({ removed: false });
  });
});

describe('nameParts', () => {
  it('reads first and last names as written', () => {
    expect(nameParts('Jane Doe')).toEqual({ first: 'Jane', last: 'Doe' });
    expect(nameParts('Doe, Jane')).toEqual({ first: 'Jane', last: 'Doe' });
    expect(nameParts('JOSÉ GARCÍA')).toEqual({ first: 'José', last: 'García' });
    expect(nameParts('Dr. Anna McDonald 🌻')).toEqual({ first: 'Anna', last: 'McDonald' });
    expect(nameParts('jane')).toEqual({ first: 'Jane', last: null });
    expect(nameParts('jane@cust.example')).toEqual({ first: null, last: null });
    expect(nameParts('')).toEqual({ first: null, last: null });
  });
});

describe('saved replies on X', () => {
  const t2 = tempDir('canary-saved-replies-x-');
  afterAll(() => t2.cleanup());
  it("uses the X text and X's length for an X conversation, the email text with a warning when there is none", async () => {
    const c2 = createCore({ dataDir: t2.dir });
    try {
      await c2.call('demo.load', { seed: 3, customers: 40 });
      const x = (await c2.call('conversations.list', { filter: { channel: 'x', kind: 'tweet', status: 'all' } })).items[0]!;
      const withX = await c2.call('savedReplies.save', { name: 'Public', body: 'A long email body for {first_name}.', xText: 'Hi {first_name}, DM us please.' });
      const r = await c2.call('savedReplies.render', { id: withX.id, conversationId: x.id });
      expect(r.version).toBe('x');
      expect(r.length).toMatchObject({ maxLength: 280, valid: true });
      expect(r.text).toMatch(/^Hi .+, DM us please\.$/);
      const emailOnly = await c2.call('savedReplies.save', { name: 'Email only', body: 'Hello {first_name}' });
      const r2 = await c2.call('savedReplies.render', { id: emailOnly.id, conversationId: x.id });
      expect(r2.version).toBe('email');
      expect(r2.warnings[0]).toMatch(/"Email only" has no X version/);
    } finally {
      c2.dispose();
    }
  });
});
