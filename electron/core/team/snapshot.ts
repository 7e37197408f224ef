// Snapshots of the team log (issue 17): when the log folder grows past a threshold, a copy writes the
// events that still win some field (as of the newest log message it has read, `upTo`) as a few
// snapshot messages of up to SNAPSHOT_PART events each, then deletes the event messages it has
// compacted. Reading a snapshot applies its events like any others (known ids are skipped), so a
// snapshot is only a denser form of the log: copies converge the same way. A snapshot message
// carries `X-Canary-Team: 1` and `X-Canary-Snapshot: <id>`; its body is JSON (ASCII only).
import { z } from 'zod';
import { asciiJson, eventSchemas, TEAM_HEADER, type TeamEvent } from './event';

export const SNAPSHOT_HEADER = 'X-Canary-Snapshot';
/** Events per snapshot message (about 0.4 MB). */
export const SNAPSHOT_PART = 1000;

const buildSnapshotSchema = () =>
  z.object({
    v: z.literal(1),
    snapshot: z.string().regex(/^[0-9a-f]{32}$/),
    part: z.number().int().positive(),
    parts: z.number().int().positive(),
    upTo: z.number().int().nonnegative(),
    at: z.number().int().nonnegative(),
    author: z.object({ name: z.string().max(200), address: z.string().max(320), device: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
    events: z.array(z.unknown()).max(SNAPSHOT_PART),
  });
let snapshotBuilt: ReturnType<typeof buildSnapshotSchema> | null = null;
/** Built on first use, as the events' schemas are (event.ts). */
const snapshotSchema = () => (snapshotBuilt ??= buildSnapshotSchema());

export interface SnapshotPart {
  snapshot: string;
  part: number;
  parts: number;
  upTo: number;
  at: number;
  author: TeamEvent['author'];
  events: TeamEvent[];
}

export function encodeSnapshotPart(s: SnapshotPart): Buffer {
  const lines = [
    `From: "Canary" <canary@invalid>`,
    `Subject: Canary team snapshot ${s.part}/${s.parts}`,
    `Date: ${new Date(s.at).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${s.snapshot}.${s.part}@team.canary.invalid>`,
    `${TEAM_HEADER}: 1`,
    `${SNAPSHOT_HEADER}: ${s.snapshot}`,
    'MIME-Version: 1.0',
    'Content-Type: application/json; charset=us-ascii',
    'Content-Transfer-Encoding: 7bit',
    '',
    asciiJson({ v: 1, ...s }),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'ascii');
}

export type DecodedSnapshot = { ok: true; part: Omit<SnapshotPart, 'events'>; events: TeamEvent[]; invalid: number } | { ok: false; reason: string };

/** A log message that is a snapshot part, read; null when it is not one (an event, or not ours). */
export function decodeSnapshot(raw: Buffer): DecodedSnapshot | null {
  // The headers come first and are short: look there only.
  const headEnd = raw.indexOf('\r\n\r\n');
  const sep = headEnd >= 0 ? 4 : 2;
  const split = headEnd >= 0 ? headEnd : raw.indexOf('\n\n');
  if (split < 0) return null;
  const head = raw.subarray(0, split).toString('latin1');
  if (!/^x-canary-snapshot:/im.test(head) || !/^x-canary-team:\s*1\s*$/im.test(head)) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw.subarray(split + sep).toString('utf8'));
  } catch {
    return { ok: false, reason: 'a snapshot whose body is not JSON' };
  }
  const r = snapshotSchema().safeParse(json);
  if (!r.success) return { ok: false, reason: `not a valid snapshot: ${r.error.issues[0]?.path.join('.') || 'snapshot'}: ${r.error.issues[0]?.message ?? 'invalid'}` };
  const events: TeamEvent[] = [];
  let invalid = 0;
  for (const e of r.data.events) {
    const ev = eventSchemas().teamEventSchema.safeParse(e);
    if (ev.success) events.push(ev.data);
    else invalid++;
  }
  const { events: _e, v: _v, ...part } = r.data;
  return { ok: true, part, events, invalid };
}
