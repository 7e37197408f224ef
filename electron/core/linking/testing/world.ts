// Test helper: writes mail customers and X accounts straight through the repositories, the way the
// importers store them, so linking can be tested on cases written by hand.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { XAccountLinks } from '../../../../shared/contract/links';
import { createCore, type Core } from '../../createCore';
import type { DB } from '../../db/open';
import { ensureConversation, refreshConversation } from '../../db/repos/conversations';
import { ensureEmailIdentity, ensureXIdentity } from '../../db/repos/customers';
import { insertMessage } from '../../db/repos/messages';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);

export interface XUserSpec {
  id: string;
  handle: string;
  name: string;
  bio?: string;
  url?: string;
}

export class World {
  private seq = 0;
  readonly selfAddress = 'support@shop.example';
  constructor(readonly db: DB) {
    ensureEmailIdentity(db, { address: this.selfAddress, name: 'Shop Support', isSelf: true, now: T0 });
    ensureXIdentity(db, { xUserId: '1000', handle: 'ShopCo', name: 'Shop Co', isSelf: true, now: T0 });
  }

  /** A customer mail (a new thread unless `thread` is given); `reply` adds the business's answer. */
  mail(from: { address: string; name?: string }, subject: string, body: string, at: number, opts: { thread?: number; replyAt?: number } = {}): number {
    const ident = ensureEmailIdentity(this.db, { address: from.address, ...(from.name ? { name: from.name } : {}), now: at });
    const conv = opts.thread ?? ensureConversation(this.db, { channel: 'email', kind: 'email', externalId: `<t${++this.seq}@test>`, customerId: ident.customerId, subject, now: at });
    insertMessage(this.db, {
      conversationId: conv,
      channel: 'email',
      kind: 'email',
      externalId: `<m${++this.seq}@test>`,
      authorIdentityId: ident.id,
      authorName: from.name ?? '',
      authorAddress: from.address,
      direction: 'in',
      sentAt: at,
      subject,
      text: body,
      now: at,
    });
    if (opts.replyAt) {
      const self = ensureEmailIdentity(this.db, { address: this.selfAddress, isSelf: true, now: at });
      insertMessage(this.db, {
        conversationId: conv,
        channel: 'email',
        kind: 'email',
        externalId: `<m${++this.seq}@test>`,
        authorIdentityId: self.id,
        authorName: 'Shop Support',
        authorAddress: this.selfAddress,
        direction: 'out',
        sentAt: opts.replyAt,
        subject: `Re: ${subject}`,
        text: `Hi,\n\nThanks, we are looking into it.\n\nShop Support`,
        now: opts.replyAt,
      });
    }
    refreshConversation(this.db, conv);
    return conv;
  }

  /** A public post (or DM) by an X user; returns its conversation id. */
  post(user: XUserSpec, text: string, at: number, kind: 'tweet' | 'dm' = 'tweet'): number {
    const profile = { description: user.bio ?? '', ...(user.url ? { url: user.url } : {}) };
    const ident = ensureXIdentity(this.db, { xUserId: user.id, handle: user.handle, name: user.name, profile, now: at });
    const n = ++this.seq;
    const conv = ensureConversation(this.db, {
      channel: 'x',
      kind,
      externalId: kind === 'dm' ? `${user.id}-1000` : `c${n}`,
      customerId: ident.customerId,
      now: at,
    });
    insertMessage(this.db, {
      conversationId: conv,
      channel: 'x',
      kind,
      externalId: `${n}${user.id}`,
      authorIdentityId: ident.id,
      authorName: user.name,
      authorAddress: `@${user.handle}`,
      direction: 'in',
      sentAt: at,
      text: kind === 'tweet' ? `@ShopCo ${text}` : text,
      now: at,
    });
    refreshConversation(this.db, conv);
    return conv;
  }

  /** The business's answer in an X conversation (a reply tweet or DM from its own account). */
  reply(conversationId: number, text: string, at: number): void {
    const self = ensureXIdentity(this.db, { xUserId: '1000', handle: 'ShopCo', name: 'Shop Co', isSelf: true, now: at });
    const kind = this.db.prepare('SELECT kind FROM conversations WHERE id = ?').pluck().get(conversationId) as 'tweet' | 'dm';
    insertMessage(this.db, {
      conversationId,
      channel: 'x',
      kind,
      externalId: `r${++this.seq}`,
      authorIdentityId: self.id,
      authorName: 'Shop Co',
      authorAddress: '@ShopCo',
      direction: 'out',
      sentAt: at,
      text,
      now: at,
    });
    refreshConversation(this.db, conversationId);
  }

  identityOf(xUserId: string): number {
    return this.db.prepare("SELECT id FROM identities WHERE kind = 'x' AND x_user_id = ?").pluck().get(xUserId) as number;
  }

  customerOf(address: string): number {
    return this.db.prepare("SELECT customer_id FROM identities WHERE kind = 'email' AND address = ?").pluck().get(address) as number;
  }
}

/**
 * A fresh core and World for each test of a linking test file (registers beforeEach/afterEach):
 * `tb.core`, `tb.w`, and `tb.account(user)` for the X account's links after an incremental refresh.
 */
export interface LinkingTestbed {
  core: Core;
  w: World;
  account(user: XUserSpec): Promise<XAccountLinks>;
}

export function linkingTestbed(prefix: string): LinkingTestbed {
  let dir = '';
  const tb = {
    async account(user: XUserSpec): Promise<XAccountLinks> {
      await tb.core.call('links.refresh', {});
      return (await tb.core.call('links.list', { identityId: tb.w.identityOf(user.id) }))[0]!;
    },
  } as LinkingTestbed;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tb.core = createCore({ dataDir: dir, now: () => T0 + 200 * DAY });
    tb.w = new World(tb.core.db);
  });
  afterEach(() => {
    tb.core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return tb;
}
