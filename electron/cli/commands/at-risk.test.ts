import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../core/createCore';
import { World } from '../../core/linking/testing/world';
import { cli } from '../testing';

const H = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('canary at-risk', () => {
  it('lists the waiting conversations riskiest first, as text with reasons or one JSON line each', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-cli-at-risk-'));
    dirs.push(dir);
    const db = path.join(dir, 'c.db');
    const core = createCore({ dataDir: dir, dbPath: db });
    const w = new World(core.db);
    const now = Date.now();
    // History: first replies after 1 and 3 h (p75 3 h).
    w.mail({ address: 'a@mail.example' }, 'Old one', 'Hello', now - 200 * H, { replyAt: now - 199 * H });
    w.mail({ address: 'b@mail.example' }, 'Old two', 'Hello', now - 200 * H, { replyAt: now - 197 * H });
    const calm = w.mail({ address: 'calm@mail.example', name: 'Cal M' }, 'Opening hours', 'When do you open?', now - 1 * H);
    const angry = w.mail({ address: 'angry@mail.example', name: 'Ann Gry' }, 'Broken', 'Broken on arrival.', now - 10 * H);
    w.mail({ address: 'angry@mail.example' }, 'Re: Broken', "Still no reply. I'm going to leave a one-star review.", now - 2 * H, { thread: angry });
    core.dispose();

    const r = await cli(['--db', db, 'at-risk', '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.conversation_id)).toEqual([angry, calm]);
    expect(lines[0]).toMatchObject({ channel: 'email', customer: 'Ann Gry', goal: 'first', goal_ms: 3 * H, goal_source: 'history' });
    expect((lines[0]!.factors as { reason: string }[]).map((f) => f.reason)).toEqual(expect.arrayContaining(['second time they write without an answer', 'threatens: "leave a one-star review"']));

    const text = await cli(['--db', db, 'at-risk', '--limit', '1']);
    expect(text.code).toBe(0);
    expect(text.out[0]).toMatch(new RegExp(`^\\s+\\d+(\\.\\d)?  \\[conversation ${angry}, email\\] Ann Gry: Broken, overdue 7 h$`));
    expect(text.out.slice(1).every((l) => /^\s+\+\d/.test(l))).toBe(true);
    expect(text.err.join('\n')).toMatch(/2 conversation\(s\) waiting on the business, the 1 riskiest shown/);

    const bad = await cli(['--db', db, 'at-risk', '--limit', 'ten']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('\n')).toMatch(/--limit must be a whole number from 1 to 1000, got "ten"/);
  });
});
