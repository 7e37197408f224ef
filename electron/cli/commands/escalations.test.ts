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

describe('canary escalations', () => {
  it('prints one JSON line per marked X conversation in the documented format, and text with the reason', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-cli-escalations-'));
    dirs.push(dir);
    const db = path.join(dir, 'c.db');
    const core = createCore({ dataDir: dir, dbPath: db });
    const w = new World(core.db);
    w.mail({ address: 'jane.doe@gmail.com', name: 'Jane Doe' }, 'Refund for HP-482913', 'Hi,\n\nWhere is my refund?\n\nJane', T0 + DAY);
    const jane = w.post({ id: '7001', handle: 'jdoe88', name: 'Jane' }, 'emailed you 3 times about HP 482913, nothing', T0 + 3 * DAY);
    w.post({ id: '7003', handle: 'jdoe88', name: 'Jane' }, 'thanks for sorting out my order!', T0 + 4 * DAY);
    const stranger = w.post({ id: '7002', handle: 'grumpy', name: 'Some One' }, 'worst service ever, my parcel is lost', T0 + 3 * DAY);
    const ext = (id: number) => core.db.prepare('SELECT external_id FROM conversations WHERE id = ?').pluck().get(id) as string;
    const [janeExt, strangerExt] = [ext(jane), ext(stranger)];
    core.dispose();

    const r = await cli(['--db', db, 'escalations', '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]!)).toEqual(['x_conversation_id', 'x_user_id', 'x_username', 'state', 'customer_email', 'reason', 'waited_ms']);
    expect(lines[0]).toMatchObject({ x_conversation_id: janeExt, x_user_id: '7001', x_username: 'jdoe88', state: 'escalated', customer_email: 'jane.doe@gmail.com', waited_ms: 2 * DAY });
    expect(lines[0]!.reason).toMatch(/^Customer's email 'Refund for HP-482913' from \d{4}-\d\d-\d\d is unanswered; they posted on X 2 days later/);
    expect(lines[1]).toMatchObject({ x_conversation_id: strangerExt, x_user_id: '7002', state: 'public_complaint', customer_email: null, waited_ms: null });

    const only = await cli(['--db', db, 'escalations', '--json', '--state', 'public_complaint']);
    expect(only.out.map((l) => (JSON.parse(l) as { x_user_id: string }).x_user_id)).toEqual(['7002']);

    const text = await cli(['--db', db, 'escalations']);
    expect(text.code).toBe(0);
    expect(text.out.join('\n')).toMatch(/^escalated +@jdoe88 \[conversation \d+, X .+\] → Jane Doe <jane\.doe@gmail\.com>, waited 2 days\n {4}Customer's email 'Refund for HP-482913'/);
    expect(text.err.join('\n')).toMatch(/2 marked X conversation\(s\): 1 escalated, 0 likely, 1 public complaints/);

    const bad = await cli(['--db', db, 'escalations', '--state', 'loud']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('\n')).toMatch(/--state must be one of escalated, likely, public_complaint, got "loud"/);
  });
});
