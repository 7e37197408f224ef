// Bulk source fetches on an IMAP connection of a worker thread's own (see parse.worker.ts).
//
// imapflow reads a FETCH response on the thread that owns the connection, and it works through
// whatever the socket has buffered in one chain of promises: a bare fetch on the main thread held
// the event loop for 160-190 ms at a time (npm run bench -- email), while the window's requests
// waited. So the big batches of a first sync or a backfill are fetched here, on a worker, and
// handed to the main thread in small groups (the sources are transferred, not copied); the main
// thread's own connection keeps the folder selected for searches, flags and IDLE, and this one
// opens it read-only.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { EmailAccountConfig } from './config';
import { connectImap } from './connect';
import { storedFlags, uidSet } from './uids';

export interface BulkFetchJob {
  config: Pick<EmailAccountConfig, 'imap' | 'user' | 'authType' | 'allowInvalidCerts'>;
  secret: string;
  folder: string;
  /** The UIDVALIDITY the UIDs belong to: a folder that changed meanwhile is refused. */
  uidValidity: number;
  uids: number[];
  /** Messages per group handed back. */
  group: number;
}

export interface FetchedSource {
  uid: number;
  flags: string[];
  internalDate: number | null;
  modseq: number | null;
  raw: Uint8Array;
}

/**
 * Why a bulk fetch failed: `network` when the connection is gone (the caller retries the pass);
 * `connect` when this connection could not be opened at all (a server that allows one connection
 * per user, say, or a fetch worker that did not start: the caller fetches on its own connection
 * instead). Raised in the worker, and again on the main thread from the worker's answer.
 */
export class BulkFetchError extends Error {
  constructor(
    message: string,
    readonly network: boolean,
    readonly connect = false,
  ) {
    super(message);
    this.name = 'BulkFetchError';
  }
}

/**
 * FETCH the sources of the given UIDs of the selected folder, each once, in the server's order
 * (UIDs it no longer has are skipped), with their flags as stored, INTERNALDATE and MODSEQ.
 */
export async function* fetchSources(client: ImapFlow, uids: readonly number[]): AsyncGenerator<FetchedSource> {
  const want = new Set(uids);
  for await (const m of client.fetch(uidSet(uids), { uid: true, flags: true, internalDate: true, source: true }, { uid: true }) as AsyncIterable<FetchMessageObject>) {
    if (!want.has(m.uid) || !m.source) continue;
    want.delete(m.uid);
    yield {
      uid: m.uid,
      flags: storedFlags(m.flags),
      internalDate: m.internalDate ? new Date(m.internalDate).getTime() : null,
      modseq: m.modseq ? Number(m.modseq) : null,
      raw: m.source,
    };
  }
}

/** A connection is logged out after this long without a fetch. */
const IDLE_CLOSE_MS = 15_000;

interface Held {
  client: ImapFlow;
  timer: NodeJS.Timeout | null;
}

const held = new Map<string, Held>();

function keyOf(job: BulkFetchJob): string {
  return `${job.config.imap.host}\n${job.config.imap.port}\n${job.config.user}`;
}

async function connection(job: BulkFetchJob): Promise<Held> {
  const key = keyOf(job);
  const h = held.get(key);
  if (h && h.client.usable) {
    if (h.timer) clearTimeout(h.timer);
    h.timer = null;
    return h;
  }
  if (h) forget(key);
  const fresh: Held = { client: await connectImap(job.config, job.secret), timer: null };
  held.set(key, fresh);
  return fresh;
}

function forget(key: string): void {
  const h = held.get(key);
  if (!h) return;
  held.delete(key);
  if (h.timer) clearTimeout(h.timer);
  h.client.close();
}

function release(key: string): void {
  const h = held.get(key);
  if (!h) return;
  h.timer = setTimeout(() => {
    held.delete(key);
    void h.client.logout().catch(() => h.client.close());
  }, IDLE_CLOSE_MS);
  h.timer.unref();
}

/** Log out of every held connection (before the worker ends). */
export async function closeBulkConnections(): Promise<void> {
  const all = [...held.values()];
  held.clear();
  await Promise.all(
    all.map(async (h) => {
      if (h.timer) clearTimeout(h.timer);
      await h.client.logout().catch(() => h.client.close());
    }),
  );
}

/**
 * Fetch the sources of the given UIDs of a folder; `onGroup` receives them in groups of
 * `job.group`, in the server's order. Returns how many were fetched (UIDs the server no longer
 * has are skipped).
 */
export async function bulkFetch(job: BulkFetchJob, onGroup: (items: FetchedSource[]) => void): Promise<number> {
  const key = keyOf(job);
  let h: Held;
  try {
    h = await connection(job);
  } catch (e) {
    throw new BulkFetchError((e as Error).message ?? String(e), true, true);
  }
  const client = h.client;
  let count = 0;
  try {
    const mb = client.mailbox && client.mailbox.path === job.folder ? client.mailbox : await client.mailboxOpen(job.folder, { readOnly: true });
    if (Number(mb.uidValidity) !== job.uidValidity) {
      throw new BulkFetchError(`The UIDVALIDITY of ${job.folder} changed during the sync (${job.uidValidity} → ${String(mb.uidValidity)}).`, false);
    }
    let group: FetchedSource[] = [];
    for await (const m of fetchSources(client, job.uids)) {
      // A compact copy: the source is a view into a larger buffer, and this one is transferred.
      group.push({ ...m, raw: new Uint8Array(m.raw) });
      count++;
      if (group.length >= job.group) {
        onGroup(group);
        group = [];
      }
    }
    if (group.length) onGroup(group);
    if (!client.usable) throw new BulkFetchError(`The connection to the IMAP server closed while fetching from ${job.folder}.`, true);
    release(key);
    return count;
  } catch (e) {
    const network = !client.usable || (e instanceof BulkFetchError && e.network);
    if (network) forget(key);
    else release(key);
    if (e instanceof BulkFetchError) throw e;
    throw new BulkFetchError((e as Error).message ?? String(e), network);
  }
}
