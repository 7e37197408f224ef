import { describe, expect, it } from 'vitest';
import { expandUidSet, storedFlags, uidSet } from './uids';

describe('IMAP UID sets', () => {
  it('packs sorted or unsorted UIDs into ranges and back', () => {
    expect(uidSet([13, 1, 2, 3, 4, 5, 9, 12])).toBe('1:5,9,12:13');
    expect(expandUidSet('1:5,9,12:13')).toEqual([1, 2, 3, 4, 5, 9, 12, 13]);
    const many = Array.from({ length: 5000 }, (_, i) => 1 + i * 2 + (i % 7 === 0 ? 1 : 0));
    expect(expandUidSet(uidSet(many))).toEqual([...new Set(many)].sort((a, b) => a - b));
  });

  it('reads reversed ranges and skips what is not a UID', () => {
    expect(expandUidSet('7:5')).toEqual([5, 6, 7]);
    expect(expandUidSet('')).toEqual([]);
    expect(expandUidSet('*,0,x,3,2:*')).toEqual([3]);
  });

  it('stores flags sorted, without the per-session \\Recent', () => {
    expect(storedFlags(new Set(['\\Seen', '\\Recent', '$Label1', '\\Answered']))).toEqual(['$Label1', '\\Answered', '\\Seen']);
  });
});
