// A throw-away Dovecot IMAP server for tests and benchmarks: foreground process in its own
// process group, temp config and Maildir under /tmp, plaintext auth on 127.0.0.1, a free port.
// See field notes §4 for the pitfalls this works around (uid 65534, chmod 755, short base_dir,
// anvil penalty off).
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const NOBODY = 65534;
let seedCounter = 0;

/** Whether the `dovecot` binary is installed (tests skip with a printed reason when not). */
export function dovecotAvailable(): boolean {
  return findBinary('dovecot') !== null && findBinary('doveadm') !== null;
}

function findBinary(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin', '/usr/local/sbin']);
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** Processes of a process group that are not zombies. */
function liveGroupMembers(pgid: number): number {
  const r = spawnSync('ps', ['-e', '-o', 'pgid=,stat='], { encoding: 'utf8' });
  let n = 0;
  for (const line of r.stdout.split('\n')) {
    const [g, stat] = line.trim().split(/\s+/);
    if (Number(g) === pgid && stat && !stat.startsWith('Z')) n++;
  }
  return n;
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolve once something accepts TCP connections on host:port. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface DovecotOptions {
  /** user → password; default { alice: 'secret' }. */
  users?: Record<string, string>;
  /** Extra folders (besides INBOX, Sent, Trash) created for every user at start. */
  folders?: string[];
  /** Disable the QRESYNC/CONDSTORE extensions (imap_capability without them), to test fallbacks. */
  noCondstore?: boolean;
  /** Offer CONDSTORE but not QRESYNC, to test the CONDSTORE-only path. */
  noQresync?: boolean;
  /**
   * Serve TLS with a fresh self-signed certificate (openssl req, CN localhost, SAN 127.0.0.1):
   * STARTTLS offered on `port`, implicit TLS on `tlsPort`. Plaintext login stays allowed.
   */
  tls?: boolean;
  /** IMAP connections one user may hold from one address (Dovecot's mail_max_userip_connections; default 200). */
  maxConnectionsPerUser?: number;
  /**
   * Also accept XOAUTH2 and OAUTHBEARER logins (the oauth2 passdb, field notes §11): Dovecot POSTs
   * each token to this introspection URL and logs in the answer's `username` when `active` is true.
   */
  oauth2IntrospectionUrl?: string;
  /**
   * Folders (names as written in Dovecot's global ACL file, e.g. `INBOX`) where the user may read,
   * mark seen, delete, add and expunge but not write other flags (the acl plugin, rights `lrstipekx`
   * without `w`): PERMANENTFLAGS is then `(\Deleted \Seen)`, without `\*`: no custom keywords, as on
   * Microsoft 365 (which keeps \Answered and \Flagged; refused here too).
   */
  noKeywords?: string[];
}

export interface FolderStatus {
  messages: number;
  uidnext: number;
  uidvalidity: number;
  highestmodseq: number;
  unseen: number;
}

export class Dovecot {
  readonly host = '127.0.0.1';
  private child: ChildProcess | null = null;
  private stopped = false;

  /** Port of the implicit-TLS (imaps) listener when started with `tls`, else null. */
  tlsPort: number | null = null;
  /** The self-signed certificate (PEM) when started with `tls`, else null. */
  cert: string | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly conf: string,
    readonly users: Record<string, string>,
  ) {}

  /** Write a config, start `dovecot -F` in its own process group and wait until the port accepts. */
  static async start(opts: DovecotOptions = {}): Promise<Dovecot> {
    if (!dovecotAvailable()) throw new Error('dovecot is not installed (apt-get install -y dovecot-imapd)');
    const users = opts.users ?? { alice: 'secret' };
    // Keep the base path short: unix socket paths must stay under 108 bytes.
    const dir = fs.mkdtempSync('/tmp/dvc-');
    fs.chmodSync(dir, 0o755);
    for (const sub of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, sub));
    fs.chownSync(path.join(dir, 'mail'), NOBODY, NOBODY);
    const usersFile = path.join(dir, 'users');
    fs.writeFileSync(
      usersFile,
      Object.entries(users)
        .map(([u, p]) => `${u}:{PLAIN}${p}\n`)
        .join(''),
      { mode: 0o644 },
    );
    const port = await freePort();
    const conf = path.join(dir, 'dovecot.conf');
    let ssl = 'ssl = no';
    let tlsPort = 0;
    if (opts.tls) {
      const key = path.join(dir, 'key.pem');
      const crt = path.join(dir, 'cert.pem');
      const r = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          key,
          '-out',
          crt,
          '-days',
          '2',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
        ],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`openssl req failed (is openssl installed?): ${r.error?.message ?? r.stderr}`);
      }
      tlsPort = await freePort();
      ssl = `ssl = yes\nssl_cert = <${crt}\nssl_key = <${key}`;
    }
    const base = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT NAMESPACE UIDPLUS LIST-EXTENDED CHILDREN ESEARCH LITERAL+ SPECIAL-USE MOVE UNSELECT LIST-STATUS';
    let oauth2 = '';
    if (opts.oauth2IntrospectionUrl) {
      const ext = path.join(dir, 'oauth2.conf.ext');
      fs.writeFileSync(
        ext,
        `introspection_mode = post\nintrospection_url = ${opts.oauth2IntrospectionUrl}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\nforce_introspection = yes\n`,
        { mode: 0o644 },
      );
      oauth2 = `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${ext}\n}\n`;
    }
    let acl = '';
    if (opts.noKeywords?.length) {
      const file = path.join(dir, 'global-acl');
      // Only these folders are listed: every other folder keeps the owner's default rights (a `*` line would override these).
      fs.writeFileSync(file, [...opts.noKeywords.map((f) => `${f} owner lrstipekx`), ''].join('\n'), { mode: 0o644 });
      acl = `mail_plugins = $mail_plugins acl\nplugin {\n  acl = vfile:${file}\n}\n`;
    }
    const caps = opts.noCondstore ? `imap_capability = ${base}\n` : opts.noQresync ? `imap_capability = ${base} CONDSTORE\n` : '';
    fs.writeFileSync(
      conf,
      `base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = canary-test-${path.basename(dir)}
protocols = imap
listen = 127.0.0.1
${ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login${opts.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}
auth_failure_delay = 0
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
default_internal_user = dovecot
default_login_user = dovenull
mail_location = maildir:${dir}/mail/%n/Maildir
mail_fsync = never
${acl}${oauth2}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${usersFile}
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${dir}/mail/%n
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tlsPort}
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
protocol imap {
  mail_max_userip_connections = ${opts.maxConnectionsPerUser ?? 200}
  ${caps}
}
`,
    );
    const d = new Dovecot(dir, port, conf, users);
    if (opts.tls) {
      d.tlsPort = tlsPort;
      d.cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    }
    try {
      await d.spawn();
      for (const user of Object.keys(users)) {
        for (const f of opts.folders ?? []) d.doveadm(['mailbox', 'create', '-u', user, f]);
      }
    } catch (e) {
      await d.stop();
      throw e;
    }
    return d;
  }

  private async spawn(): Promise<void> {
    const child = spawn(findBinary('dovecot')!, ['-F', '-c', this.conf], { detached: true, stdio: 'ignore' });
    this.child = child;
    child.unref();
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    try {
      await waitForPort(this.port, this.host, 10_000);
      if (this.tlsPort) await waitForPort(this.tlsPort, this.host, 10_000);
    } catch (e) {
      if (exited) throw new Error(`dovecot exited at start; log:\n${this.log()}`, { cause: e });
      throw e;
    }
  }

  /** Kill the whole process group (the master and every imap child) and wait for the port to close. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.child = null;
    const pgid = child.pid;
    const t0 = Date.now();
    // Poll rather than wait for 'exit': the child is unref'd, and timers keep the loop alive.
    // Children of the group (log, auth, imap sessions) may outlive the master: finish them off.
    let sig: NodeJS.Signals = signal;
    for (;;) {
      try {
        process.kill(-pgid, sig);
      } catch {
        break; // no process left in the group
      }
      await new Promise((res) => setTimeout(res, 5));
      // orphaned children become zombies until init reaps them (slow in some sandboxes): a group of
      // zombies is a dead group
      if (liveGroupMembers(pgid) === 0) break;
      if (Date.now() - t0 > 1000) sig = 'SIGKILL';
      if (Date.now() - t0 > 10_000) throw new Error(`dovecot process group ${pgid} does not die`);
    }
  }

  /** Start again on the same port and Maildir (after kill()). */
  async restart(): Promise<void> {
    if (this.child) await this.kill();
    await this.spawn();
  }

  /** Stop the server and remove its files. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 5 });
  }

  /**
   * CPU time (ms, user + system) used so far by the server: every process of its group, with the
   * sessions that already ended (counted in their parent's children times). Linux /proc only;
   * null elsewhere. For benchmarks that want to know how much of the machine the server took.
   */
  cpuMs(): number | null {
    const pgid = this.child?.pid;
    if (!pgid) return null;
    let ticks = 0;
    let found = false;
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
    } catch {
      return null;
    }
    for (const e of entries) {
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      // fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) !== pgid) continue;
      found = true;
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    }
    return found ? ticks * 10 : null; // USER_HZ is 100 on Linux
  }

  /** Kill the per-session `imap` processes (drops every client connection) but leave the server up. */
  killSessions(): number {
    if (!this.child?.pid) return 0;
    // session processes are titled "dovecot-<instance>/imap" (one per logged-in connection)
    const r = spawnSync('pgrep', ['-g', String(this.child.pid), '-f', '/imap$'], { encoding: 'utf8' });
    const pids = r.stdout
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0 && n !== this.child?.pid);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // raced with its exit
      }
    }
    return pids.length;
  }

  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** Run doveadm with this instance's config; throws with its stderr on failure. */
  doveadm(args: string[], input?: Buffer | string): string {
    const r = spawnSync(findBinary('doveadm')!, ['-c', this.conf, ...args], { input, maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) {
      throw new Error(`doveadm ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString() ?? ''}`);
    }
    return r.stdout.toString();
  }

  /** Async doveadm (does not block the event loop, so an IMAP client in the same process keeps running). */
  doveadmAsync(args: string[], input?: Buffer | string): Promise<string> {
    return new Promise((resolve, reject) => {
      const p = execFile(findBinary('doveadm')!, ['-c', this.conf, ...args], { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`doveadm ${args.join(' ')} failed: ${stderr}`));
        else resolve(stdout);
      });
      if (input !== undefined) p.stdin!.end(input);
    });
  }

  /** Deliver one raw message into a folder (doveadm save). */
  save(user: string, raw: Buffer | string, folder = 'INBOX'): void {
    this.doveadm(['save', '-u', user, '-m', folder], raw);
  }

  saveAsync(user: string, raw: Buffer | string, folder = 'INBOX'): Promise<string> {
    return this.doveadmAsync(['save', '-u', user, '-m', folder], raw);
  }

  /**
   * Bulk seeding: write Maildir files directly (fastest); Dovecot assigns UIDs in file-name order
   * on its next look at the folder. `raws` are delivered oldest first.
   */
  seedMaildir(user: string, raws: Iterable<Buffer | string>, folder = 'INBOX', opts: { seen?: boolean } = {}): number {
    const base = path.join(this.dir, 'mail', user, 'Maildir');
    const fdir = folder === 'INBOX' ? base : path.join(base, `.${folder.replace(/\//g, '.')}`);
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(fdir, sub), { recursive: true });
    let n = 0;
    const stamp = Math.floor(Date.now() / 1000);
    const host = os.hostname().replace(/[/:]/g, '_');
    for (const raw of raws) {
      // A process-wide counter keeps names unique across calls within the same second.
      const name = `${stamp}.M${String(seedCounter++).padStart(8, '0')}P${process.pid}.${host}`;
      const target = opts.seen ? path.join(fdir, 'cur', `${name}:2,S`) : path.join(fdir, 'new', name);
      fs.writeFileSync(target, raw);
      n++;
    }
    spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, path.join(this.dir, 'mail', user)]);
    // let Dovecot assign UIDs now, in order, rather than during the first client's SELECT
    this.doveadm(['force-resync', '-u', user, folder]);
    return n;
  }

  flagsAdd(user: string, folder: string, uid: number | string, flags: string[]): void {
    this.doveadm(['flags', 'add', '-u', user, flags.join(' '), 'mailbox', folder, 'uid', String(uid)]);
  }

  flagsRemove(user: string, folder: string, uid: number | string, flags: string[]): void {
    this.doveadm(['flags', 'remove', '-u', user, flags.join(' '), 'mailbox', folder, 'uid', String(uid)]);
  }

  expunge(user: string, folder: string, uid: number | string): void {
    this.doveadm(['expunge', '-u', user, 'mailbox', folder, 'uid', String(uid)]);
  }

  createFolder(user: string, folder: string): void {
    this.doveadm(['mailbox', 'create', '-u', user, folder]);
  }

  /** Force a new UIDVALIDITY on a folder (UIDs are kept). */
  setUidValidity(user: string, folder: string, uidvalidity: number): void {
    this.doveadm(['mailbox', 'update', '-u', user, '--uid-validity', String(uidvalidity), folder]);
  }

  status(user: string, folder = 'INBOX'): FolderStatus {
    const out = this.doveadm(['-f', 'flow', 'mailbox', 'status', '-u', user, 'messages uidnext uidvalidity highestmodseq unseen', folder]);
    const m = (k: string) => Number(new RegExp(`\\b${k}=(\\d+)`).exec(out)?.[1] ?? NaN);
    return { messages: m('messages'), uidnext: m('uidnext'), uidvalidity: m('uidvalidity'), highestmodseq: m('highestmodseq'), unseen: m('unseen') };
  }

  /** uid → flags of every message in a folder. */
  listFlags(user: string, folder = 'INBOX'): Map<number, string[]> {
    const out = this.doveadm(['-f', 'flow', 'fetch', '-u', user, 'uid flags', 'mailbox', folder]);
    const res = new Map<number, string[]>();
    for (const line of out.split('\n')) {
      const m = /uid=(\d+)\s+flags=(.*)$/.exec(line.trim());
      if (m) res.set(Number(m[1]), m[2]!.trim() ? m[2]!.trim().split(/\s+/) : []);
    }
    return res;
  }

  uids(user: string, folder = 'INBOX'): number[] {
    return [...this.listFlags(user, folder).keys()].sort((a, b) => a - b);
  }
}

/** A small realistic RFC 822 message for tests. */
export function makeRawEmail(o: { from: string; to: string; subject: string; body: string; messageId?: string; inReplyTo?: string; references?: string[]; date?: Date; cc?: string }): Buffer {
  const id = o.messageId ?? `<${crypto.randomUUID()}@test.example>`;
  const lines = [
    `From: ${o.from}`,
    `To: ${o.to}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject}`,
    `Date: ${(o.date ?? new Date()).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${id}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references?.length ? [`References: ${o.references.join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    o.body,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
