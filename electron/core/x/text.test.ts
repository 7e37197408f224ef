import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareIds, expandUrls, findUrls, makeSnowflake, snowflakeTime, tweetLength, unescapeXText } from './text';

describe('X text rules', () => {
  it('counts weighted length like twitter-text v3', () => {
    expect(tweetLength('hello').weightedLength).toBe(5);
    expect(tweetLength('あ'.repeat(140))).toMatchObject({ weightedLength: 280, valid: true });
    expect(tweetLength('あ'.repeat(141))).toMatchObject({ weightedLength: 282, valid: false, problem: 'too_long' });
    expect(tweetLength('👨‍👩‍👧').weightedLength).toBe(2); // one emoji sequence
    expect(tweetLength('©').weightedLength).toBe(1);
    expect(tweetLength('café').weightedLength).toBe(4);
    expect(tweetLength('e\u0301').weightedLength).toBe(1); // NFC first
    expect(tweetLength('“quoted” — dash').weightedLength).toBe(15);
    expect(tweetLength('http://a.very.long.domain.example.com/path?q=1').weightedLength).toBe(23);
    expect(tweetLength('two https://x.com/a and www.example.org').weightedLength).toBe(4 + 23 + 5 + 23);
    expect(tweetLength('mail me at a@example.com').urls).toEqual([]);
    expect(tweetLength('').problem).toBe('empty');
    expect(tweetLength('bad \uFFFE').problem).toBe('invalid_characters');
  });

  it('agrees with twitter-text 3.1.0 on 470 mixed samples (CJK, emoji sequences, URLs with and without scheme, rare TLDs)', () => {
    const file = path.join(__dirname, 'testing/twitter-text-lengths.json');
    const { samples } = JSON.parse(fs.readFileSync(file, 'utf8')) as { samples: [string, number][] };
    expect(samples.length).toBeGreaterThan(450);
    const diffs = samples.filter(([text, n]) => tweetLength(text).weightedLength !== n).map(([text, n]) => ({ text, expected: n, got: tweetLength(text).weightedLength }));
    expect(diffs).toEqual([]);
  });

  it('finds URLs without trailing punctuation, keeps balanced parentheses', () => {
    expect(findUrls('see https://example.com/a.').map((u) => u.url)).toEqual(['https://example.com/a']);
    expect(findUrls('(https://en.wikipedia.org/wiki/Foo_(bar))').map((u) => u.url)).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)']);
    expect(findUrls('example.com, shop.co.uk!').map((u) => u.url)).toEqual(['example.com', 'shop.co.uk']);
  });

  it('decodes entities and expands t.co links', () => {
    expect(unescapeXText('a &amp; b &lt;3 &gt;')).toBe('a & b <3 >');
    expect(expandUrls('go https://t.co/x now', [{ url: 'https://t.co/x', expanded_url: 'https://example.com/long' }])).toBe('go https://example.com/long now');
  });

  it('reads and makes snowflake ids; compares ids as numbers', () => {
    const ms = Date.UTC(2026, 9, 3, 8, 28, 2);
    expect(snowflakeTime(makeSnowflake(ms, 5))).toBe(ms);
    expect(snowflakeTime('2106300227254451483')).toBe(Date.parse('2026-10-03T08:28:02.000Z'));
    expect(snowflakeTime('1700')).toBeNull();
    expect(compareIds('999', '1000')).toBe(-1);
    expect(compareIds('2106300227254451483', '2106300227254451483')).toBe(0);
  });
});
