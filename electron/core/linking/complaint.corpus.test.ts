// The complaint reader on 200 real customer tweets labelled by hand (complaint.fixture.json: keys
// and labels only; the texts are read from ../shared/corpus/tweets at run time). Prints accuracy and
// per-class precision/recall, and holds them to the bars below.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPost, type PostKind } from './complaint';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'complaint.fixture.json'), 'utf8')) as {
  sources: Record<string, [string, PostKind][]>;
};
const corpus = path.resolve(__dirname, '../../../../shared/corpus/tweets');
const present = fs.existsSync(corpus);
if (!present) console.log(`complaint corpus test skipped: ${corpus} is absent (the tweet texts are not stored in the repo)`);

/** Tweet texts by key: TWCS rows by tweet_id, IBM utterances by tweet_ID. */
function texts(file: string): Map<string, string> {
  const out = new Map<string, string>();
  const raw = fs.readFileSync(path.join(corpus, file), 'utf8');
  if (file.endsWith('.json')) {
    for (const c of JSON.parse(raw) as { dialogContent: { tweet_ID: string; message: string }[] }[]) {
      for (const u of c.dialogContent) out.set(u.tweet_ID, u.message);
    }
    return out;
  }
  // CSV with quoted fields (commas, quotes and newlines inside quotes).
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (quoted) {
      if (ch === '"' && raw[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  const head = rows[0]!;
  const id = head.indexOf('tweet_id');
  const text = head.indexOf('text');
  for (const r of rows.slice(1)) if (r[id]) out.set(r[id]!, r[text]!);
  return out;
}

describe.skipIf(!present)('complaint reader on 200 hand-labelled real support tweets', () => {
  it('reads complaint, thanks, question and other at the stated bars', () => {
    const classes: PostKind[] = ['complaint', 'thanks', 'question', 'other'];
    const confusion = new Map<string, number>();
    let right = 0;
    let n = 0;
    const wrong: string[] = [];
    for (const [file, labels] of Object.entries(fixture.sources)) {
      const byKey = texts(file);
      for (const [key, label] of labels) {
        const text = byKey.get(key);
        expect(text, `${file} ${key}`).toBeDefined();
        const got = readPost(text!).kind;
        confusion.set(`${label}>${got}`, (confusion.get(`${label}>${got}`) ?? 0) + 1);
        n++;
        if (got === label) right++;
        else wrong.push(`${file} ${key}: labelled ${label}, read ${got}`);
      }
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
