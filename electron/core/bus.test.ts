import { describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../shared/rpc/protocol';
import { CoreBus } from './bus';
import { EventBus } from './events';
import { createLogger } from './log/logger';

function setup() {
  const window = new EventBus();
  const seen: RpcEvent[] = [];
  window.subscribe((e) => seen.push(e));
  const lines: string[] = [];
  const log = createLogger({ sink: { write: (l) => lines.push(l) } });
  return { bus: new CoreBus(window, log), window, seen, lines };
}

describe('core bus', () => {
  it("passes on to the window the events it needs, with the window's names and payloads, and nothing else", () => {
    const { bus, seen } = setup();
    bus.emit('MessagesStored', { conversationIds: [3, 4] });
    bus.emit('ConversationsChanged', { ids: [3] });
    bus.emit('BulkWriteStarted', { source: 'email account 1, INBOX' });
    bus.emit('BulkWriteEnded', { source: 'email account 1, INBOX' });
    bus.emit('AccountsChanged', { accountId: 7 });
    bus.emit('SyncStatusChanged', { accountId: 8 });
    expect(seen.map((e) => [e.name, e.payload])).toEqual([
      ['messages.changed', { conversationIds: [3, 4] }],
      ['conversations.changed', { ids: [3] }],
      ['sync.status', { accountId: 7 }],
      ['sync.status', { accountId: 8 }],
    ]);
  });

  it('gives each listener its own event, in the order they subscribed; unsubscribed ones get nothing', () => {
    const { bus } = setup();
    const got: string[] = [];
    const offA = bus.on('BulkWriteStarted', (e) => got.push(`a ${e.source}`));
    bus.on('BulkWriteStarted', (e) => got.push(`b ${e.source}`));
    bus.on('BulkWriteEnded', (e) => got.push(`end ${e.source}`));
    bus.emit('BulkWriteStarted', { source: 's1' });
    offA();
    bus.emit('BulkWriteStarted', { source: 's2' });
    bus.emit('BulkWriteEnded', { source: 's2' });
    expect(got).toEqual(['a s1', 'b s1', 'b s2', 'end s2']);
    expect(bus.listenerCount('BulkWriteStarted')).toBe(1);
    expect(bus.listenerCount()).toBe(2);
  });

  it('a listener that throws is logged once and breaks neither the others nor the window', () => {
    const { bus, seen, lines } = setup();
    const got: number[][] = [];
    bus.on('ConversationsChanged', () => {
      throw new Error('broken listener');
    });
    bus.on('ConversationsChanged', (e) => got.push(e.ids));
    expect(() => bus.emit('ConversationsChanged', { ids: [1] })).not.toThrow();
    expect(got).toEqual([[1]]);
    expect(seen.map((e) => e.name)).toEqual(['conversations.changed']);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'core event listener failed', event: 'ConversationsChanged', err: { message: 'broken listener' } });
  });

  it("the window's bus refuses the events only the core bus emits (checked by tsc)", () => {
    const { window, seen } = setup();
    window.emit('outbox.changed', { ids: [1] });
    // @ts-expect-error conversations.changed comes from the core bus (ConversationsChanged)
    window.emit('conversations.changed', { ids: [1] });
    // @ts-expect-error messages.changed comes from the core bus (MessagesStored)
    window.emit('messages.changed', { conversationIds: [1] });
    // @ts-expect-error sync.status comes from the core bus (AccountsChanged, SyncStatusChanged)
    window.emit('sync.status', { accountId: 1 });
    expect(seen).toHaveLength(4); // refused by the type check only: at run time it still delivers
  });
});
