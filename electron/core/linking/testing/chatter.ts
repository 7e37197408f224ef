// Real support tweets for generated data sets: what strangers say to a business on X, read at
// generation time from ../shared/corpus/tweets (Kaggle's "Customer Support on Twitter" sample and
// IBM's customer-care set, with its real screen names). Test data only; nothing is copied into the app.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Chatter {
  /** Inbound tweet texts with their @mentions removed (the generator adds the business's handle). */
  texts: string[];
  /** Real screen names of people who wrote to support (IBM set). */
  handles: string[];
  /** Where they came from, or why there are none. */
  source: string;
}

export const TWEETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/corpus/tweets');

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function clean(text: string): string {
  return text
    .replace(/(^|\s)@\w+/g, ' ')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

let cached: Chatter | null = null;

/** The real inbound tweets and screen names, or empty lists with the reason when the corpus is absent. */
export function loadChatter(dir = TWEETS_DIR): Chatter {
  if (cached && dir === TWEETS_DIR) return cached;
  const texts: string[] = [];
  const handles: string[] = [];
  const csv = path.join(dir, 'twcs_random5000__divya-gh.csv');
  if (!fs.existsSync(csv)) return { texts, handles, source: `no real support tweets: ${csv} is absent (../shared is not beside the repository)` };
  const rows = parseCsv(fs.readFileSync(csv, 'utf8'));
  const head = rows[0]!;
  const ti = head.indexOf('text');
  const ii = head.indexOf('inbound');
  for (const r of rows.slice(1)) {
    if (r[ii] !== 'True') continue;
    const t = clean(r[ti] ?? '');
    if (t.length >= 15 && t.length <= 240) texts.push(t);
  }
  for (const f of ['dev.json', 'test.json']) {
    const p = path.join(dir, 'ibm_cdp', f);
    if (!fs.existsSync(p)) continue;
    const convs = JSON.parse(fs.readFileSync(p, 'utf8')) as { dialogContent?: { client?: string; message?: string }[] }[];
    for (const c of convs) {
      for (const u of c.dialogContent ?? []) {
        if (!u.client) continue;
        if (/^\w{1,15}$/.test(u.client)) handles.push(u.client);
        const t = clean(u.message ?? '');
        if (t.length >= 15 && t.length <= 240) texts.push(t);
      }
    }
  }
  const out = { texts, handles: [...new Set(handles)], source: `${texts.length} real support tweets and ${new Set(handles).size} screen names from ${dir}` };
  if (dir === TWEETS_DIR) cached = out;
  return out;
}
