import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { tempDir } from '../testing/tmp';
import { costOf, DEFAULT_X_PRICES, getUsage, recordUsage, withinCap } from './usage';

const t = tempDir('canary-x-usage-');
afterAll(() => t.cleanup());

describe('X usage meter', () => {
  it('prices reads per resource and writes per request, a post with a URL at its own rate', () => {
    expect(costOf({ postsRead: 100, usersRead: 10, dmEventsRead: 5 }, DEFAULT_X_PRICES)).toBeCloseTo(100 * 0.005 + 10 * 0.01 + 5 * 0.01, 9);
    expect(costOf({ postsCreated: 3, postsCreatedWithUrl: 1, dmsSent: 2 }, DEFAULT_X_PRICES)).toBeCloseTo(2 * 0.015 + 0.2 + 2 * 0.015, 9);
  });

  it('adds up per calendar month and checks the cap before a read', () => {
    const core = createCore({ dataDir: t.dir });
    try {
      core.db.prepare("INSERT INTO accounts (id, channel, name, created_at, updated_at) VALUES (7, 'x', 'Shop', 0, 0)").run();
      const nov = Date.UTC(2026, 10, 20);
      recordUsage(core.db, 7, { requests: 1, postsRead: 10 }, DEFAULT_X_PRICES, nov);
      const u = recordUsage(core.db, 7, { requests: 1, postsCreated: 1, postsCreatedWithUrl: 1 }, DEFAULT_X_PRICES, nov + 1000);
      expect(u).toMatchObject({ month: '2026-11', requests: 2, postsRead: 10, postsCreated: 1, postsCreatedWithUrl: 1 });
      expect(u.spendUsd).toBeCloseTo(0.05 + 0.2, 9);
      expect(getUsage(core.db, 7, Date.UTC(2026, 11, 1)).spendUsd).toBe(0); // December starts at zero
      expect(withinCap(u, 0.05, 0.3)).toBe(true);
      expect(withinCap(u, 0.06, 0.3)).toBe(false);
      expect(withinCap(u, 1000, null)).toBe(true);
    } finally {
      core.dispose();
    }
  });
});
