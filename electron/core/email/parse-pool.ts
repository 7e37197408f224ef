// Parsing raw mail in a worker thread, so that during a sync the main thread fetches and stores
// while another core parses. When the worker cannot start (its file is not there, e.g. in a bundle
// that did not build it) parsing runs in-process: same results, just on one core.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseEmail, type ParseOptions, type ParsedEmail } from './parse';

export interface Parser {
  parseMany(raws: Uint8Array[], opts: ParseOptions[]): Promise<ParsedEmail[]>;
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

class WorkerParser implements Parser {
  /** 'worker' while the worker is healthy; says why when parsing fell back to this thread. */
  get mode(): string {
    return this.failed ? `in-process (worker stopped: ${this.failed.message})` : 'worker';
  }
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (p: ParsedEmail[]) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; parsed?: ParsedEmail[]; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      // An idle worker must not keep the process alive; a busy one must (or Node exits mid-await).
      if (!this.pending.size) this.worker.unref();
      if (m.parsed) p.resolve(m.parsed);
      else p.reject(new Error(`parser worker: ${m.error}`));
    });
    const fail = (e: Error) => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`parser worker exited (${code})`)));
    worker.unref();
  }

  async parseMany(raws: Uint8Array[], opts: ParseOptions[]): Promise<ParsedEmail[]> {
    // A worker that died is replaced by in-process parsing: nothing is lost, only slower.
    if (this.failed) return inProcess.parseMany(raws, opts);
    const id = ++this.seq;
    try {
      return await new Promise<ParsedEmail[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.worker.ref();
        // IMAP sources are small views into Node's shared 8 KB buffer pool, and posting a view
        // clones its whole buffer: send compact copies instead, transferred rather than cloned.
        const own = raws.map((r) => new Uint8Array(r));
        this.worker.postMessage({ id, raws: own, opts }, own.map((r) => r.buffer));
      });
    } catch {
      return inProcess.parseMany(raws, opts);
    }
  }

  async close(): Promise<void> {
    this.failed ??= new Error('closed');
    await this.worker.terminate();
  }
}

/** A parser on a worker thread when possible, else in-process. */
export function createParser(opts: { worker?: boolean } = {}): Parser {
  if (opts.worker === false || process.env.CANARY_PARSE_WORKER === '0') return inProcess;
  const spec = workerSpec();
  if (!spec) return inProcess;
  try {
    return new WorkerParser(new Worker(spec.code, { eval: spec.eval }));
  } catch {
    return inProcess;
  }
}

export { inProcess as inProcessParser };
