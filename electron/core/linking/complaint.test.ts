import { describe, expect, it } from 'vitest';
import { readPost } from './complaint';

const kind = (t: string) => readPost(t).kind;

describe('readPost', () => {
  it('reads thanks, praise and resolutions as thanks, never as complaints', () => {
    expect(kind('@shop thanks for sorting out my order!')).toBe('thanks');
    expect(kind('@shop finally got a reply about my kettle, thank you')).toBe('thanks');
    expect(kind('@shop finally got a reply about my refund')).toBe('thanks');
    expect(kind('@MicrosoftHelps Sorted now thanks, Xbox just been delivered')).toBe('thanks');
    expect(kind('@AppleSupport Never mind. I finally figured it out! Thanks though!')).toBe('thanks');
    expect(kind('@AirAsiaSupport wow not bad :) Thanks')).toBe('thanks');
    expect(kind('@shop love my new helmet')).toBe('thanks');
    expect(kind("@shop it's alright, thank you for checking in. The lamp won't dim but no worries, we'll manage")).toBe('thanks');
    expect(kind('@shop 2 hours late but the courier was GREAT')).toBe('thanks');
    expect(readPost('@shop finally got a reply about my order').cue).toBe('finally got a reply about my order');
  });

  it('reads still-unhappy posts after an answer as complaints, flagged stillUnhappy', () => {
    for (const t of [
      '@shop still no refund for my grinder',
      '@shop you replied but still nothing has arrived',
      '@shop your reply did not help, the lamp is still broken',
      '@shop the email you sent didn\u2019t help at all',
      '@shop got an answer but it still doesn\u2019t work',
      '@shop not fixed yet. Third week.',
    ]) {
      const r = readPost(t);
      expect(r.kind, t).toBe('complaint');
      expect(r.stillUnhappy, t).toBe(true);
    }
    expect(readPost('@shop my kettle arrived broken').stillUnhappy).toBe(false);
  });

  it('reads public trouble reports and warnings to others as complaints, "no trouble" not', () => {
    expect(kind('Anyone else having trouble with @shop gear')).toBe('complaint');
    expect(kind('@shop having trouble logging in since yesterday')).toBe('complaint');
    expect(kind('Do not buy from @shop?')).toBe('complaint');
    expect(readPost("Don't order from @shop, stay away").threat).toBe(true);
    expect(kind('@shop no trouble at all, thanks!')).toBe('thanks');
    expect(kind('Is @shop open on Sunday?')).toBe('question');
  });

  it('reads sarcasm as complaint', () => {
    expect(kind('@shop thanks for nothing')).toBe('complaint');
    expect(kind('@AmericanAir thanks for ruining my evening')).toBe('complaint');
    expect(kind('@AmazonHelp I\u2019m sure it\u2019ll all be fine. Have a great Saturday. \u{1F643}')).toBe('complaint');
    expect(kind('Thanks @Delta, I\u2019ll now exclusively be using another airline!')).toBe('complaint');
    expect(kind('Nothing beats pre-booking seats and your train being cancelled. Honestly \u{1F644}')).toBe('complaint');
  });

  it('reads threats to review, charge back, cancel or leave as complaints with threat set', () => {
    for (const t of [
      '@shop I will file a chargeback if this is not sorted',
      '@shop cancel my subscription, done with you',
      '@shop leaving a 1-star review today',
      '@shop never ordering from you again',
      '@shop I am going to switch to another provider',
    ]) {
      const r = readPost(t);
      expect(r.kind, t).toBe('complaint');
      expect(r.threat, t).toBe(true);
    }
  });

  it('reads problem reports, waiting and chasing as complaints', () => {
    expect(kind('@shop emailed you twice about my bike lock and nothing')).toBe('complaint');
    expect(kind('@shop my order never arrived')).toBe('complaint');
    expect(kind('@shop any update on my refund?')).toBe('complaint');
    expect(kind('@shop Reply to my DM please')).toBe('complaint');
    expect(kind('@HPSupport Touchpad not working. Need driver')).toBe('complaint');
    expect(kind('@shop Thank you! but the app still crashes on start')).toBe('complaint');
    expect(kind('@shop Is there a way to reach a human? Tried for 20 minutes without success. Thanks!')).toBe('complaint');
  });

  it('reads chasing their own case as a complaint, a plain question as a question', () => {
    expect(kind('@shop where is my refund?')).toBe('complaint');
    expect(kind('@shop did you get my email about the kettle?')).toBe('complaint');
    expect(kind('@shop has my order shipped yet?')).toBe('complaint');
    expect(kind('@AmazonHelp is ur investigation done??')).toBe('complaint');
    expect(kind('@shop can you help me pick a gift for my dad?')).toBe('question');
    expect(kind('@shop is it possible to change the address on my order?')).toBe('question');
    expect(kind('@shop how do I change my username?')).toBe('question');
    expect(kind('@shop can I still change the delivery address for my order?')).toBe('question');
  });

  it('keeps negated problems and plain questions apart from complaints', () => {
    expect(kind('@shop do you ship to Canada?')).toBe('question');
    expect(kind('@shop what time do you open on Sunday?')).toBe('question');
    expect(kind('@shop how much is the 256gb per month? Thanks.')).toBe('question');
    expect(kind('@shop no problem at all, see you Monday')).toBe('other');
    expect(kind('@shop I have never had an issue before')).toBe('other');
    expect(kind('@O2 you were on the waiting list, it is two phones')).toBe('other');
    expect(kind('@shop 17.03 from EUS')).toBe('other');
  });
});
