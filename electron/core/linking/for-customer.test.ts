import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { tempDir } from '../testing/tmp';

const t = tempDir('canary-links-customer-');
afterAll(() => t.cleanup());

describe('links.list for one customer (the customer panel of an email thread)', () => {
  it('returns exactly the X accounts linked or suggested for that customer, with the owner of each X identity', async () => {
    const core = createCore({ dataDir: t.dir });
    try {
      await core.call('demo.load', {});
      await core.call('links.refresh', { full: true });
      const all = await core.call('links.list', {});
      const suggested = all.find((a) => !a.linked && a.suggestions.length);
      const linked = all.find((a) => a.linked);
      expect(suggested, 'the demo has a pending suggestion').toBeDefined();
      expect(linked, 'the demo has a link').toBeDefined();

      const target = suggested!.suggestions[0]!.customerId;
      const forTarget = await core.call('links.list', { customerId: target });
      expect(forTarget.map((a) => a.identityId)).toContain(suggested!.identityId);
      for (const a of forTarget) {
        const mine = [a.linked, ...a.suggestions].filter((c) => c && c.customerId === target);
        expect(mine.length, `@${a.handle} is linked or suggested for customer ${target}`).toBe(1);
      }
      // The suggested account still belongs to its own X-only customer; a linked one to its email customer.
      expect(suggested!.ownerCustomerId).not.toBe(target);
      expect(linked!.ownerCustomerId).toBe(linked!.linked!.customerId);

      // A rejection takes the account off that customer's list.
      await core.call('links.reject', { linkId: suggested!.suggestions.find((c) => c.customerId === target)!.linkId });
      expect((await core.call('links.list', { customerId: target })).map((a) => a.identityId)).not.toContain(suggested!.identityId);
    } finally {
      core.dispose();
    }
  });
});
