// The folder planner without a server: every branch of a pass, from cursor and SELECT state.
import { describe, expect, it } from 'vitest';
import {
  afterBackfill,
  afterNew,
  backfillSearch,
  backfillUids,
  BATCH_BYTES,
  batchSize,
  discovered,
  flagScanRanges,
  newMailSearch,
  newUids,
  planPass,
  planSelect,
  sweepDue,
  uidGroups,
  type MailboxState,
  type ServerCaps,
  type Step,
} from './plan';
import { EMPTY_CURSOR, type FolderCursor } from './types';

const cursor = (c: Partial<FolderCursor>): FolderCursor => ({ ...EMPTY_CURSOR, ...c });
/** A folder synced before: UIDVALIDITY 7, UIDs 1..100 stored, history complete, modseq 50. */
const synced = cursor({ uidValidity: 7, top: 100, low: 1, backfillDone: true, highestModseq: '50' });
const box = (m: Partial<MailboxState> = {}): MailboxState => ({ uidValidity: 7, uidNext: 101, highestModseq: '50', qresync: false, ...m });
const ALL: ServerCaps = { qresync: true, condstore: true };
const CONDSTORE: ServerCaps = { qresync: false, condstore: true };
const NONE: ServerCaps = { qresync: false, condstore: false };
const kinds = (steps: Step[]) => steps.map((s) => (s.kind === 'flags' ? `flags:${s.how}` : s.kind === 'expunges' ? `expunges${s.always ? '!' : '?'}` : s.kind));

describe('planSelect', () => {
  it.each([
    ['QRESYNC and a cursor with state', synced, ALL, { uidValidity: 7, changedSince: '50' }],
    ['no QRESYNC on the server', synced, CONDSTORE, null],
    ['no UIDVALIDITY yet (first sync)', EMPTY_CURSOR, ALL, null],
    ['no modseq stored', cursor({ ...synced, highestModseq: null }), ALL, null],
    ['nothing stored (top 0)', cursor({ ...synced, top: 0 }), ALL, null],
  ])('%s', (_name, cur, caps, want) => {
    expect(planSelect(cur, caps)).toEqual(want);
  });
});

