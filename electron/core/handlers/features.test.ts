// The app-facing features through the contract, against real servers: import a folder (progress
// events, summary with per-file problems), open an attachment (bytes, never outside the folder),
// tags (counts, add/remove, the queue filter), forward with the attachment to a real SMTP peer
// (npm smtp-server), and connect X against the local X API v2 server (tokens and Sign in with X).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountsOf, onChannel } from '../../../shared/contract/accounts';
import type { AppError } from '../../../shared/contract/errors';
import type { RpcEvent } from '../../../shared/rpc/protocol';
import { createCore, type Core } from '../createCore';
import { parseEmail } from '../email/parse';
import { PDF, writeMailFolder } from '../testing/mailFolder';
import { tempDir } from '../testing/tmp';
import { smallData } from '../x/testing/fixtures';
import { startXServer } from '../x/testing/server';
import { startSmtpPeer } from '../testing/smtpPeer';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function newCore(): { core: Core; dir: string } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: path.join(t.dir, 'data') });
  cleanups.push(() => core.close());
  return { core, dir: t.dir };
}

describe('import.path', () => {
  it('imports a folder with progress events and a summary that names the file it could not read', async () => {
    const { core, dir } = newCore();
    const folder = writeMailFolder(dir);
    const events: RpcEvent[] = [];
    core.events.subscribe((e) => events.push(e));
    const r = await core.call('import.path', { path: folder, importId: 'imp-1', selfAddresses: ['support@shop.test'] });
    expect(r).toMatchObject({ importId: 'imp-1', path: folder, files: 2, imported: 2, duplicates: 0, conversations: 1, problemCount: 1 });
    expect(r.problems[0]!.file).toBe(path.join(folder, 'notes.bin'));
    expect(r.problems[0]!.reason).toMatch(/not a format Canary imports/);
    const progress = events.filter((e) => e.name === 'import.progress').map((e) => e.payload);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ importId: 'imp-1', importer: expect.any(String), done: 2, total: 2 });
    // Progress carries counts only.
    for (const p of progress) expect(Object.keys(p as object).sort()).toEqual(['done', 'importId', 'importer', 'total']);
    expect(events.some((e) => e.name === 'conversations.changed')).toBe(true);
    // Again: nothing stored twice.
    const again = await core.call('import.path', { path: folder });
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('refuses relative paths, missing paths and a second import at once, with clear messages', async () => {
    const { core, dir } = newCore();
    await expect(core.call('import.path', { path: 'mail' })).rejects.toThrow(/full path/);
    await expect(core.call('import.path', { path: path.join(dir, 'nope') })).rejects.toMatchObject({ code: 'not_found' });
    const folder = writeMailFolder(dir);
    const [a, b] = await Promise.allSettled([core.call('import.path', { path: folder }), core.call('import.path', { path: folder })]);
    expect(a.status).toBe('fulfilled');
    expect(b.status === 'rejected' && (b.reason as AppError).code).toBe('conflict');
  });
});

async function importedConversation(core: Core, dir: string): Promise<{ convId: number; attachmentId: number }> {
  await core.call('import.path', { path: writeMailFolder(dir), selfAddresses: ['support@shop.test'] });
  const page = await core.call('conversations.list', { filter: { status: 'all' } });
  const convId = page.items[0]!.id;
  const detail = await core.call('conversations.get', { id: convId });
  const att = detail.messages.flatMap((m) => m.attachments)[0]!;
  return { convId, attachmentId: att.id };
}

