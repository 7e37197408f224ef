// Issue 18, defect 1: one mail with 50,000 Cc recipients is stored in under 2 s (it used to take
// ~68 s to import and then fail with "too many SQL variables"), and a message's cost grows linearly
// with its size (5,000 vs 50,000 recipients). Figures: `canary import` of the .eml (importPath on a
// fresh database), an incremental IMAP sync pass that finds it as new mail (real Dovecot, when
// installed), and the growth ratio of parse + store. Baseline: postal-mime alone parsing the message.
import fs from 'node:fs';
import PostalMime from 'postal-mime';
import { createCore } from '../../electron/core/createCore';
import { addEmailAccount } from '../../electron/core/email/accounts';
import { ingestBatch } from '../../electron/core/email/ingest';
import { syncAccountOnce } from '../../electron/core/email/sync';
import { manyRecipients } from '../../electron/core/email/testing/many-recipients';
import { importPath } from '../../electron/core/import';
import { Dovecot, dovecotAvailable, makeRawEmail } from '../../electron/core/testing/dovecot';
import { tempDir } from '../../electron/core/testing/tmp';
import { median, type Bench, type BenchFigure } from './types';

const N = 50_000;

async function timeIngest(raw: Buffer): Promise<number> {
  const t = tempDir('canary-bench-rcpt-');
  const core = createCore({ dataDir: t.dir });
  try {
    const t0 = performance.now();
    const [r] = await ingestBatch(core.ctx, [raw]);
    const ms = performance.now() - t0;
    if (!r?.ok) throw new Error(`not stored: ${r && !r.ok ? r.error : '?'}`);
    return ms;
  } finally {
    core.dispose();
    t.cleanup();
  }
}

const bench: Bench = {
  name: 'recipients',
  async run({ quick, log }) {
    const runs = quick ? 1 : 3;
    const raw = manyRecipients(N, 'bench');
    log(`message: ${N.toLocaleString('en-US')} Cc recipients, ${(raw.length / 2 ** 20).toFixed(1)} MiB`);
    const figures: BenchFigure[] = [];

    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await PostalMime.parse(raw);
      bare.push(performance.now() - t0);
    }

    const imports: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = tempDir('canary-bench-rcpt-');
      const core = createCore({ dataDir: t.dir });
      try {
        const file = `${t.dir}/big.eml`;
        fs.writeFileSync(file, raw);
        const t0 = performance.now();
        const r = await importPath(core.ctx, file);
        imports.push(performance.now() - t0);
        if (r.imported !== 1 || r.problems.length) throw new Error(`import: ${JSON.stringify(r.problems)}`);
      } finally {
        core.dispose();
        t.cleanup();
      }
    }
    const imp = median(imports);
    log(`import runs: ${imports.map((x) => x.toFixed(0)).join(', ')} ms`);
    figures.push({
      metric: `canary import of one ${N.toLocaleString('en-US')}-recipient .eml (median of ${runs})`,
      value: imp,
      unit: 'ms',
      target: '< 2000 ms',
      ok: imp < 2000,
      baseline: { metric: 'postal-mime parse alone', value: median(bare), unit: 'ms' },
    });

    if (dovecotAvailable()) {
      const d = await Dovecot.start({ users: { bench: 'pw' } });
      const t = tempDir('canary-bench-rcpt-');
      const core = createCore({ dataDir: t.dir });
      try {
        d.save('bench', makeRawEmail({ from: 'a@cust.example', to: 'support@biz.example', subject: 'first', body: 'x' }));
        const { account } = await addEmailAccount(core.ctx, { name: 'B', address: 'support@biz.example', imap: { host: d.host, port: d.port, tls: 'off' }, user: 'bench', secret: 'pw' });
        await syncAccountOnce(core.ctx, account.id, { folders: ['INBOX'] });
        d.save('bench', raw);
        const t0 = performance.now();
        const [r] = await syncAccountOnce(core.ctx, account.id, { folders: ['INBOX'] });
        const ms = performance.now() - t0;
        if (r?.stored !== 1) throw new Error(`sync stored ${r?.stored}: ${r?.errors.join('; ')}`);
        figures.push({ metric: `IMAP sync pass that finds and stores it as new mail (Dovecot, connect to logout)`, value: ms, unit: 'ms', target: '< 2000 ms', ok: ms < 2000 });
      } finally {
        core.dispose();
        t.cleanup();
        await d.stop();
      }
    } else log('dovecot not installed: the IMAP figure is skipped');

    await timeIngest(manyRecipients(500, 'warm'));
    const small: number[] = [];
    const big: number[] = [];
    for (let i = 0; i < runs; i++) {
      small.push(await timeIngest(manyRecipients(N / 10, `s${i}`)));
      big.push(await timeIngest(manyRecipients(N, `b${i}`)));
    }
    const ratio = median(big) / median(small);
    log(`parse + store: ${(N / 10).toLocaleString('en-US')} recipients ${median(small).toFixed(0)} ms, ${N.toLocaleString('en-US')} recipients ${median(big).toFixed(0)} ms`);
    figures.push({
      metric: `growth of parse + store from ${(N / 10).toLocaleString('en-US')} to ${N.toLocaleString('en-US')} recipients (10x the size)`,
      value: ratio,
      unit: 'x',
      target: '≈ 10 (linear), < 25',
      ok: ratio < 25,
    });
    return figures;
  },
};

export default bench;