describe('planPass', () => {
  const cases: { name: string; cur: FolderCursor; mb?: Partial<MailboxState>; caps: ServerCaps; steps: string[]; first: boolean; reset?: boolean; qresync?: boolean }[] = [
    { name: 'first sync of a folder', cur: EMPTY_CURSOR, caps: ALL, steps: ['discover', 'backfill'], first: true },
    { name: 'a cursor with UIDVALIDITY, nothing stored, backfill not done: still a first sync', cur: cursor({ uidValidity: 7 }), caps: NONE, steps: ['discover', 'backfill'], first: true },
    {
      name: 'UIDVALIDITY changed: reset, then a first sync',
      cur: synced,
      mb: { uidValidity: 8, qresync: false },
      caps: ALL,
      steps: ['reset', 'discover', 'backfill'],
      first: true,
      reset: true,
    },
    {
      name: 'QRESYNC applied: no flags step, expunges only if reported',
      cur: synced,
      mb: { qresync: true, highestModseq: '60' },
      caps: ALL,
      steps: ['new', 'retry', 'expunges?'],
      first: false,
      qresync: true,
    },
    {
      name: 'QRESYNC offered but the server did not apply it: CONDSTORE search',
      cur: synced,
      mb: { qresync: false, highestModseq: '60' },
      caps: ALL,
      steps: ['new', 'retry', 'flags:modseq', 'expunges!'],
      first: false,
    },
    { name: 'CONDSTORE, modseq moved', cur: synced, mb: { highestModseq: '51' }, caps: CONDSTORE, steps: ['new', 'retry', 'flags:modseq', 'expunges!'], first: false },
    { name: 'CONDSTORE, modseq unchanged', cur: synced, caps: CONDSTORE, steps: ['new', 'retry', 'flags:unchanged', 'expunges!'], first: false },
    { name: 'CONDSTORE but the folder has no modseq (NOMODSEQ): scan', cur: synced, mb: { highestModseq: null }, caps: CONDSTORE, steps: ['new', 'retry', 'flags:scan', 'expunges!'], first: false },
    {
      name: 'CONDSTORE but no modseq stored: scan',
      cur: cursor({ ...synced, highestModseq: null }),
      caps: CONDSTORE,
      steps: ['new', 'retry', 'flags:scan', 'expunges!'],
      first: false,
    },
    { name: 'no CONDSTORE: scan', cur: synced, caps: NONE, steps: ['new', 'retry', 'flags:scan', 'expunges!'], first: false },
    {
      name: 'backfill interrupted: it goes on after new mail and flags',
      cur: cursor({ ...synced, low: 40, backfillDone: false }),
      caps: NONE,
      steps: ['new', 'retry', 'flags:scan', 'expunges!', 'backfill'],
      first: false,
    },
    {
      name: 'an empty folder synced before (top 0, history complete): not a first sync',
      cur: cursor({ uidValidity: 7, top: 0, low: 1, backfillDone: true, highestModseq: '1' }),
      caps: ALL,
      steps: ['new', 'retry', 'flags:modseq', 'expunges!'],
      first: false,
    },
  ];
  it.each(cases)('$name', ({ cur, mb, caps, steps, first, reset = false, qresync = false }) => {
    const p = planPass(cur, box(mb), caps);
    expect(kinds(p.steps)).toEqual(steps);
    expect(p.first).toBe(first);
    expect(p.uidValidityReset).toBe(reset);
    expect(p.usedQresync).toBe(qresync);
    expect(p.highestModseq).toBe(box(mb).highestModseq);
  });

  it('a reset starts from an empty cursor of the new UIDVALIDITY', () => {
    const p = planPass(cursor({ ...synced, retry: [5] }), box({ uidValidity: 9 }), NONE);
    expect(p.steps[0]).toEqual({ kind: 'reset', cursor: { ...EMPTY_CURSOR, uidValidity: 9 } });
    expect(p.cursor).toEqual({ ...EMPTY_CURSOR, uidValidity: 9 });
  });

  it('QRESYNC needs the same UIDVALIDITY as the cursor', () => {
    expect(planPass(synced, box({ uidValidity: 8, qresync: true }), ALL).usedQresync).toBe(false);
  });

  it('batch sizes and flag options: defaults and given', () => {
    const d = planPass(cursor({ ...synced, backfillDone: false }), box({ highestModseq: '70' }), CONDSTORE);
    expect(d.steps).toContainEqual({ kind: 'new', sizes: { first: 500, batch: 500 } });
    expect(d.steps).toContainEqual({ kind: 'retry', sizes: { first: 500, batch: 500 } });
    expect(d.steps).toContainEqual({ kind: 'flags', how: 'modseq', since: 51n, range: 500 });
    expect(d.steps.at(-1)).toEqual({ kind: 'backfill', sizes: { first: 100, batch: 500 } });
    const o = planPass(synced, box(), NONE, { batchSize: 50, firstBatchSize: 80, flagsRecent: 3, flagsSweepMs: 1000, flagsRange: 5 });
    expect(o.steps).toContainEqual({ kind: 'new', sizes: { first: 50, batch: 50 } });
    expect(o.steps).toContainEqual({ kind: 'flags', how: 'scan', recent: 3, sweepEveryMs: 1000, range: 5 });
    // The first backfill batch is never bigger than a batch.
    expect(planPass(EMPTY_CURSOR, box(), NONE, { batchSize: 50, firstBatchSize: 80 }).steps.at(-1)).toEqual({ kind: 'backfill', sizes: { first: 50, batch: 50 } });
    expect(planPass(EMPTY_CURSOR, box(), NONE).steps.at(-1)).toEqual({ kind: 'backfill', sizes: { first: 100, batch: 500 } });
  });

  it('modseq beyond 2^53 compares exactly', () => {
    const big = cursor({ ...synced, highestModseq: '9007199254740993' });
    expect(kinds(planPass(big, box({ highestModseq: '9007199254740993' }), CONDSTORE).steps)).toContain('flags:unchanged');
    expect(planPass(big, box({ highestModseq: '9007199254740994' }), CONDSTORE).steps).toContainEqual({ kind: 'flags', how: 'modseq', since: 9007199254740994n, range: 500 });
  });
});

