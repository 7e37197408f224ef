// Fuzzing the X page normalizer (issue 18, "keep it so"): X API v2 pages built from the real support
// tweets in ../shared/corpus/tweets, then mutated (keys dropped, values replaced by random JSON,
// ids and dates broken, items duplicated). Each page is either refused whole with an XPageError
// naming its source (the caller records it as a problem) or stored: every item counted as new, a
// duplicate or skipped, the new ones in the database, and storing it again adds nothing.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { corpusDir, fuzzParams, growth8, LINEAR_LIMIT } from '../testing/fuzz';
import { tempDir } from '../testing/tmp';
import { parseXJson, storeXPage, XPageError } from './normalize';
import type { XPageKind } from './types';

const SELF = { id: '1000', username: 'shop', name: 'Shop' };

/** CSV rows (RFC 4180: quoted fields, doubled quotes, newlines inside quotes). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

interface Tweet {
  id: string;
  author: string;
  createdAt: string;
  text: string;
  replyTo: string | null;
}

/** The support tweets of the corpus (or a few made up when it is absent). */
function corpusTweets(): Tweet[] {
  const dir = corpusDir('tweets');
  const file = dir && path.join(dir, 'kaggle_sample__S0l0m4n_aie3.csv');
  if (!file || !fs.existsSync(file)) {
    console.warn('x fuzz: ../shared/corpus/tweets not found, fuzzing from made-up posts only');
    return [1, 2, 3, 4].map((i) => ({
      id: `${100 + i}`,
      author: i % 2 ? 'alice' : 'shop',
      createdAt: new Date(Date.UTC(2024, 0, i)).toISOString(),
      text: `@shop post ${i}`,
      replyTo: i > 1 ? `${99 + i}` : null,
    }));
  }
  const [head, ...rows] = csvRows(fs.readFileSync(file, 'utf8'));
  const col = (name: string) => head!.indexOf(name);
  return rows
    .filter((r) => r.length >= head!.length)
    .map((r) => ({
      id: r[col('tweet_id')]!,
      author: r[col('author_id')]!,
      createdAt: new Date(Date.parse(r[col('created_at')]!)).toISOString(),
      text: r[col('text')]!,
      replyTo: r[col('in_response_to_tweet_id')] || null,
    }));
}

const TWEETS = corpusTweets();
/** Author names ("AppleSupport") and numbers ("105834") both become numeric X user ids. */
const userIds = new Map<string, string>();
const userId = (author: string) => {
  if (!userIds.has(author)) userIds.set(author, String(2000 + userIds.size));
  return userIds.get(author)!;
};

function tweetsPage(slice: Tweet[]): unknown {
  const users = [...new Set(slice.map((t) => t.author))].map((a) => ({ id: userId(a), username: a.replace(/\W/g, '_').slice(0, 15) || 'u', name: a }));
  return {
    data: slice.map((t) => ({
      id: t.id,
      text: t.text,
      author_id: userId(t.author),
      created_at: t.createdAt,
      conversation_id: t.replyTo ?? t.id,
      ...(t.replyTo ? { referenced_tweets: [{ type: 'replied_to', id: t.replyTo }] } : {}),
      edit_history_tweet_ids: [t.id],
    })),
    includes: { users },
    meta: { result_count: slice.length },
  };
}

function dmPage(slice: Tweet[]): unknown {
  return {
    data: slice.map((t, i) => {
      const sender = i % 3 === 2 ? SELF.id : userId(t.author);
      const other = sender === SELF.id ? userId(t.author) : sender;
      return { id: `9${t.id}`, event_type: i % 7 === 6 ? 'ParticipantsJoin' : 'MessageCreate', text: t.text, sender_id: sender, dm_conversation_id: `${SELF.id}-${other}`, created_at: t.createdAt };
    }),
    includes: { users: [...new Set(slice.map((t) => t.author))].map((a) => ({ id: userId(a), username: a.replace(/\W/g, '_').slice(0, 15) || 'u' })) },
  };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const ODD_VALUES: Json[] = ['', '0', '-1', '99999999999999999999', '1e3', 'x'.repeat(3000), '\u202eevil', '2024-13-45T99:99:99Z', 'not a date', null, true, 0, -1, 1.5, [], {}, ['1'], { id: '1' }];

interface Mutation {
  walk: number[];
  action: 'delete' | 'replace' | 'odd' | 'duplicate' | 'stringify';
  value: Json;
  odd: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  walk: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 1, maxLength: 5 }),
  action: fc.constantFrom('delete', 'replace', 'odd', 'duplicate', 'stringify'),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  odd: fc.nat({ max: ODD_VALUES.length - 1 }),
});

