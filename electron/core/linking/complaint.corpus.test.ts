// The complaint reader on 200 real customer tweets labelled by hand (complaint.fixture.json: keys
// and labels only; the texts are read from ../shared/corpus/tweets at run time). Prints accuracy and
// per-class precision/recall, and holds them to the bars below.
import { describe, expect, it } from 'vitest';
import { readPost, type PostKind } from './complaint';
import { TWEETS_DIR } from './testing/chatter';
import { labelledTweetsPresent, loadLabelledTweets } from './testing/labelled-tweets';

const present = labelledTweetsPresent();
if (!present) console.log(`complaint corpus test skipped: ${TWEETS_DIR} is absent (the tweet texts are not stored in the repo)`);

describe.skipIf(!present)('complaint reader on 200 hand-labelled real support tweets', () => {
  it('reads complaint, thanks, question and other at the stated bars', () => {
    const classes: PostKind[] = ['complaint', 'thanks', 'question', 'other'];
    const confusion = new Map<string, number>();
    let right = 0;
    let n = 0;
    const wrong: string[] = [];
    for (const { file, key, label, text } of loadLabelledTweets()) {
      expect(text, `${file} ${key}`).toBeDefined();
      const got = readPost(text!).kind;
      confusion.set(`${label}>${got}`, (confusion.get(`${label}>${got}`) ?? 0) + 1);
      n++;
      if (got === label) right++;
      else wrong.push(`${file} ${key}: labelled ${label}, read ${got}`);
    }
    const stat = (c: PostKind) => {
      const tp = confusion.get(`${c}>${c}`) ?? 0;
      const predicted = classes.reduce((s, l) => s + (confusion.get(`${l}>${c}`) ?? 0), 0);
      const actual = classes.reduce((s, g) => s + (confusion.get(`${c}>${g}`) ?? 0), 0);
      return { precision: predicted ? tp / predicted : 1, recall: actual ? tp / actual : 1, n: actual };
    };
    const per = Object.fromEntries(classes.map((c) => [c, stat(c)]));
    // Complaint versus not is what escalation reads.
    let cmpRight = 0;
    for (const [k, v] of confusion) if ((k.startsWith('complaint>') === k.endsWith('>complaint'))) cmpRight += v;
    console.log(
      `complaint reader on ${n} labelled tweets: accuracy ${(right / n).toFixed(3)}, complaint-vs-not accuracy ${(cmpRight / n).toFixed(3)}\n` +
        classes.map((c) => `  ${c.padEnd(9)} precision ${per[c]!.precision.toFixed(3)} recall ${per[c]!.recall.toFixed(3)} (n=${per[c]!.n})`).join('\n') +
        `\n  misread:\n    ${wrong.join('\n    ')}`,
    );
    expect(n).toBe(200);
    // Bars: four-class accuracy ≥ 0.75; complaint-vs-not ≥ 0.85; thanks are never read as complaints
    // more than once in 20 (a thank-you must not escalate); complaint precision ≥ 0.90, recall ≥ 0.85.
    expect(right / n).toBeGreaterThanOrEqual(0.75);
    expect(cmpRight / n).toBeGreaterThanOrEqual(0.85);
    expect((confusion.get('thanks>complaint') ?? 0) / per.thanks!.n).toBeLessThanOrEqual(0.05);
    expect(per.complaint!.precision).toBeGreaterThanOrEqual(0.9);
    expect(per.complaint!.recall).toBeGreaterThanOrEqual(0.85);
  });
});
