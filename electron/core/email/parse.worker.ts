// Worker thread entry: parses raw messages off the main thread (see parse-pool.ts).
import { parentPort } from 'node:worker_threads';
import { installFastBlob } from './fast-blob';
import { parseEmail, type ParseOptions, type ParsedEmail } from './parse';

// This thread only parses mail: postal-mime's Blob round trips are the costliest part of it.
installFastBlob();

interface Job {
  id: number;
  raws: Uint8Array[];
  opts: ParseOptions[];
}

parentPort?.on('message', (job: Job) => {
  void (async () => {
    const parsed: ParsedEmail[] = [];
    for (let i = 0; i < job.raws.length; i++) parsed.push(await parseEmail(job.raws[i]!, job.opts[i]));
    parentPort!.postMessage({ id: job.id, parsed });
  })().catch((e: unknown) => parentPort!.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) }));
});
