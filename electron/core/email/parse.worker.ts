// Worker thread entry (see parse-pool.ts): parses raw messages off the main thread, runs the WAL
// checkpoints of a bulk sync from a database connection of its own (db/checkpoint.ts), and, in
// the pool's second worker, fetches the big batches of a sync on an IMAP connection of its own
// (imap/bulk-fetch.ts).
import { parentPort } from 'node:worker_threads';
import type { CheckpointMode } from '../db/checkpoint';
import { installFastBlob } from './fast-blob';
import type * as BulkFetchModule from './imap/bulk-fetch';
import type { BulkFetchJob } from './imap/bulk-fetch';
import { parseEmail, type ParseOptions, type ParsedEmail } from './parse';

// This thread only parses mail: postal-mime's Blob round trips are the costliest part of it.
installFastBlob();

type Job =
  | { id: number; raws: Uint8Array[]; opts: ParseOptions[] }
  | { id: number; checkpoint: { file: string; mode: CheckpointMode; nativeBinding?: string } }
  | { id: number; fetch: BulkFetchJob }
  | { id: number; closeConnections: true };

parentPort?.on('message', (job: Job) => {
  void (async () => {
    if ('checkpoint' in job) {
      // Loaded on first use: a worker that only parses never opens the database.
      const { checkpointFile } = await import('../db/checkpoint');
      parentPort!.postMessage({ id: job.id, checkpoint: checkpointFile(job.checkpoint.file, job.checkpoint.mode, job.checkpoint.nativeBinding) });
      return;
    }
    if ('fetch' in job) {
      let mod: typeof BulkFetchModule;
      try {
        mod = await import('./imap/bulk-fetch');
      } catch (e) {
        // This thread cannot fetch (imapflow did not load here): the sync fetches on its own connection.
        parentPort!.postMessage({ id: job.id, error: `the fetch worker could not load: ${(e as Error)?.message ?? String(e)}`, network: true, connect: true });
        return;
      }
      try {
        const count = await mod.bulkFetch(job.fetch, (items) => parentPort!.postMessage({ id: job.id, items }));
        parentPort!.postMessage({ id: job.id, fetched: count });
      } catch (e) {
        const b = e instanceof mod.BulkFetchError ? e : null;
        parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e), network: b ? b.network : true, connect: b ? b.connect : false });
      }
      return;
    }
    if ('closeConnections' in job) {
      const { closeBulkConnections } = await import('./imap/bulk-fetch');
      await closeBulkConnections();
      parentPort!.postMessage({ id: job.id, closed: true });
      return;
    }
    const parsed: ParsedEmail[] = [];
    for (let i = 0; i < job.raws.length; i++) parsed.push(await parseEmail(job.raws[i]!, job.opts[i]));
    parentPort!.postMessage({ id: job.id, parsed });
  })().catch((e: unknown) => parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) }));
});
