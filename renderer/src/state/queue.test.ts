// The queue's reload on change events is coalesced: a first sync reports changes many times a
// second, and each reload is several page queries to the core.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/rpc/client';
import { QueueStore } from './queue';

/** A transport answering every page with an empty queue, counting the page queries. */
function countingClient() {
  const calls: number[] = [];
  let id = 0;
  const client = createClient({
    async invoke(method) {
      if (method === 'conversations.list') calls.push(performance.now());
      return { t: 'res', id: ++id, ok: true, value: method === 'conversations.list' ? { items: [], total: 0 } : {} };
    },
    onEvent: () => () => {},
  });
  return { client, calls };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('QueueStore.start', () => {
  it('asks for the first page once, however often it is started, and loaded() resolves with its answer', async () => {
    const { client, calls } = countingClient();
    const store = new QueueStore(client);
    let done = false;
    void store.loaded().then(() => (done = true));
    store.start();
    store.start(); // the window's effect after main.tsx's start: no second query
    store.setVisible(0, 20); // the list mounting: the page is on its way
    expect(calls.length).toBe(1);
    expect(done).toBe(false);
    await sleep(10);
    expect(done).toBe(true);
    expect(store.getState().loaded).toBe(true);
    store.start(); // loaded: nothing more
    await sleep(10);
    expect(calls.length).toBe(1);
    await store.loaded(); // already loaded: resolves at once
  });
});

describe('QueueStore.invalidate', () => {
  /** A transport holding 1,000 open conversations in id order, recording the offset of each page asked. */
  function pagedClient() {
    const offsets: number[] = [];
    let id = 0;
    const client = createClient({
      async invoke(method, args) {
        const a = args as { offset: number; limit: number };
        if (method === 'conversations.list') offsets.push(a.offset);
        const items = Array.from({ length: Math.max(0, Math.min(a.limit, 1000 - a.offset)) }, (_, i) => ({ id: a.offset + i + 1, status: 'open' }));
        return { t: 'res', id: ++id, ok: true, value: method === 'conversations.list' ? { items, total: 1000 } : {} };
      },
      onEvent: () => () => {},
    });
    return { client, offsets };
  }

  it('re-queries the pages near the screen at once and the rest of the kept rows when the list nears them', async () => {
    const { client, offsets } = pagedClient();
    const store = new QueueStore(client);
    store.start();
    store.setVisible(120, 140); // scrolled to the second page
    await sleep(10);
    store.setVisible(0, 20); // and back to the top
    await sleep(10);
    expect(offsets).toEqual([0, 100]);
    offsets.length = 0;
    store.invalidate();
    await sleep(10);
    expect(offsets).toEqual([0]); // only the page on screen
    expect(store.getState().items[150]).toMatchObject({ id: 151 }); // the second page's rows are kept meanwhile
    store.setVisible(120, 140); // nearing the second page: re-queried now, once
    await sleep(10);
    store.setVisible(121, 141);
    await sleep(10);
    expect(offsets).toEqual([0, 100]);
    store.setVisible(240, 260); // pages never loaded load as they always did
    await sleep(10);
    expect(offsets).toEqual([0, 100, 200, 300]);
  });
});

describe('QueueStore.invalidateSoon', () => {
  it('reloads at once, then at most once more for a burst of changes, after the burst has waited its turn', async () => {
    const { client, calls } = countingClient();
    const store = new QueueStore(client);
    store.invalidateSoon();
    await sleep(10);
    expect(calls.length).toBe(1); // the first change shows at once
    for (let i = 0; i < 30; i++) {
      store.invalidateSoon();
      await sleep(2);
    }
    expect(calls.length).toBe(1); // the burst waits
    await sleep(300);
    expect(calls.length).toBe(2); // ... and is shown by one reload
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(240);
    // Quiet again: the next change reloads at once.
    await sleep(300);
    store.invalidateSoon();
    await sleep(10);
    expect(calls.length).toBe(3);
  });

  it('a direct reload (after the person acts) cancels the pending one', async () => {
    const { client, calls } = countingClient();
    const store = new QueueStore(client);
    store.invalidateSoon();
    store.invalidateSoon(); // pending
    await sleep(10);
    store.invalidate();
    await sleep(320);
    expect(calls.length).toBe(2);
  });
});

describe('QueueStore: the At risk view', () => {
  /** A transport holding open conversations 1-5 in queue order (id order), answering the ids filter as the core does. */
  function riskClient() {
    const asked: unknown[] = [];
    let n = 0;
    const client = createClient({
      async invoke(method, args) {
        const a = args as { filter?: { ids?: number[]; status?: string } };
        if (method === 'conversations.list') asked.push(a.filter);
        const ids = [1, 2, 3, 4, 5].filter((id) => !a.filter?.ids || a.filter.ids.includes(id));
        const items = ids.map((id) => ({ id, status: 'open', channel: 'email', escalated: false }));
        return { t: 'res', id: ++n, ok: true, value: method === 'conversations.list' ? { items, total: items.length } : {} };
      },
      onEvent: () => () => {},
    });
    return { client, asked };
  }

  it('waits for the risk order, then shows those conversations riskiest first and follows a new order', async () => {
    const { client, asked } = riskClient();
    const store = new QueueStore(client);
    store.setView('at-risk');
    await sleep(10);
    expect(asked).toEqual([]); // no order yet: nothing asked, still loading
    expect(store.getState().loaded).toBe(false);
    store.setOrder([4, 1, 3]);
    await sleep(10);
    expect(asked).toEqual([{ status: 'open', ids: [4, 1, 3] }]);
    expect(store.getState().items.map((c) => c?.id)).toEqual([4, 1, 3]);
    expect(store.getState().total).toBe(3);
    store.setOrder([4, 1, 3]); // the same order: nothing to do
    await sleep(10);
    expect(asked).toHaveLength(1);
    store.setOrder([3, 4]);
    await sleep(10);
    expect(store.getState().items.map((c) => c?.id)).toEqual([3, 4]);
    store.setOrder([]);
    await sleep(10);
    expect(store.getState()).toMatchObject({ total: 0, loaded: true });
    // Another view is not affected by the order.
    store.setView('inbox');
    await sleep(10);
    expect(store.getState().items.map((c) => c?.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
