// A synchronous stand-in for the global Blob, installed in the parser worker only.
//
// postal-mime joins every decoded MIME part through `new Blob(chunks).arrayBuffer()`. Node 20's
// Blob copies the chunks into a native blob, marks it transferable and reads it back through a
// stream of microtasks: that was ~30 % of the CPU of parsing a 1-2 KB message (profiled during the
// email first-sync benchmark). postal-mime only ever builds a Blob from strings and byte arrays and
// reads it back whole, which a plain concatenation does at a fraction of the cost.
//
// Parts of any other kind (another Blob, …) go to the original Blob, so behaviour stays the same.

type Part = string | ArrayBuffer | ArrayBufferView;

const encoder = new TextEncoder();
/** postal-mime pushes a '\n' string after every line: encode it once. */
const NEWLINE = encoder.encode('\n');

function concat(parts: readonly Part[]): Uint8Array {
  const bufs: Uint8Array[] = [];
  let size = 0;
  for (const p of parts) {
    const b = typeof p === 'string' ? (p === '\n' ? NEWLINE : encoder.encode(p)) : p instanceof ArrayBuffer ? new Uint8Array(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
    bufs.push(b);
    size += b.byteLength;
  }
  if (bufs.length === 1) return bufs[0]!.slice();
  const out = new Uint8Array(size);
  let at = 0;
  for (const b of bufs) {
    out.set(b, at);
    at += b.byteLength;
  }
  return out;
}

function isPlainPart(p: unknown): p is Part {
  return typeof p === 'string' || p instanceof ArrayBuffer || ArrayBuffer.isView(p);
}

/**
 * Replace globalThis.Blob with a synchronous byte-array Blob for strings and byte arrays (the
 * original handles anything else). Only for a thread that does nothing but parse mail.
 * Returns a function that puts the original back.
 */
export function installFastBlob(): () => void {
  const Original = globalThis.Blob;
  if ((Original as unknown as { fast?: boolean }).fast) return () => undefined;
  class FastBlob {
    static readonly fast = true;
    readonly #bytes!: Uint8Array;
    readonly type!: string;
    constructor(parts: readonly unknown[] = [], options: { type?: string } = {}) {
      if (!Array.from(parts).every(isPlainPart)) return new Original(parts as ConstructorParameters<typeof Blob>[0], options) as unknown as FastBlob;
      this.#bytes = concat(parts as Part[]);
      this.type = (options.type ?? '').toLowerCase();
    }
    get size(): number {
      return this.#bytes.byteLength;
    }
    async arrayBuffer(): Promise<ArrayBuffer> {
      const b = this.#bytes;
      return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : b.slice().buffer;
    }
    async bytes(): Promise<Uint8Array> {
      return this.#bytes.slice();
    }
    async text(): Promise<string> {
      return new TextDecoder().decode(this.#bytes);
    }
    slice(start?: number, end?: number, type?: string): FastBlob {
      return new FastBlob([this.#bytes.slice(start, end)], { type: type ?? this.type });
    }
    get [Symbol.toStringTag](): string {
      return 'Blob';
    }
  }
  globalThis.Blob = FastBlob as unknown as typeof Blob;
  return () => {
    if (globalThis.Blob === (FastBlob as unknown as typeof Blob)) globalThis.Blob = Original;
  };
}