describe('attachments.get', () => {
  it('returns the bytes with the filename and type, and refuses damaged rows or files', async () => {
    const { core, dir } = newCore();
    const { attachmentId } = await importedConversation(core, dir);
    const a = await core.call('attachments.get', { id: attachmentId });
    expect(a).toMatchObject({ filename: 'invoice-7781.pdf', mimeType: 'application/pdf', size: PDF.length });
    expect(Buffer.from(a.base64, 'base64').equals(PDF)).toBe(true);
    await expect(core.call('attachments.get', { id: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
    // A row whose sha256 was tampered into a path never reads outside the attachments folder.
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    const msgId = core.db.prepare('SELECT message_id FROM attachments WHERE id = ?').pluck().get(attachmentId) as number;
    const bad = Number(
      core.db.prepare("INSERT INTO attachments (message_id, filename, mime_type, size, sha256) VALUES (?, 'x.txt', 'text/plain', 6, ?)").run(msgId, '../../secret.txt').lastInsertRowid,
    );
    await expect(core.call('attachments.get', { id: bad })).rejects.toMatchObject({ code: 'not_found' });
    // A damaged stored file is reported, not served.
    const sha = core.db.prepare('SELECT sha256 FROM attachments WHERE id = ?').pluck().get(attachmentId) as string;
    fs.writeFileSync(path.join(core.ctx.dataDir, 'attachments', sha.slice(0, 2), sha), 'tampered');
    await expect(core.call('attachments.get', { id: attachmentId })).rejects.toThrow(/damaged/);
  });
});

describe('tags', () => {
  it('adds and removes tags on a selection, counts them and filters the queue by them', async () => {
    const { core, dir } = newCore();
    const { convId } = await importedConversation(core, dir);
    const other = core.db
      .prepare("INSERT INTO conversations (channel, kind, external_id, subject, status, created_at, updated_at) VALUES ('email', 'email', 'x-1', 'Other', 'open', 1, 1) RETURNING id")
      .pluck()
      .get() as number;
    const changed: number[][] = [];
    core.events.subscribe((e) => e.name === 'conversations.changed' && changed.push(e.payload.ids));
    expect(await core.call('conversations.tag', { ids: [convId, other], add: ['  Billing ', 'vip'] })).toEqual({ updated: 2 });
    expect(changed.at(-1)).toEqual([convId, other]);
    // Case-insensitive: adding "billing" again changes nothing.
    expect(await core.call('conversations.tag', { ids: [convId], add: ['billing'] })).toEqual({ updated: 0 });
    expect(await core.call('conversations.tag', { ids: [other], remove: ['VIP'] })).toEqual({ updated: 1 });
    expect(await core.call('tags.list', {})).toEqual([
      { tag: 'Billing', open: expect.any(Number), total: 2 },
      { tag: 'vip', open: expect.any(Number), total: 1 },
    ]);
    const list = await core.call('conversations.list', { filter: { tag: 'vip', status: 'all' } });
    expect(list.items.map((c) => c.id)).toEqual([convId]);
    expect(list.items[0]!.tags).toEqual(['Billing', 'vip']);
    expect((await core.call('conversations.counts', { filter: { tag: 'Billing' } })).all).toBe(2);
    await expect(core.call('conversations.tag', { ids: [convId] })).rejects.toThrow(/which tags/);
    await expect(core.call('conversations.tag', { ids: [convId], add: ['   '] })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(core.call('conversations.tag', { ids: [convId], add: ['a'], remove: ['A'] })).rejects.toThrow(/added and removed/);
  });
});

describe('email.forward', () => {
  it('prefills Fwd: with the quoted original and sends it with the attachment to the SMTP peer', async () => {
    const { core, dir } = newCore();
    const { convId } = await importedConversation(core, dir);
    const smtp = await startSmtpPeer({ password: 'pw' });
    cleanups.push(() => smtp.close());
    const { port, received } = smtp;

    const draft = await core.call('email.forward.draft', { conversationId: convId });
    expect(draft.subject).toBe('Fwd: Invoice 7781 is wrong');
    expect(draft.quoted).toContain('---------- Forwarded message ---------');
    expect(draft.quoted).toContain('From: Ana Ruiz <ana@example.com>');
    expect(draft.quoted).toContain('charges me twice');
    expect(draft.attachments).toEqual([{ id: expect.any(Number), filename: 'invoice-7781.pdf', mimeType: 'application/pdf', size: PDF.length }]);

    // No account yet: a clear error, nothing queued.
    await expect(core.call('email.forward', { conversationId: convId, to: ['billing@shop.test'], text: 'x' })).rejects.toThrow(/No email account/);
    await core.call('accounts.add', {
      channel: 'email',
      account: {
        name: 'Support',
        address: 'support@shop.test',
        imap: { host: '127.0.0.1', port: 1, tls: 'off' },
        smtp: { host: '127.0.0.1', port, tls: 'off' },
        user: 'support@shop.test',
        secret: 'pw',
      },
      skipCheck: true,
    });
    await expect(core.call('email.forward', { conversationId: convId, to: ['not an address'], text: 'x' })).rejects.toThrow(/not an email address/);
    const statusBefore = (await core.call('conversations.get', { id: convId })).conversation.status;
    const item = await core.call('email.forward', {
      conversationId: convId,
      to: ['Billing Team <billing@shop.test>'],
      text: `Please check this refund.\n\n${draft.quoted}`,
      idempotencyKey: 'fwd-1',
    });
    expect(item).toMatchObject({ subject: 'Fwd: Invoice 7781 is wrong', to: ['"Billing Team" <billing@shop.test>'] });
    // The same key twice queues one forward.
    expect((await core.call('email.forward', { conversationId: convId, to: ['billing@shop.test'], text: 'again', idempotencyKey: 'fwd-1' })).id).toBe(item.id);
    await expect.poll(async () => (await core.call('outbox.list', { channel: 'email', conversationId: convId }))[0]?.state, { timeout: 10_000 }).toBe('sent');
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(['billing@shop.test']);
    const mail = await parseEmail(received[0]!.raw);
    expect(mail.subject).toBe('Fwd: Invoice 7781 is wrong');
    expect(mail.text).toContain('Please check this refund.');
    expect(mail.text).toContain('From: Ana Ruiz <ana@example.com>');
    expect(mail.attachments.map((a) => [a.filename, a.mimeType])).toEqual([['invoice-7781.pdf', 'application/pdf']]);
    expect(Buffer.from(mail.attachments[0]!.content).equals(PDF)).toBe(true);
    expect(received[0]!.raw.toString()).not.toMatch(/^In-Reply-To:/im);
    // The sent copy joins the conversation; forwarding does not answer the customer.
    await expect.poll(async () => (await core.call('conversations.get', { id: convId })).messages.length).toBe(3);
    expect((await core.call('conversations.get', { id: convId })).conversation.status).toBe(statusBefore);
  });
});

describe('connecting X', () => {
  it('tests tokens, refuses ones that fail users/me, adds the account with what it reaches, removes it', async () => {
    const { core } = newCore();
    const server = await startXServer({ data: smallData(), accessTokens: ['good-token'] });
    cleanups.push(() => server.close());
    const { reach } = onChannel('x', await core.call('accounts.test', { channel: 'x', credentials: { kind: 'oauth2', accessToken: 'good-token' }, apiBase: server.url }));
    expect(reach.me).toMatchObject({ username: 'shop' });
    expect(reach.endpoints['GET /2/users/me']!.ok).toBe(true);
    expect(reach.endpoints['GET /2/dm_events']!.ok).toBe(true);
    await expect(core.call('accounts.add', { channel: 'x', name: 'Bad', credentials: { kind: 'oauth2', accessToken: 'wrong' }, apiBase: server.url })).rejects.toThrow(
      /do not reach GET \/2\/users\/me \(HTTP 401.*nothing was saved/,
    );
    expect(await core.call('accounts.list', { channel: 'x' })).toEqual([]);
    await expect(core.call('accounts.add', { channel: 'x', name: 'X', credentials: { kind: 'bearer', token: 'wrong' }, apiBase: 'ftp://x' })).rejects.toMatchObject({ code: 'invalid_args' });
    const added = onChannel('x', await core.call('accounts.add', { channel: 'x', name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'good-token' }, apiBase: server.url, monthlyCapUsd: 10 }));
    expect(added.account).toMatchObject({ name: 'Shop', handle: 'shop', auth: 'oauth2', hasCredential: true, monthlyCapUsd: 10, apiBase: server.url });
    expect(added.account.reach['GET /2/users/:id/mentions']!.ok).toBe(true);
    // The secret is stored, never returned.
    expect(JSON.stringify(added)).not.toContain('good-token');
    // A first sync starts by itself.
    await expect.poll(async () => (await core.call('stats.get', {})).conversations, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => accountsOf('x', await core.call('accounts.list', { channel: 'x' }))[0]!.running).toBe(false);
    const checked = onChannel('x', await core.call('accounts.check', { id: added.account.id }));
    expect(checked.reach.me?.username).toBe('shop');
    expect(await core.call('accounts.remove', { id: added.account.id })).toEqual({ removed: true });
    expect(await core.call('accounts.list', { channel: 'x' })).toEqual([]);
    // An app-only bearer token cannot read users/me: it needs the account's user id.
    await expect(core.call('accounts.add', { channel: 'x', name: 'B', credentials: { kind: 'bearer', token: 'good-token' }, apiBase: server.url })).rejects.toThrow(/user id/);
    const bearer = await core.call('accounts.add', { channel: 'x', name: 'B', credentials: { kind: 'bearer', token: 'good-token' }, apiBase: server.url, userId: '1000', handle: '@shop' });
    expect(bearer.account).toMatchObject({ auth: 'bearer', xUserId: '1000', handle: 'shop' });
  });

  it('in a long-running core, an account added from the window is polled by its own poller (once, not twice)', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const core = createCore({ dataDir: t.dir, sync: true });
    cleanups.push(() => core.close());
    const server = await startXServer({ data: smallData(), accessTokens: ['good-token'] });
    cleanups.push(() => server.close());
    const added = await core.call('accounts.add', { channel: 'x', name: 'Shop', credentials: { kind: 'oauth2', accessToken: 'good-token' }, apiBase: server.url, skipCheck: true, userId: '1000' });
    await expect.poll(async () => (await core.call('stats.get', {})).conversations, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => accountsOf('x', await core.call('accounts.list', { channel: 'x' }))[0]!.scopes.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    const mentionRuns = server.requests.filter((r) => r.route === 'GET /2/users/:id/mentions' && !r.query.pagination_token).length;
    expect(mentionRuns).toBe(1);
    // Removed: its poller stops (no request after that).
    await core.call('accounts.remove', { id: added.account.id });
    const before = server.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(before);
  });

  it('signs in with X (PKCE, loopback redirect) and can cancel a sign-in', async () => {
    const { core } = newCore();
    const server = await startXServer({ data: smallData(), accessTokens: [], oauth2: { clientId: 'cid', refreshTokens: [] } });
    cleanups.push(() => server.close());
    const flow = await core.call('x.oauth.start', { name: 'Shop', clientId: 'cid', port: 0, apiBase: server.url });
    expect(flow.state).toBe('waiting');
    expect(new URL(flow.url).pathname).toBe('/i/oauth2/authorize');
    expect(flow.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    // The browser: the consent page redirects to the loopback callback.
    const consent = await fetch(flow.url, { redirect: 'manual' });
    await fetch(consent.headers.get('location')!);
    await expect.poll(async () => (await core.call('x.oauth.status', { flowId: flow.flowId })).state, { timeout: 10_000 }).toBe('connected');
    const done = await core.call('x.oauth.status', { flowId: flow.flowId });
    expect(done.account).toMatchObject({ handle: 'shop', auth: 'oauth2', hasCredential: true });
    expect(done.reach?.me?.username).toBe('shop');

    const second = await core.call('x.oauth.start', { name: 'Other', clientId: 'cid', port: 0, apiBase: server.url });
    const cancelled = await core.call('x.oauth.cancel', { flowId: second.flowId });
    expect(cancelled.state).toBe('cancelled');
    // The loopback listener is gone.
    await expect(fetch(second.redirectUri)).rejects.toThrow();
    expect(await core.call('accounts.list', { channel: 'x' })).toHaveLength(1);
    await expect(core.call('x.oauth.status', { flowId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
