// The SQLite blocking index and story keys more customers share than the rows a full build keeps
// (STORY_ROWS_CAP): their frequency stays the true count, whatever is looked up or changed after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../createCore';
import { STORY_ROWS_CAP, KeyRowWriter, addCustomerKey, keyFrequency, keyCustomers, removeCustomerKey } from '../db/repos/linking/link-index';
import { SqlIndex } from './index-store';

let dir = '';
let core: ReturnType<typeof createCore>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-index-store-'));
  core = createCore({ dataDir: dir });
});
afterEach(() => {
  core.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const KEY = 's:kayak|2929';
const many = Array.from({ length: STORY_ROWS_CAP + 4 }, (_, i) => i + 1);

function fullBuild(): void {
  const w = new KeyRowWriter(core.db);
  w.add(KEY, many);
  w.add('s:stove|2929', [1, 2, 3]);
  w.flush();
}

describe('story keys beyond the rows a full build keeps', () => {
  it('keeps their frequency after a lookup finds no rows', () => {
    fullBuild();
    const index = new SqlIndex(core.db);
    expect(keyCustomers(core.db, KEY, 100)).toEqual([]);
    expect(index.lookup(KEY, STORY_ROWS_CAP)).toEqual([]);
    expect(index.df(KEY)).toBe(many.length);
    // A story few share still finds its customers, and counts them.
    expect(index.lookup('s:stove|2929', STORY_ROWS_CAP)).toEqual([1, 2, 3]);
    expect(index.df('s:stove|2929')).toBe(3);
  });

  it('counts them down and up as customers change, without rows', () => {
    fullBuild();
    removeCustomerKey(core.db, KEY, 7);
    expect(keyFrequency(core.db, KEY)).toBe(many.length - 1);
    addCustomerKey(core.db, KEY, 900);
    addCustomerKey(core.db, KEY, 901);
    expect(keyFrequency(core.db, KEY)).toBe(many.length + 1);
    expect(keyCustomers(core.db, KEY, 100)).toEqual([]);
    // Keys with rows are unchanged: a row and a count each.
    addCustomerKey(core.db, 's:stove|2929', 4);
    removeCustomerKey(core.db, 's:stove|2929', 1);
    expect(keyCustomers(core.db, 's:stove|2929', 100).sort()).toEqual([2, 3, 4]);
    expect(keyFrequency(core.db, 's:stove|2929')).toBe(3);
  });
});
