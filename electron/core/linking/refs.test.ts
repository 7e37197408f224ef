// Reference forms of other trades: booking codes, zero-padded invoice numbers quoted without padding.
import { describe, expect, it } from 'vitest';
import { extractRefs } from './refs';

const keys = (text: string, loose = false) => extractRefs(text, { loose }).flatMap((r) => [r.core, ...r.alt]);

describe('booking codes and padded numbers', () => {
  it('reads a booking code in mail where a word marks it, in capitals', () => {
    expect(keys('Booking reference QZ5WYN - meal request')).toContain('QZ5WYN');
    expect(keys('Booking reference MKRTPA - refund')).toContain('MKRTPA');
    // Not the word after "reference", not a lowercase word after "booking".
    expect(keys('Booking reference MKRTPA - refund')).not.toContain('ERENCE');
    expect(keys('my booking refund never came')).toEqual([]);
    expect(keys('I travel with ZQ5WYN')).toEqual([]);
  });

  it('reads it on X bare or in lower case (it counts only when the mail has the same code)', () => {
    expect(keys('GC7DEN still not resolved', true)).toContain('GC7DEN');
    expect(keys('ref: gc7den please check', true)).toContain('GC7DEN');
    expect(keys('MKRTPA any news?', true)).toContain('MKRTPA');
  });

  it('meets a zero-padded invoice number quoted without its padding or prefix', () => {
    const mail = keys('Invoice INV-004512');
    expect(mail).toContain('4512');
    expect(keys('INV4512 please check', true)).toContain('4512');
    expect(keys('invoice 4512', true)).toContain('4512');
  });
});

describe('a tracking number copied in groups', () => {
  it('joins groups of capitals and digits on X into the code the mail has', () => {
    const mail = keys('Tracking number 1ZAVVKF70977648064 - parcel');
    const x = keys('1ZAV VKF7 0977 6480 64 still not resolved', true);
    expect(x.some((k) => mail.includes(k))).toBe(true);
    // Not in mail, and not ordinary words in capitals.
    expect(keys('1ZAV VKF7 0977 6480 64')).toEqual(keys('0977 6480 64'));
    expect(keys('I AM SO MAD AT YOU', true)).toEqual([]);
  });
});

describe('a code after a letter prefix', () => {
  it('meets "BB-DLGJH7" quoted as "DLGJH7" on X, not a bare word or number group', () => {
    const mail = keys('Order BB-DLGJH7 - preorder');
    expect(mail).toContain('DLGJH7');
    expect(keys('DLGJH7 third week now', true).some((k) => mail.includes(k))).toBe(true);
    // Plain words and numbers after a prefix are not codes of their own.
    expect(keys('Order AB-HELLO - gift')).not.toContain('HELLO');
    expect(keys('Booking WAGL73 - meal')).toEqual(['WAGL73']);
  });
});
