import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../core/createCore';
import { DAY, T0, World } from '../../core/linking/testing/world';
import { cli } from '../testing';

const H = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Jane mails on Tuesday 2026-06-02 09:00 and posts two days later; Ann is answered in 2 h, Bob in 6 h. */
function mailbox(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-cli-report-'));
  dirs.push(dir);
  const db = path.join(dir, 'c.db');
  const core = createCore({ dataDir: dir, dbPath: db });
  const w = new World(core.db);
  w.mail({ address: 'ann@example.com' }, 'Where is my parcel', 'Hello', T0, { replyAt: T0 + 2 * H });
  w.mail({ address: 'bob@example.com' }, 'Broken kettle', 'It broke', T0 + H, { replyAt: T0 + 7 * H });
  w.mail({ address: 'jane.doe@gmail.com', name: 'Jane Doe' }, 'Refund for HP-482913', 'Hi,\n\nWhere is my refund?\n\nJane', T0 + DAY);
  w.post({ id: '7001', handle: 'jdoe88', name: 'Jane' }, 'emailed you 3 times about HP 482913, nothing', T0 + 3 * DAY);
  core.dispose();
  return db;
}

describe('canary report', () => {
  it('prints one JSON object with the documented figures, honours the range and writes one CSV per table', async () => {
    const db = mailbox();
    const r = await cli(['--db', db, 'report', '--json']);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const o = JSON.parse(r.out[0]!) as Record<string, unknown>;
    // Ann, Bob, Jane's mail, Jane's post; answered in 2 h and 6 h: p50 = 2 h (rank 1), p90 = 6 h (rank 2).
    expect(o).toMatchObject({ conversations: 4, first_reply_ms: { p50: 2 * H, p90: 6 * H }, escalations: 1, escalation_wait_ms: { p50: 2 * DAY, p90: 2 * DAY } });

    const later = await cli(['--db', db, 'report', '--json', '--since', '2026-06-02', '--until', '2026-06-04']);
    expect(JSON.parse(later.out[0]!)).toMatchObject({ since: '2026-06-02', until: '2026-06-04', conversations: 2, first_reply_ms: { p50: null, p90: null }, escalations: 1 });

    const out = path.join(path.dirname(db), 'csv');
    const c = await cli(['--db', db, 'report', '--csv', out]);
    expect(c.code).toBe(0);
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(
      [
        'escalation_wait',
        'escalations_per_week',
        'failed_accounts',
        'failed_hours',
        'failed_reference_kinds',
        'failed_subject_words',
        'failed_tags',
        'failed_weekdays',
        'follow_ups',
        'goals_per_week',
        'summary',
        'times_per_week',
      ].map((n) => `${n}.csv`),
    );
    expect(fs.readFileSync(path.join(out, 'summary.csv'), 'utf8')).toContain(`first_reply_p90_ms,${6 * H}\r\n`);
    expect(fs.readFileSync(path.join(out, 'escalations_per_week.csv'), 'utf8')).toBe('week,escalations,unanswered\r\n2026-06-01,1,1\r\n');
    expect(fs.readFileSync(path.join(out, 'failed_weekdays.csv'), 'utf8')).toContain('Tuesday,1\r\n');
    // Goals: none set, so the history's 75th percentile of first replies (2 h, 6 h: rank 2, 6 h). Ann and Bob
    // met it; Jane's mail and post are open and unanswered for months: missed.
    expect(fs.readFileSync(path.join(out, 'goals_per_week.csv'), 'utf8')).toBe('week,met,missed,pending,met_pct\r\n2026-06-01,2,2,0,50\r\n');
    expect(c.err.join('\n')).toMatch(/wrote 12 CSV files/);

    const text = await cli(['--db', db, 'report']);
    expect(text.code).toBe(0);
    expect(text.out.join('\n')).toMatch(/Conversations: 4, answered 2; first reply p50 2 h, p90 6 h; resolution p50 –, p90 –/);
    expect(text.out.join('\n')).toMatch(/Escalations: 1, 1 after unanswered mail/);
    expect(text.out.join('\n')).toMatch(/First reply within the goal: 50% \(2 met, 2 missed, 0 pending\)/);
  });

  it('refuses a malformed date with a clear error', async () => {
    const db = mailbox();
    const bad = await cli(['--db', db, 'report', '--since', 'yesterday']);
    expect(bad.code).not.toBe(0);
    expect(bad.err.join('\n')).toMatch(/--since takes a date YYYY-MM-DD, got "yesterday"/);
    const inverted = await cli(['--db', db, 'report', '--since', '2026-06-08', '--until', '2026-06-01']);
    expect(inverted.code).not.toBe(0);
    expect(inverted.err.join('\n')).toMatch(/since must not be after until/);
  });
});
