import type { CoreContext } from '../context';

export interface ImportResult {
  /** Files read. */
  files: number;
  /** New messages stored (emails, tweets, DM events). */
  imported: number;
  /** Items already present (re-imports store nothing twice). */
  duplicates: number;
  /** Problems that did not stop the import: file and reason. */
  problems: { file: string; reason: string }[];
  /** Conversations touched, for events and re-linking. */
  conversationIds: number[];
  /** What the import decided on its own (e.g. which addresses it took as the business's). */
  notes?: string[];
  /** Files (and folder entries) from which nothing could be imported: each has a problem saying why. */
  failedFiles?: string[];
}

/** Options of one import run (CLI flags). */
export interface ImportOptions {
  /** The business's own email addresses (`import --self a@x,b@x`); inferred from the mail when absent. */
  selfAddresses?: string[];
}

export interface ImportProgress {
  file: string;
  done: number;
  total: number;
}

/** One kind of file Canary can import (.eml, mbox, X API v2 pages, X archive DMs). */
export interface Importer {
  name: string;
  /** Whether this importer takes the file; `head` is its first 4 KiB. */
  detect(file: string, head: Buffer): boolean;
  /**
   * Import every file this importer claimed, in one go (X pages need their me.json; email threads
   * need all messages). Files are absolute paths, sorted.
   */
  run(ctx: CoreContext, files: string[], onProgress?: (p: ImportProgress) => void, options?: ImportOptions): Promise<ImportResult>;
}

export function emptyResult(): ImportResult {
  return { files: 0, imported: 0, duplicates: 0, problems: [], conversationIds: [] };
}