describe('the UIDs of each step', () => {
  it('discovered: top is the newest UID, the backfill starts below it; an empty folder takes UIDNEXT - 1', () => {
    expect(discovered(cursor({ highestModseq: '3' }), 7, [4, 9, 2], 20)).toEqual({ uidValidity: 7, top: 9, low: 10, backfillDone: false, highestModseq: '3' });
    expect(discovered(EMPTY_CURSOR, 7, [], 20)).toEqual({ uidValidity: 7, top: 19, low: 20, backfillDone: true, highestModseq: null });
    expect(discovered(EMPTY_CURSOR, 7, [], null)).toEqual({ uidValidity: 7, top: 0, low: 1, backfillDone: true, highestModseq: null });
    // A big folder (a spread of 200,000 arguments would overflow the stack).
    const many = Array.from({ length: 200_000 }, (_, i) => i + 1);
    expect(discovered(EMPTY_CURSOR, 7, many, null).top).toBe(200_000);
  });

  it('new mail: above top, ascending (a server answers n:* with its last UID even below n)', () => {
    expect(newMailSearch(synced)).toBe('101:*');
    expect(newUids([105, 100, 103], synced)).toEqual([103, 105]);
    expect(newUids([100], synced)).toEqual([]);
  });

  it('backfill: below low, newest first; nothing to search at low 1', () => {
    const c = cursor({ ...synced, low: 40, backfillDone: false });
    expect(backfillSearch(c)).toBe('1:39');
    expect(backfillUids([3, 39, 40, 12], c)).toEqual([39, 12, 3]);
    expect(backfillSearch(cursor({ low: 1 }))).toBeNull();
    expect(backfillSearch(cursor({ low: 0 }))).toBeNull();
  });

  it('the cursor moves over what a batch stored', () => {
    expect(afterNew(synced, [101, 104])).toMatchObject({ top: 104, low: 1 });
    expect(afterNew(synced, [90])).toMatchObject({ top: 100 });
    const c = cursor({ ...synced, low: 40 });
    expect(afterBackfill(c, [39, 30, 21])).toMatchObject({ low: 21, top: 100 });
    expect(afterBackfill(c, [50])).toMatchObject({ low: 40 });
  });

  it('batch sizes: first and others, smaller for big messages, at least 5', () => {
    const sizes = { first: 100, batch: 500 };
    expect([0, 1, 2].map((i) => batchSize(i, sizes, 0))).toEqual([100, 500, 500]);
    expect(batchSize(1, sizes, 1200)).toBe(500);
    expect(batchSize(1, sizes, BATCH_BYTES / 40)).toBe(40);
    expect(batchSize(0, sizes, BATCH_BYTES / 40)).toBe(40);
    expect(batchSize(1, sizes, BATCH_BYTES)).toBe(5);
  });

  it('flag sweeps: on the first pass of a connection, then every so often', () => {
    expect(sweepDue(undefined, 1000, 600_000)).toBe(true);
    expect(sweepDue(1000, 600_999, 600_000)).toBe(false);
    expect(sweepDue(1000, 601_000, 600_000)).toBe(true);
  });

  it('flag scan ranges: from the newest down, bounded by stored UIDs, the first by top', () => {
    const stored = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(flagScanRanges(stored, 12, true, 3, 5)).toEqual(['8:12', '3:7', '1:2']);
    expect(flagScanRanges(stored, 12, false, 3, 5)).toEqual(['10:12']);
    // Gaps (expunged UIDs) and top above the newest stored UID (new mail not stored).
    expect(flagScanRanges([30, 20, 10, 5], 40, true, 1000, 2)).toEqual(['20:40', '5:10']);
    expect(flagScanRanges([], 40, true, 1000, 2)).toEqual([]);
  });

  it('changed UIDs in groups for FETCH, ascending', () => {
    expect(uidGroups([9, 1, 5, 3, 7], 2)).toEqual([[1, 3], [5, 7], [9]]);
    expect(uidGroups([], 500)).toEqual([]);
  });
});
