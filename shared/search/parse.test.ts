import { describe, expect, it } from 'vitest';
import { parseQuery, toFtsExpression } from './parse';

describe('search query language', () => {
  it('reads operators and leaves everything else as words', () => {
    const q = parseQuery('from:Jane to:billing@x.com channel:x is:escalated is:bogus before:2026-01-02 after:2025/12/01 refund "order 42"');
    expect(q.from).toEqual(['jane']);
    expect(q.to).toEqual(['billing@x.com']);
    expect(q.channel).toBe('x');
    expect(q.is).toEqual(['escalated']);
    expect(q.before).toBe(Date.UTC(2026, 0, 2));
    expect(q.after).toBe(Date.UTC(2025, 11, 1));
    expect(q.terms).toEqual([
      { text: 'is:bogus', phrase: false },
      { text: 'refund', phrase: false },
      { text: 'order 42', phrase: true },
    ]);
  });

  it('quotes every term so no input becomes FTS syntax; only the last word is a prefix', () => {
    const fts = (s: string) => toFtsExpression(parseQuery(s).terms);
    expect(fts('refund order')).toBe('"refund" AND "order"*');
    expect(fts('NEAR(a b) OR')).toBe('"NEAR(a" AND "b)" AND "OR"'); // OR is 2 characters: whole word
    expect(fts('say "hi there"')).toBe('"say" AND "hi there"');
    expect(fts('a"b')).toBe('"a""b"*');
    expect(fts('pa')).toBe('"pa"');
    expect(fts('***')).toBeNull();
    expect(fts('')).toBeNull();
    expect(fts('zażółć')).toBe('"zażółć"*');
  });
});