/** Apply one mutation at the end of a random walk into the page. */
function mutate(root: Json, m: Mutation): Json {
  let parent: Json = root;
  let key: string | number | null = null;
  for (const f of m.walk) {
    const node: Json = key === null ? parent : (parent as Record<string | number, Json>)[key]!;
    if (node === null || typeof node !== 'object') break;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (!keys.length) break;
    if (key !== null) parent = node;
    key = keys[Math.floor(f * keys.length)]!;
  }
  if (key === null || parent === null || typeof parent !== 'object') return root;
  const p = parent as Record<string | number, Json> & Json[];
  switch (m.action) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
      break;
    case 'replace':
      p[key] = m.value;
      break;
    case 'odd':
      p[key] = structuredClone(ODD_VALUES[m.odd]!);
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]!));
      else p[`${key}`] = structuredClone(p[key]!);
      break;
    case 'stringify':
      p[key] = JSON.stringify(p[key]);
      break;
  }
  return root;
}

const page: fc.Arbitrary<{ kind: XPageKind; json: Json }> = fc
  .record({
    kind: fc.constantFrom<XPageKind>('mentions', 'search', 'tweets', 'dm_events', 'me'),
    start: fc.nat({ max: Math.max(0, TWEETS.length - 1) }),
    size: fc.integer({ min: 0, max: 12 }),
    mutations: fc.array(mutation, { maxLength: 3 }),
  })
  .map(({ kind, start, size, mutations }) => {
    const slice = TWEETS.slice(start, start + size);
    let json = (kind === 'me' ? { data: SELF } : kind === 'dm_events' ? dmPage(slice) : tweetsPage(slice)) as Json;
    json = structuredClone(json);
    for (const m of mutations) json = mutate(json, m);
    return { kind, json };
  });

let core: Core;
let cleanup: () => void;
beforeAll(() => {
  const t = tempDir('canary-xfuzz-');
  cleanup = t.cleanup;
  core = createCore({ dataDir: path.join(t.dir, 'data') });
});
afterAll(() => {
  core?.dispose();
  cleanup?.();
});

const messageCount = () => (core.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = 'x'").get() as { n: number }).n;

describe('X page fuzzing', () => {
  it('a page is refused whole with an XPageError, or stored item by item and idempotently', () => {
    fc.assert(
      fc.property(page, ({ kind, json }) => {
        const before = messageCount();
        let r;
        try {
          r = storeXPage(core.db, kind, json, { source: 'fuzz.json', self: SELF, now: Date.UTC(2026, 0, 1) });
        } catch (e) {
          expect(e, String((e as Error)?.stack)).toBeInstanceOf(XPageError);
          expect((e as XPageError).source).toBe('fuzz.json');
          expect(messageCount()).toBe(before); // refused whole: nothing half-stored
          return;
        }
        expect(r.inserted).toBe(messageCount() - before);
        if (kind !== 'me') {
          const data = (json as { data?: unknown[] }).data ?? [];
          expect(r.items).toBe(data.length);
          expect(r.ids.length).toBe(r.items);
          // Every item: new, already there, or skipped (a DM join/leave); included posts may add new rows.
          expect(r.duplicates + r.skipped).toBeLessThanOrEqual(r.items);
          expect(r.inserted).toBeGreaterThanOrEqual(r.items - r.duplicates - r.skipped);
        }
        const again = storeXPage(core.db, kind, json, { source: 'fuzz.json', self: SELF, now: Date.UTC(2026, 0, 2) });
        expect(again.inserted).toBe(0);
      }),
      fuzzParams(250),
    );
  });

  it('page text: anything that is not JSON is an XPageError naming the file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          page.map((p) => JSON.stringify(p.json).slice(0, 150)),
        ),
        (text) => {
          try {
            parseXJson(text, 'x.json');
          } catch (e) {
            expect(e).toBeInstanceOf(XPageError);
            expect((e as Error).message).toMatch(/^x\.json: not valid JSON/);
          }
        },
      ),
      fuzzParams(300),
    );
  });
});

describe('X pages: no super-linear time', () => {
  let n0 = 0;
  const fresh = (n: number) => {
    // New ids every call, so each timing stores new posts (not duplicates).
    n0 += 1;
    return Array.from({ length: n }, (_, i) => ({
      id: `${n0}${String(i).padStart(7, '0')}`,
      author: `user${i % 50}`,
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
      text: `@shop order ${i} is late`,
      replyTo: null,
    }));
  };
  it('a page of many posts from many conversations', async () => {
    const r = await growth8(
      (n) => n,
      (n: number) => storeXPage(core.db, 'mentions', tweetsPage(fresh(n)), { source: 'grow', self: SELF }),
      60,
      60,
    );
    expect(r.ratio, `n=${r.n} ${r.smallMs.toFixed(1)} ms, 8n ${r.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  });
  it('a page with one post whose text is very long', async () => {
    const r = await growth8(
      (n) => n,
      (n: number) => storeXPage(core.db, 'mentions', tweetsPage(fresh(1).map((t) => ({ ...t, text: 'refund '.repeat(n) }))), { source: 'grow', self: SELF }),
      2000,
    );
    expect(r.ratio, `n=${r.n} ${r.smallMs.toFixed(1)} ms, 8n ${r.bigMs.toFixed(1)} ms`).toBeLessThan(LINEAR_LIMIT);
  });
});
