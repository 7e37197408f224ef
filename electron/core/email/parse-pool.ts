// Parsing raw mail in a worker thread, so that during a sync the main thread fetches and stores
// while another core parses. When the worker cannot start (its file is not there, e.g. in a bundle
// that did not build it) parsing runs in-process: same results, just on one core.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckpointMode, CheckpointResult } from '../db/checkpoint';
import { BulkFetchError, type BulkFetchJob, type FetchedSource } from './imap/bulk-fetch';
import { parseEmail, type ParseOptions, type ParsedEmail } from './parse';

export interface Parser {
  parseMany(raws: Uint8Array[], opts: ParseOptions[]): Promise<ParsedEmail[]>;
  /**
   * A WAL checkpoint of the database file from the worker's own connection (db/checkpoint.ts), so
   * the main thread does not do it; null when there is no worker (the caller checkpoints itself).
   */
  checkpoint(file: string, mode: CheckpointMode, nativeBinding?: string): Promise<CheckpointResult | null>;
  /**
   * Fetch the sources of a batch of a folder on a worker's own IMAP connection (imap/bulk-fetch.ts),
   * handing them over in groups as they come; resolves to how many were fetched. Only with
   * workers: undefined in-process (the caller fetches on its own connection).
   */
  fetchSources?(job: BulkFetchJob, onItems: (items: FetchedSource[]) => void): Promise<number>;
  /** 'worker' or 'in-process' */
  readonly mode: string;
  close(): Promise<void>;
}

const inProcess: Parser = {
  mode: 'in-process',
  async parseMany(raws, opts) {
    const out: ParsedEmail[] = [];
    for (let i = 0; i < raws.length; i++) out.push(await parseEmail(raws[i]!, opts[i]));
    return out;
  },
  async checkpoint() {
    return null;
  },
  async close() {},
};

