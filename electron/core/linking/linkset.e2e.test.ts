// End to end on the shared development data set: import ../shared/linkset-dev into a fresh database,
// link, print `canary links --json` lines and score them with ../shared/score-links.mjs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { importPath } from '../import';
import { toJsonLine } from './view';

const shared = path.resolve(__dirname, '../../../../shared');
const dataset = path.join(shared, 'linkset-dev');
const scorer = path.join(shared, 'score-links.mjs');
const present = fs.existsSync(path.join(dataset, 'truth.json')) && fs.existsSync(scorer);
if (!present) console.warn(`skipping linking e2e: ${dataset} or ${scorer} not found`);

describe.skipIf(!present)('linking on ../shared/linkset-dev', () => {
  it('meets the precision, recall and suggest@3 targets', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-linkset-'));
    const core = createCore({ dataDir: dir });
    try {
      const imp = await importPath(core.ctx, dataset);
      expect(imp.problems).toEqual([]);
      await core.call('links.refresh', {});
      const accounts = await core.call('links.list', {});
      const out = path.join(dir, 'links.jsonl');
      fs.writeFileSync(out, accounts.map((a) => JSON.stringify(toJsonLine(a))).join('\n') + '\n');
      const res = JSON.parse(execFileSync(process.execPath, [scorer, path.join(dataset, 'truth.json'), out], { encoding: 'utf8' })) as {
        precision: number;
        recall: number;
        suggest_at_3: number;
        missing_rows: number;
      };
      console.log(`linkset-dev: ${JSON.stringify(res)}`);
      expect(res.missing_rows).toBe(0);
      expect(res.precision).toBeGreaterThanOrEqual(0.98);
      expect(res.recall).toBeGreaterThanOrEqual(0.7);
      expect(res.suggest_at_3).toBeGreaterThanOrEqual(0.9);
      // One line per X account seen.
      expect(accounts.length).toBe(299);
      // Every link and suggestion explains itself.
      for (const a of accounts) {
        if (a.linked) expect(a.linked.evidence.length).toBeGreaterThan(0);
        for (const s of a.suggestions) expect(s.evidence.length).toBeGreaterThan(0);
      }
    } finally {
      core.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('links incrementally (half the mail, then the posts and the rest) exactly as a full re-link does', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-linkset-incr-'));
    const core = createCore({ dataDir: path.join(dir, 'core') });
    try {
      for (const part of ['a/mail', 'b/mail', 'b/x']) fs.mkdirSync(path.join(dir, part), { recursive: true });
      fs.readdirSync(path.join(dataset, 'mail'))
        .sort()
        .forEach((f, i) => fs.copyFileSync(path.join(dataset, 'mail', f), path.join(dir, i % 2 ? 'b' : 'a', 'mail', f)));
      for (const f of fs.readdirSync(path.join(dataset, 'x'))) fs.copyFileSync(path.join(dataset, 'x', f), path.join(dir, 'b', 'x', f));
      await importPath(core.ctx, path.join(dir, 'a'));
      await core.call('links.refresh', {});
      await importPath(core.ctx, path.join(dir, 'b'));
      const r = await core.call('links.refresh', {});
      expect(r.scored).toBeGreaterThan(0);
      const incremental = (await core.call('links.list', {})).map(toJsonLine);
      await core.call('links.refresh', { full: true });
      const full = (await core.call('links.list', {})).map(toJsonLine);
      expect(incremental).toEqual(full);
    } finally {
      core.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
