import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../createCore';
import { tempDir } from '../../testing/tmp';
import { ensureConversation } from './conversations';
import { backoffMs } from '../../retry';
import {
  cancelOutbox,
  claimOutbox,
  dueOutboxIds,
  failInterrupted,
  getOutboxRow,
  insertOutbox,
  listOutboxRows,
  markOutboxSent,
  nextOutboxAttempt,
  outboxIdByKey,
  requeueOutbox,
  retryOutbox,
} from './outbox';

const t = tempDir('canary-outbox-repo-');
afterAll(() => t.cleanup());

describe('outbox repository', () => {
  it('moves items through queued → sending → sent/queued/failed, scoped by kind', () => {
    const core = createCore({ dataDir: t.dir });
    try {
      const db = core.db;
      db.prepare("INSERT INTO accounts (id, channel, name, created_at, updated_at) VALUES (1, 'email', 'Support', 0, 0)").run();
      const conv = ensureConversation(db, { channel: 'email', kind: 'email', externalId: 'thread-1', accountId: 1, subject: 'Refund', now: 0 });
      const mail = insertOutbox(db, { accountId: 1, conversationId: conv, kind: 'email', payload: { subject: 'Re: Refund' }, idempotencyKey: 'k1', now: 1000 });
      const fwd = insertOutbox(db, { accountId: 1, conversationId: conv, kind: 'email', payload: {}, idempotencyKey: 'k2', now: 1000, answersCustomer: false });
      const post = insertOutbox(db, { accountId: 1, conversationId: conv, kind: 'tweet', payload: {}, idempotencyKey: 'k3', now: 1000 });
      expect(outboxIdByKey(db, 'k1')).toBe(mail);
      expect(outboxIdByKey(db, 'nope')).toBeUndefined();
      expect(db.prepare('SELECT status FROM conversations WHERE id = ?').pluck().get(conv)).toBe('waiting');
      expect(JSON.parse(getOutboxRow(db, mail, ['email'])!.payload)).toEqual({ subject: 'Re: Refund' });
      expect(getOutboxRow(db, post, ['email'])).toBeUndefined();
      expect(listOutboxRows(db, ['tweet', 'dm']).map((r) => r.id)).toEqual([post]);
      expect(listOutboxRows(db, ['email'], { states: [] })).toEqual([]);

      expect(dueOutboxIds(db, ['email'], 999)).toEqual([]);
      expect(dueOutboxIds(db, ['email'], 1000)).toEqual([mail, fwd]);
      const claimed = claimOutbox(db, mail, 1001)!;
      expect(claimed.state).toBe('sending');
      expect(claimed.attempts).toBe(1);
      expect(claimOutbox(db, mail, 1002)).toBeUndefined(); // only one sender gets it
      requeueOutbox(db, mail, 1000 + backoffMs(claimed.attempts, 30_000, 60_000), 'ECONNREFUSED', 1003);
      expect(nextOutboxAttempt(db, ['email'])).toBe(1000);
      claimOutbox(db, fwd, 1004);
      markOutboxSent(db, fwd, 'msg-id@x', 1005);
      expect(nextOutboxAttempt(db, ['email'])).toBe(31_000);
      expect(nextOutboxAttempt(db, ['dm'])).toBeNull();

      // A post interrupted mid-send becomes failed; email rows are not touched.
      claimOutbox(db, post, 1006);
      expect(failInterrupted(db, ['email'], 'x', 1007)).toEqual([]);
      expect(failInterrupted(db, ['tweet', 'dm'], 'Interrupted', 1007)).toEqual([post]);
      expect(retryOutbox(db, post, ['email'], 1008)).toBe(false);
      expect(retryOutbox(db, post, ['tweet', 'dm'], 1008)).toBe(true);
      expect(getOutboxRow(db, post, ['tweet'])!.state).toBe('queued');
      expect(cancelOutbox(db, fwd, ['email'], 1009)).toBe(false); // already sent
      expect(cancelOutbox(db, post, ['tweet'], 1009)).toBe(true);
    } finally {
      core.dispose();
    }
  });

  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