/** tsx's ESM registration entry, to run the worker from TypeScript sources. */
function tsxApi(from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const f = path.join(dir, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs');
    if (fs.existsSync(f)) return f;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * The built worker for a module living in `here`: beside it (sources compiled file by file), or one
 * folder up, because electron-vite puts the worker entry in out/main/ (electron.vite.config.ts) and
 * the code that starts it in a shared chunk under out/main/chunks/.
 */
export function builtWorkerPath(here: string): string | null {
  for (const dir of [here, path.dirname(here)]) {
    const js = path.join(dir, 'parse.worker.js');
    if (fs.existsSync(js)) return js;
  }
  return null;
}

/** How to start the worker: the built .js (see builtWorkerPath), or the .ts source through tsx. */
function workerSpec(): { code: string; eval: boolean } | null {
  let here: string;
  try {
    here = path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return null;
  }
  const js = builtWorkerPath(here);
  if (js) return { code: js, eval: false };
  const ts = path.join(here, 'parse.worker.ts');
  const api = fs.existsSync(ts) ? tsxApi(here) : null;
  if (!api) return null;
  // From sources (CLI, tests, benchmarks run through tsx): `--import tsx` in a worker's execArgv
  // does not apply its hooks on Node 20, so register tsx inside the worker, then load the source.
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(ts).href)}); })
    .catch((e) => { console.error('canary parser worker:', e); process.exit(1); });`;
  return { code, eval: true };
}

interface Reply {
  id: number;
  parsed?: ParsedEmail[];
  checkpoint?: CheckpointResult;
  /** A group of a bulk fetch (more follow until `fetched`). */
  items?: FetchedSource[];
  fetched?: number;
  error?: string;
  /** With the `error` of a bulk fetch: whether its connection is gone, or could not be opened (see BulkFetchError). */
  network?: boolean;
  connect?: boolean;
}

interface Pending {
  resolve: (m: Reply) => void;
  reject: (e: Error) => void;
  onItems?: (items: FetchedSource[]) => void;
}

/** Requests to one worker thread, answered by id (a bulk fetch answers in several messages). */
class WorkerChannel {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  failed: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.items) {
        try {
          p.onItems?.(m.items);
        } catch (e) {
          // The caller gave up on this fetch; what still comes for it is dropped.
          this.pending.delete(m.id);
          p.reject(e as Error);
        }
        return;
      }
      this.pending.delete(m.id);
      // An idle worker must not keep the process alive; a busy one must (or Node exits mid-await).
      if (!this.pending.size) this.worker.unref();
      if (m.error === undefined) p.resolve(m);
      else if (m.network !== undefined) p.reject(new BulkFetchError(m.error, m.network, m.connect === true));
      else p.reject(new Error(`parser worker: ${m.error}`));
    });
    const fail = (e: Error) => {
      this.failed ??= e;
      for (const p of this.pending.values()) p.reject(p.onItems ? new BulkFetchError(e.message, true) : e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`parser worker exited (${code})`)));
    worker.unref();
  }

  request(job: object, transfer: ArrayBuffer[] = [], onItems?: (items: FetchedSource[]) => void): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    const id = ++this.seq;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onItems });
      this.worker.ref();
      this.worker.postMessage({ id, ...job }, transfer);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('closed');
    await this.worker.terminate();
  }
}

/** The fetch worker ends this long after its last bulk fetch (after its IMAP connection's own 15 s). */
const FETCHER_IDLE_MS = 30_000;

class WorkerParser implements Parser {
  /** 'worker' while the worker is healthy; says why when parsing fell back to this thread. */
  get mode(): string {
    return this.parser.failed ? `in-process (worker stopped: ${this.parser.failed.message})` : 'worker';
  }
  private readonly parser: WorkerChannel;
  /** A second worker for bulk fetches, started on the first one (imap/bulk-fetch.ts). */
  private fetcher: WorkerChannel | null = null;

  constructor(private readonly spec: { code: string; eval: boolean }) {
    this.parser = new WorkerChannel(new Worker(spec.code, { eval: spec.eval }));
  }

  async parseMany(raws: Uint8Array[], opts: ParseOptions[]): Promise<ParsedEmail[]> {
    // A worker that died is replaced by in-process parsing: nothing is lost, only slower.
    if (this.parser.failed) return inProcess.parseMany(raws, opts);
    try {
      // IMAP sources are small views into Node's shared 8 KB buffer pool, and posting a view
      // clones its whole buffer: send compact copies instead, transferred rather than cloned.
      const own = raws.map((r) => new Uint8Array(r));
      const m = await this.parser.request(
        { raws: own, opts },
        own.map((r) => r.buffer),
      );
      if (!m.parsed) throw new Error('parser worker: no result');
      return m.parsed;
    } catch {
      return inProcess.parseMany(raws, opts);
    }
  }

  async checkpoint(file: string, mode: CheckpointMode, nativeBinding?: string): Promise<CheckpointResult | null> {
    if (this.parser.failed) return null;
    try {
      return (await this.parser.request({ checkpoint: { file, mode, ...(nativeBinding ? { nativeBinding } : {}) } })).checkpoint ?? null;
    } catch {
      return null; // the caller checkpoints on its own connection
    }
  }

  async fetchSources(job: BulkFetchJob, onItems: (items: FetchedSource[]) => void): Promise<number> {
    if (this.fetcherIdle) clearTimeout(this.fetcherIdle);
    this.fetcherIdle = null;
    if (!this.fetcher || this.fetcher.failed) {
      try {
        this.fetcher = new WorkerChannel(new Worker(this.spec.code, { eval: this.spec.eval }));
      } catch (e) {
        throw new BulkFetchError(`could not start the fetch worker: ${(e as Error).message}`, true, true);
      }
    }
    const fetcher = this.fetcher;
    try {
      return (await fetcher.request({ fetch: job }, [], onItems)).fetched ?? 0;
    } finally {
      // Bulk fetches come during a first sync or a backfill; after that the worker (and its
      // connection, logged out by then) is not kept: a live sync can run for days.
      this.fetcherIdle = setTimeout(() => {
        if (this.fetcher === fetcher) this.fetcher = null;
        void fetcher.close();
      }, FETCHER_IDLE_MS);
      this.fetcherIdle.unref();
    }
  }

  private fetcherIdle: NodeJS.Timeout | null = null;

  async close(): Promise<void> {
    if (this.fetcherIdle) clearTimeout(this.fetcherIdle);
    const f = this.fetcher;
    this.fetcher = null;
    if (f && !f.failed) {
      // Log out of its IMAP connections before it ends (a second at most).
      await Promise.race([f.request({ closeConnections: true }).catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    }
    await Promise.all([this.parser.close(), f?.close()]);
  }
}

/** A parser on a worker thread when possible, else in-process. */
export function createParser(opts: { worker?: boolean } = {}): Parser {
  if (opts.worker === false || process.env.CANARY_PARSE_WORKER === '0') return inProcess;
  const spec = workerSpec();
  if (!spec) return inProcess;
  try {
    return new WorkerParser(spec);
  } catch {
    return inProcess;
  }
}

export { inProcess as inProcessParser };
