// Real support tweets labelled by hand (complaint.fixture.json, complaint.heldout.json: keys and labels only), with
// their texts read from ../shared/corpus/tweets: for the complaint reader's corpus test, and for
// generated data sets that need real posts whose kind is known (a customer's real-sounding post that
// is not a complaint must not count as an escalation). Empty when the corpus is absent.
import fs from 'node:fs';
import path from 'node:path';
import type { PostKind } from '../complaint';
import { parseCsv, TWEETS_DIR } from './chatter';

export interface LabelledTweet {
  file: string;
  key: string;
  label: PostKind;
  /** The tweet as written, or undefined when its file holds no such key. */
  text: string | undefined;
}

const HERE = path.dirname(new URL(import.meta.url).pathname);
/** The 200 labelled first (the reader's rules were then improved on them) and the 120 held out (measured once). */
export const LABEL_FILES = { fixture: path.resolve(HERE, '../complaint.fixture.json'), heldOut: path.resolve(HERE, '../complaint.heldout.json') } as const;

/** Tweet texts of one corpus file by key: TWCS rows by tweet_id, IBM utterances by tweet_ID. */
function textsOf(dir: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  const raw = fs.readFileSync(path.join(dir, file), 'utf8');
  if (file.endsWith('.json')) {
    for (const c of JSON.parse(raw) as { dialogContent: { tweet_ID: string; message: string }[] }[]) {
      for (const u of c.dialogContent) out.set(u.tweet_ID, u.message);
    }
    return out;
  }
  const rows = parseCsv(raw);
  const head = rows[0]!;
  const id = head.indexOf('tweet_id');
  const text = head.indexOf('text');
  for (const r of rows.slice(1)) if (r[id]) out.set(r[id], r[text] ?? '');
  return out;
}

/** Whether the corpus the labels refer to is here. */
export function labelledTweetsPresent(dir = TWEETS_DIR): boolean {
  return fs.existsSync(dir);
}

/** Every labelled tweet of a label file with its text (none when the corpus is absent). */
export function loadLabelledTweets(which: keyof typeof LABEL_FILES = 'fixture', dir = TWEETS_DIR): LabelledTweet[] {
  if (!labelledTweetsPresent(dir)) return [];
  const fixture = JSON.parse(fs.readFileSync(LABEL_FILES[which], 'utf8')) as { sources: Record<string, [string, PostKind][]> };
  const out: LabelledTweet[] = [];
  for (const [file, labels] of Object.entries(fixture.sources)) {
    const texts = textsOf(dir, file);
    for (const [key, label] of labels) out.push({ file, key, label, text: texts.get(key) });
  }
  return out;
}
