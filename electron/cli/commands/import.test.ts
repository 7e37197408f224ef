// `canary import` of a folder with bad entries (issue 18, defect 3): a dangling symlink and a
// symlink loop beside good files are skipped and reported, the rest imported; an import in which
// every file failed exits non-zero, a partial one exits 0 and says how many failed.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRawEmail } from '../../core/testing/dovecot';
import { tempDir } from '../../core/testing/tmp';
import { cli } from '../testing';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function folder(): { dir: string; db: string } {
  const t = tempDir('canary-import-cli-');
  cleanups.push(t.cleanup);
  const dir = path.join(t.dir, 'export');
  fs.mkdirSync(dir);
  return { dir, db: path.join(t.dir, 'data', 'c.db') };
}

const eml = (i: number) => makeRawEmail({ from: `c${i}@cust.example`, to: 'support@biz.example', subject: `order ${i}`, body: `body ${i}`, messageId: `<imp${i}@cust.example>` });

describe('canary import with bad entries beside good files', () => {
  it('skips and reports a dangling symlink and symlink loops, imports the rest, exits 0 and says how many failed', async () => {
    const { dir, db } = folder();
    fs.writeFileSync(path.join(dir, 'a.eml'), eml(1));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'b.eml'), eml(2));
    fs.symlinkSync(path.join(dir, 'gone.eml'), path.join(dir, 'dangling.eml')); // points nowhere
    fs.symlinkSync(path.join(dir, 'self'), path.join(dir, 'self')); // a link to itself (ELOOP)
    fs.symlinkSync(dir, path.join(dir, 'sub', 'up')); // a folder loop: sub/up → the export folder
    fs.symlinkSync(path.join(dir, 'a.eml'), path.join(dir, 'sub', 'link-to-a.eml')); // a good link
    const r = await cli(['--db', db, 'import', dir]);
    expect(r.code, r.err.join('\n')).toBe(0);
    const err = r.err.join('\n');
    expect(err).toMatch(/problem: .*dangling\.eml: dangling symlink/);
    expect(err).toMatch(/problem: .*[/]self: symlink loop/);
    expect(err).toMatch(/problem: .*sub[/]up: symlink loop/);
    expect(r.out.join('\n')).toMatch(/imported 2 new item\(s\) from 3 file\(s\); 1 already present; 3 problem\(s\); 3 file\(s\) failed/);
  });

  it('exits non-zero when every file failed', async () => {
    const { dir, db } = folder();
    fs.symlinkSync(path.join(dir, 'gone.eml'), path.join(dir, 'dangling.eml'));
    fs.writeFileSync(path.join(dir, 'empty.mbox'), '');
    const r = await cli(['--db', db, 'import', dir]);
    expect(r.code).not.toBe(0);
    expect(r.err.join('\n')).toMatch(/nothing imported: all 2 file\(s\) failed/);
  });

  it('imports through a symlink to a folder outside the one imported', async () => {
    const { dir, db } = folder();
    const real = path.join(path.dirname(dir), 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'c.eml'), eml(3));
    fs.symlinkSync(real, path.join(dir, 'linked'));
    const r = await cli(['--db', db, 'import', dir, '--json']);
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(JSON.parse(r.out.join('\n'))).toMatchObject({ files: 1, imported: 1, problems: 0, failed: 0 });
  });
});
