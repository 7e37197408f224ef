import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where credentials live: never in SQLite, logs or error messages. The database keeps only an
 * opaque reference (accounts.credential_ref).
 */
export interface SecretStore {
  get(ref: string): string | null;
  set(ref: string, value: string): void;
  delete(ref: string): void;
  /** A short description for settings ("file readable only by you", "OS keychain"). */
  readonly kind: string;
  /** Every secret string held (leaf values of stored JSON too), for the log to cut out of its lines. */
  values?(): string[];
}

/** Optional encryption layer (Electron passes safeStorage's encryptString/decryptString). */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
  readonly kind: string;
}

/**
 * A JSON file only the owner can read (0600), written atomically (temp file + rename). Under
 * Electron the values are additionally encrypted with the OS keychain via safeStorage.
 */
export class FileSecretStore implements SecretStore {
  readonly kind: string;
  constructor(
    private readonly file: string,
    private readonly cipher?: SecretCipher,
  ) {
    this.kind = cipher ? cipher.kind : 'file readable only by you (0600)';
  }

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`The credentials file ${this.file} is unreadable; fix or remove it.`, { cause: e });
    }
  }

  private write(data: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
  }

  get(ref: string): string | null {
    const v = this.read()[ref];
    if (v == null) return null;
    if (!this.cipher) return v;
    return this.cipher.decrypt(Buffer.from(v, 'base64'));
  }

  /** Bumped by every set and delete (the log re-reads the values it scrubs when it changes). */
  generation = 0;

  set(ref: string, value: string): void {
    this.generation++;
    const data = this.read();
    data[ref] = this.cipher ? this.cipher.encrypt(value).toString('base64') : value;
    this.write(data);
  }

  values(): string[] {
    const out = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string') {
        if (v.length >= 6) out.add(v);
        try {
          const j = JSON.parse(v) as unknown;
          if (j && typeof j === 'object') for (const x of Object.values(j as Record<string, unknown>)) walk(x);
        } catch {
          // a bare secret
        }
      } else if (v && typeof v === 'object') for (const x of Object.values(v as Record<string, unknown>)) walk(x);
    };
    for (const ref of Object.keys(this.read())) {
      try {
        walk(this.get(ref));
      } catch {
        // undecryptable: nothing to scrub
      }
    }
    return [...out];
  }

  delete(ref: string): void {
    this.generation++;
    const data = this.read();
    if (!(ref in data)) return;
    delete data[ref];
    this.write(data);
  }
}

export function newSecretRef(prefix: string): string {
  return `${prefix}:${crypto.randomUUID()}`;
}
