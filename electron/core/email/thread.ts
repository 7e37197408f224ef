// Email threading, the pure part (no database):
//
// - subjects: reply prefixes in many languages, the normalised subject;
// - `jwzThread`: Jamie Zawinski's algorithm (https://www.jwz.org/doc/threading.html) over a set of
//   messages: containers by Message-ID, parent links from References + In-Reply-To (never creating
//   a loop), empty containers pruned, duplicates kept apart. Used for display order and as the
//   reference the incremental threader (thread-store.ts) is tested against;
// - the parties the subject fallback matches on (the customer's side of a message).

// ---------------------------------------------------------------------------------------------
// Subjects

const REPLY_PREFIX = /^\s*(?:(?:re|fwd?|fw|aw|sv|vs|antw|antwort|wg|tr|rif|ref|odp|vl|ynt|r|i|réf|rép|enc|res|atb|bls|hv|fs)\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*|\[[^\]]{1,60}\]\s*)/i;

/** Whether a subject carries a reply or forward prefix ("Re:", "AW:", "SV:", "Fwd:", "RE[4]:" …). */
export function isReplySubject(subject: string): boolean {
  let s = subject;
  for (let i = 0; i < 10; i++) {
    const m = REPLY_PREFIX.exec(s);
    if (!m) return false;
    if (!m[0].trimStart().startsWith('[')) return true;
    s = s.slice(m[0].length);
  }
  return false;
}

/** The subject used to group mail without threading headers: prefixes and [list] tags gone, lowercase. */
export function normalizeSubject(subject: string): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 20; i++) {
    const m = REPLY_PREFIX.exec(s);
    if (!m || !m[0]) break;
    s = s.slice(m[0].length);
  }
  s = s.replace(/\s*\((?:fwd|fw)\)\s*$/i, '');
  return s.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// JWZ over a set of messages

export interface ThreadInput {
  messageId: string;
  inReplyTo: string | null;
  references: string[];
}

export interface ThreadNode<T extends ThreadInput> {
  /** The Message-ID this container stands for (duplicates get "#2", "#3" … appended). */
  id: string;
  message: T | null;
  parent: ThreadNode<T> | null;
  children: ThreadNode<T>[];
}

/** The chain of ancestors a message names, oldest first: References, then In-Reply-To if missing there. */
export function referenceChain(m: ThreadInput): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of m.references) {
    if (id && id !== m.messageId && !seen.has(id)) {
      seen.add(id);
      out.push(id);
    }
  }
  if (m.inReplyTo && m.inReplyTo !== m.messageId) {
    // In-Reply-To names the parent; References may be truncated or missing.
    const at = out.indexOf(m.inReplyTo);
    if (at < 0) out.push(m.inReplyTo);
    else if (at !== out.length - 1) {
      // References disagree with In-Reply-To about the parent: trust In-Reply-To.
      out.splice(at, 1);
      out.push(m.inReplyTo);
    }
  }
  return out;
}

function isAncestor<T extends ThreadInput>(maybeAncestor: ThreadNode<T>, node: ThreadNode<T>): boolean {
  for (let p: ThreadNode<T> | null = node; p; p = p.parent) if (p === maybeAncestor) return true;
  return false;
}

function unlink<T extends ThreadInput>(node: ThreadNode<T>): void {
  if (!node.parent) return;
  const i = node.parent.children.indexOf(node);
  if (i >= 0) node.parent.children.splice(i, 1);
  node.parent = null;
}

function link<T extends ThreadInput>(parent: ThreadNode<T>, child: ThreadNode<T>): void {
  if (parent === child || isAncestor(child, parent)) return; // would make a loop
  unlink(child);
  child.parent = parent;
  parent.children.push(child);
}

/**
 * Thread messages (JWZ, without subject grouping). Returns the root containers; a root may be an
 * empty container (a missing parent) only when it holds two or more threads' worth of children.
 */
export function jwzThread<T extends ThreadInput>(messages: readonly T[]): ThreadNode<T>[] {
  const table = new Map<string, ThreadNode<T>>();
  const get = (id: string): ThreadNode<T> => {
    let c = table.get(id);
    if (!c) {
      c = { id, message: null, parent: null, children: [] };
      table.set(id, c);
    }
    return c;
  };
  for (const m of messages) {
    const c = get(m.messageId);
    if (c.message) {
      // A second message with the same Message-ID (a copy from another folder or list): keep it,
      // in its own container under the first copy, so it stays in the same thread.
      let n = 2;
      while (table.has(`${m.messageId}#${n}`)) n++;
      const dup = get(`${m.messageId}#${n}`);
      dup.message = m;
      link(c, dup);
      continue;
    }
    c.message = m;
    const chain = referenceChain(m);
    // Link the references to each other, oldest first, without overriding links already made.
    for (let i = 0; i + 1 < chain.length; i++) {
      const parent = get(chain[i]!);
      const child = get(chain[i + 1]!);
      if (!child.parent && !isAncestor(child, parent)) link(parent, child);
    }
    // The message's own parent is the last reference; its own headers win over guesses.
    const last = chain.length ? get(chain[chain.length - 1]!) : null;
    if (last && last !== c && !isAncestor(c, last)) link(last, c);
    else if (!last) unlink(c);
  }
  // Root set, then prune empty containers.
  const prune = (list: ThreadNode<T>[], isRoot: boolean): ThreadNode<T>[] => {
    const out: ThreadNode<T>[] = [];
    for (const node of list) {
      node.children = prune(node.children, false);
      for (const ch of node.children) ch.parent = node;
      if (!node.message) {
        if (node.children.length === 0) continue;
        if (!isRoot || node.children.length === 1) {
          for (const ch of node.children) {
            ch.parent = isRoot ? null : node.parent;
            out.push(ch);
          }
          continue;
        }
      }
      out.push(node);
    }
    return out;
  };
  const roots = [...table.values()].filter((c) => !c.parent);
  return prune(roots, true);
}

/** Every message under a node, depth first. */
export function threadMessages<T extends ThreadInput>(node: ThreadNode<T>): T[] {
  const out: T[] = [];
  const walk = (n: ThreadNode<T>) => {
    if (n.message) out.push(n.message);
    for (const c of n.children) walk(c);
  };
  walk(node);
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the incremental threader (thread-store.ts) reads of a message

export interface ThreadableMessage extends ThreadInput {
  subject: string;
  date: number;
  /**
   * The customer side of the message, lowercase, the business's own addresses removed: its sender
   * when someone else sent it, its To and Cc when the business did (subjectParties). The subject
   * fallback joins mail only through these, so two customers who both wrote to the business about
   * "Help please" never meet through the business's address, even while that address is unknown.
   */
  participants: string[];
}

/** At most this many parties of one message are indexed for the subject fallback (a mail to 50,000 people is not a support thread). */
export const MAX_SUBJECT_PARTIES = 50;

/**
 * The parties the subject fallback matches on (see ThreadableMessage.participants): the sender
 * when it is not the business, else the recipients that are not the business.
 */
export function subjectParties(from: string | null, to: readonly string[], cc: readonly string[], self: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (a: string | null | undefined) => {
    if (!a || self.has(a) || seen.has(a) || out.length >= MAX_SUBJECT_PARTIES) return;
    seen.add(a);
    out.push(a);
  };
  if (from && !self.has(from)) add(from);
  else {
    for (const a of to) add(a);
    for (const a of cc) add(a);
  }
  return out;
}

/** How far apart (ms) a headerless reply and its conversation may be for the subject fallback. */
export const SUBJECT_WINDOW_MS = 90 * 24 * 3600_000;
