// The core's structured log: one JSON object per line in <data folder>/logs/canary.log (0600 in a
// 0700 folder), rotated at 2 MB with three older files kept (canary.1.log … canary.3.log).
// Services get child loggers carrying their context (`log.child({ service: 'email-sync', accountId })`).
// Every caught error is logged once, where it is handled, with that context.
//
// What never reaches a log line: a password, token or other secret, and message content. Fields
// whose name says they hold one (password, secret, token, authorization, cookie, body, text, html,
// raw, payload, content, snippet, subject…) are replaced by "[redacted]" at any depth, secrets the
// core holds (the credentials store's values, given to `scrub`) are cut out of every string, and
// "Bearer …", "password=…" and similar forms are masked wherever they appear.
import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
}

/** Where log lines go. */
export interface LogSink {
  write(line: string): void;
}

const SECRET_KEY = /pass(word|wd)?|secret|token|authori[sz]ation|cookie|credential|api[-_]?key|bearer|^(body|text|html|raw|payload|content|snippet|subject|bodytext|body_text|body_html)$/i;
const INLINE = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\b((?:access|refresh|id)_token|client_secret|password|passwd|pwd|oauth_token|oauth_signature)=([^&\s"']+)/gi,
  /\b(AUTHENTICATE\s+\w+\s+)\S+/gi,
];

/** Mask secrets inside a string: inline forms, and every known secret value. */
export function scrubString(s: string, known: readonly string[] = []): string {
  let out = s;
  for (const k of known) if (k.length >= 4) out = out.split(k).join('[redacted]');
  out = out.replace(INLINE[0]!, '$1 [redacted]').replace(INLINE[1]!, '$1=[redacted]').replace(INLINE[2]!, '$1[redacted]');
  return out;
}

function clean(v: unknown, known: readonly string[], depth: number): unknown {
  if (typeof v === 'string') return scrubString(v.length > 2000 ? `${v.slice(0, 2000)}…` : v, known);
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? String(v) : v;
  if (depth > 5) return '[…]';
  if (v instanceof Error) {
    const e = v as Error & { code?: unknown; responseText?: unknown; responseStatus?: unknown };
    return {
      name: e.name,
      message: scrubString(e.message ?? '', known),
      ...(e.code !== undefined ? { code: clean(e.code, known, depth + 1) } : {}),
      ...(e.responseStatus !== undefined ? { responseStatus: e.responseStatus } : {}),
      ...(e.stack ? { stack: scrubString(e.stack.split('\n').slice(1, 6).join('\n'), known) } : {}),
    };
  }
  if (Array.isArray(v)) return v.slice(0, 50).map((x) => clean(x, known, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : clean(x, known, depth + 1);
  return out;
}

/** A sink appending to <dir>/canary.log, rotating at `maxBytes` and keeping `keep` older files. */
export class FileLogSink implements LogSink {
  readonly file: string;
  private size = -1;
  constructor(
    readonly dir: string,
    private readonly maxBytes = 2_000_000,
    private readonly keep = 3,
  ) {
    this.file = path.join(dir, 'canary.log');
  }

  write(line: string): void {
    try {
      if (this.size < 0) {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
      }
      if (this.size + line.length > this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, line, { mode: 0o600 });
      this.size += Buffer.byteLength(line);
    } catch {
      // A log that cannot be written must not take the app down.
    }
  }

  private rotate(): void {
    for (let i = this.keep; i >= 1; i--) {
      const from = i === 1 ? this.file : path.join(this.dir, `canary.${i - 1}.log`);
      const to = path.join(this.dir, `canary.${i}.log`);
      if (fs.existsSync(from)) fs.renameSync(from, to);
    }
    this.size = 0;
  }

  /** The newest `n` lines across the current and rotated files, oldest first. */
  tail(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i <= this.keep && out.length < n; i++) {
      const f = i === 0 ? this.file : path.join(this.dir, `canary.${i}.log`);
      if (!fs.existsSync(f)) continue;
      const lines = fs.readFileSync(f, 'utf8').split('\n').filter(Boolean);
      out.unshift(...lines.slice(Math.max(0, lines.length - (n - out.length))));
    }
    return out;
  }
}

export interface LoggerOptions {
  sink: LogSink;
  level?: LogLevel;
  /** The secrets the core holds right now (scrubbed from every line). */
  secrets?: () => readonly string[];
  /** Also write warnings and errors to stderr (the CLI and the browser host in a terminal). */
  echo?: (line: string) => void;
  now?: () => number;
}

export function createLogger(o: LoggerOptions, bindings: LogFields = {}): Logger {
  const min = ORDER[o.level ?? 'info'];
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const known = o.secrets?.() ?? [];
    const rec = clean({ ...bindings, ...(fields ?? {}) }, known, 0) as Record<string, unknown>;
    const line = `${JSON.stringify({ t: new Date((o.now ?? Date.now)()).toISOString(), level, msg: scrubString(msg, known), ...rec })}\n`;
    o.sink.write(line);
    if (o.echo && ORDER[level] >= ORDER.warn) o.echo(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (b) => createLogger(o, { ...bindings, ...b }),
  };
}

/** A logger that writes nowhere (for code that runs without a core). */
export const nullLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => nullLogger };
