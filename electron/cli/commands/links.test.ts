import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../core/createCore';
import { DAY, T0, World } from '../../core/linking/testing/world';
import { cli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('canary links', () => {
  it('prints one JSON line per X account in the shared format, and takes decisions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-cli-links-'));
    dirs.push(dir);
    const db = path.join(dir, 'c.db');
    const core = createCore({ dataDir: dir, dbPath: db });
    const w = new World(core.db);
    w.mail({ address: 'jane.doe@gmail.com', name: 'Jane Doe' }, 'Refund for HP-482913', 'Hi,\n\nWhere is my refund?\n\nJane', T0 + DAY);
    w.post({ id: '7001', handle: 'jdoe88', name: 'Jane' }, 'emailed you 3 times about HP 482913, nothing', T0 + 3 * DAY);
    w.post({ id: '7002', handle: 'someone', name: 'Some One' }, 'hello', T0 + 3 * DAY);
    core.dispose();

    const r = await cli(['--db', db, 'links', '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l) as { x_user_id: string; x_username: string; linked: string | null; suggestions: { email: string; score: number }[]; evidence: string[] });
    expect(lines).toHaveLength(2);
    const jane = lines.find((l) => l.x_user_id === '7001')!;
    expect(Object.keys(jane)).toEqual(['x_user_id', 'x_username', 'linked', 'suggestions', 'evidence']);
    expect(jane).toMatchObject({ x_username: 'jdoe88', linked: 'jane.doe@gmail.com', suggestions: [] });
    expect(jane.evidence[0]).toMatch(/reference HP-482913 appears in a tweet .* and in 'Refund for HP-482913' from jane\.doe@gmail\.com/);
    expect(lines.find((l) => l.x_user_id === '7002')).toMatchObject({ linked: null, suggestions: [], evidence: [] });

    const text = await cli(['--db', db, 'links']);
    expect(text.code).toBe(0);
    const m = /@jdoe88 .*→ jane\.doe@gmail\.com {2}linked by the engine, score [\d.]+ \[link (\d+)\]/.exec(text.out.join('\n'));
    expect(m).not.toBeNull();

    const rej = await cli(['--db', db, 'links', 'reject', m![1]!, '--json']);
    expect(rej.code).toBe(0);
    expect(JSON.parse(rej.out[0]!)).toMatchObject({ x_user_id: '7001', linked: null });
    const undo = await cli(['--db', db, 'links', 'undo', m![1]!, '--json']);
    expect(JSON.parse(undo.out[0]!)).toMatchObject({ linked: 'jane.doe@gmail.com' });

    const bad = await cli(['--db', db, 'links', 'confirm', 'abc']);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/LINK_ID must be a positive number/);
    const missing = await cli(['--db', db, 'links', 'undo', '9999']);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toMatch(/not_found: No link 9999/);
  });
});
