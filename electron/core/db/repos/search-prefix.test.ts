// The prefix walk (a last word of 4+ characters found through the 3-character prefix index) must
// give exactly what FTS5's own prefix query gives: the same messages, newest first, with the prefix
// marked in the snippet.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../createCore';
import { seedLarge } from '../../../../scripts/bench/ui.bench';
import { searchMessages } from './search';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../../../../shared/domain/types';

let dir: string;
let core: Core;

function insert(text: string, subject = '', author = 'Someone'): number {
  const db = core.db;
  const convId = (db.prepare('SELECT max(id) AS id FROM conversations').get() as { id: number }).id;
  const r = db
    .prepare(
      `INSERT INTO messages (conversation_id, channel, kind, external_id, author_name, author_address, recipients, direction, sent_at, subject, body_text, created_at)
       VALUES (?, 'email', 'email', ?, ?, 'x@example.com', '{}', 'in', ?, ?, ?, ?)`,
    )
    .run(convId, `t:${Math.random()}`, author, Date.now(), subject, text, Date.now());
  return Number(r.lastInsertRowid);
}

/** FTS5's own answer for the same words: the last one as a prefix. */
function reference(words: string[], limit = 50): number[] {
  const match = words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' AND ');
  return (core.db.prepare('SELECT rowid AS id FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?').all(match, limit) as { id: number }[]).map((r) => r.id);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-search-prefix-'));
  core = createCore({ dataDir: dir });
  seedLarge(core, 3000, 3, () => {});
  // Words that share the walk's three letters with common ones, diacritics, a name.
  insert('We travel on Tuesdays, tracking is fine');
  insert('Żółta paczka dotarła uszkodzona', 'Reklamacja');
  insert('Ça marche, merci pour le café', 'Café');
  insert('nothing here', 'Trackpad question', 'Trazimir Novak');
});

afterAll(() => {
  core.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('search: last word as a prefix', () => {
  it.each([['trac'], ['track'], ['tracki'], ['espr'], ['espress'], ['refu'], ['kowa'], ['kowalsk'], ['wholes'], ['torn', 'bag'], ['order', 'refu'], ['subscr']])(
    '%s… gives FTS5 prefix results',
    (...words: string[]) => {
      const hits = searchMessages(core.db, words.join(' '), 50);
      expect(hits.map((h) => h.messageId)).toEqual(reference(words));
      const last = words[words.length - 1]!;
      for (const h of hits.slice(0, 10)) {
        const marked = [...h.snippet.matchAll(new RegExp(`${SNIPPET_OPEN}([^${SNIPPET_CLOSE}]*)${SNIPPET_CLOSE}`, 'g'))].map((m) => m[1]!.toLowerCase());
        expect(marked.some((w) => w.startsWith(last))).toBe(true);
      }
    },
  );

  it('does not mark words that only share the first three letters', () => {
    const hits = searchMessages(core.db, 'travel', 50);
    expect(hits).toHaveLength(1);
    const [h] = searchMessages(core.db, 'trav', 50);
    expect(h!.snippet).toContain(`${SNIPPET_OPEN}travel${SNIPPET_CLOSE}`);
    expect(h!.snippet).not.toContain(`${SNIPPET_OPEN}tracking`);
  });

  it('finds a rare word under a common three-letter start (more rows than the walk looks at)', () => {
    // "tra" starts thousands of "tracking"s; "trav" is one message.
    expect(searchMessages(core.db, 'trav', 50).map((h) => h.messageId)).toEqual(reference(['trav']));
    expect(reference(['trav'])).toHaveLength(1);
  });

  it('folds case and diacritics like the index', () => {
    expect(searchMessages(core.db, 'ŻÓŁT', 50).map((h) => h.messageId)).toEqual(reference(['żółt']));
    expect(reference(['zołt'])).toHaveLength(1);
    expect(searchMessages(core.db, 'CAFE', 50).map((h) => h.messageId)).toEqual(reference(['cafe']));
    expect(searchMessages(core.db, 'traz', 50).map((h) => h.messageId)).toEqual(reference(['traz']));
    expect(searchMessages(core.db, 'trackp', 50).map((h) => h.messageId)).toEqual(reference(['trackp']));
  });

  it('keeps the operators', () => {
    const all = searchMessages(core.db, 'trac', 50);
    const x = searchMessages(core.db, 'channel:x trac', 50);
    expect(x.length).toBeGreaterThan(0);
    expect(x.every((h) => h.kind !== 'email')).toBe(true);
    expect(all.some((h) => h.kind === 'email')).toBe(true);
  });
});
