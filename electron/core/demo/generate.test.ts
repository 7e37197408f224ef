import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../createCore';
import { generateDemo } from './generate';

let core: Core | null = null;
let dir = '';
afterEach(() => {
  core?.dispose();
  core = null;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const now = Date.UTC(2026, 10, 23, 12);

describe('demo workspace', () => {
  it('is the same for the same seed and different for another', () => {
    expect(JSON.stringify(generateDemo({ now }))).toBe(JSON.stringify(generateDemo({ now })));
    expect(JSON.stringify(generateDemo({ now, seed: 7 }))).not.toBe(JSON.stringify(generateDemo({ now })));
  });

  it('is a small business with email, posts, DMs, escalations and evidenced links', () => {
    const ws = generateDemo({ now });
    const kinds = new Map<string, number>();
    for (const c of ws.conversations) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + c.messages.length);
    expect(kinds.get('email')).toBeGreaterThan(150);
    expect(kinds.get('tweet')).toBeGreaterThan(20);
    expect(kinds.get('dm')).toBeGreaterThan(20);
    const esc = ws.conversations.filter((c) => c.escalation);
    expect(esc.length).toBeGreaterThanOrEqual(3);
    for (const e of esc) {
      // Every escalation points at an email thread of the same person that is still unanswered.
      const mail = ws.conversations.find((c) => c.key === e.escalation!.emailConversation)!;
      expect(mail.with).toBe(e.with);
      expect(mail.messages.every((m) => m.from !== 'self')).toBe(true);
      expect(e.messages[0]!.at).toBeGreaterThan(mail.messages[0]!.at);
    }
    expect(ws.links!.length).toBeGreaterThan(10);
    for (const l of ws.links!) expect(l.evidence.length).toBeGreaterThan(0);
    for (const c of ws.conversations) for (const m of c.messages) expect(m.at).toBeLessThan(now);
    const handles = ws.people.flatMap((p) => (p.x ? [p.x.handle] : []));
    expect(new Set(handles).size).toBe(handles.length);
    for (const h of handles) expect(h).toMatch(/^[A-Za-z0-9_]{1,15}$/);
  });

  it('loads through the contract into an empty database only', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-demo-'));
    core = createCore({ dataDir: dir, now: () => now });
    const r = await core.call('demo.load', {});
    expect(r.messages).toBeGreaterThan(300);
    const counts = await core.call('conversations.counts', {});
    expect(counts.all).toBe(r.conversations);
    expect(counts.escalated).toBe(r.escalations);
    const first = (await core.call('conversations.list', { limit: 1 })).items[0]!;
    expect(first.escalated).toBe(true);
    await expect(core.call('demo.load', {})).rejects.toMatchObject({ code: 'conflict' });
    expect((await core.call('stats.get', {})).messages).toBe(r.messages);
  });
});
