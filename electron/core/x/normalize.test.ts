// The X page validator's messages for error pages the API returns instead of data.
import { describe, expect, it } from 'vitest';
import { validateTweetsPage, XPageError } from './normalize';

describe('X error pages', () => {
  it('are refused with their title and detail in words, objects as JSON, never [object Object]', () => {
    const refuse = (json: unknown) => {
      try {
        validateTweetsPage(json, 'GET /2/users/:id/mentions');
      } catch (e) {
        expect(e).toBeInstanceOf(XPageError);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refuse({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 })).toContain(
      'the page is an X API error, not data: Too Many Requests: Too Many Requests',
    );
    const m = refuse({ errors: [{ title: { code: 88 }, detail: { reason: 'rate limited', reset: 1700000000 } }] });
    expect(m).toContain('{"code":88}: {"reason":"rate limited","reset":1700000000}');
    expect(m).not.toContain('[object Object]');
    // Long details are cut.
    expect(refuse({ title: 'x', detail: 'y'.repeat(1000) }).length).toBeLessThan(500);
  });
});
