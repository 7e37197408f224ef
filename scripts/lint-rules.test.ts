// The layer rules of eslint.config.mjs (issue 13 Done-when) on planted files, linted in memory at the
// paths they would have: SQL only under electron/core/db, the CLI only through core.call and
// core.events, no window events in the renderer. Type-aware rules are off here (the planted files
// are in no TypeScript project); `npm test` lints the real tree with everything on.
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: path.resolve(__dirname, '..'),
  overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], ...(tseslint.configs.disableTypeChecked as object) }],
});

/** The messages of the layer rules for `code` linted as if it were at `filePath`. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.filter((m) => m.ruleId === 'no-restricted-syntax' || m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const SQL = /SQL belongs in electron\/core\/db/;

describe('layer rules on planted files', { timeout: 60_000 }, () => {
  it('rejects SQL outside electron/core/db: strings, templates, prepare/exec/pragma, the stmt helpers', async () => {
    const planted = [
      "export const q = 'SELECT id FROM messages WHERE id = ?';",
      'export const q = `UPDATE conversations SET status = ${"\'done\'"}`;',
      "export const q = 'delete from messages where id = 1';",
      'export function f(db: { exec(s: string): void }, s: string) { db.exec(s); }',
      'export function f(ctx: { db: { pragma(s: string): void } }, s: string) { ctx.db.pragma(s); }',
      "import { prep } from '../db/stmt';\nexport { prep };",
    ];
    for (const code of planted) {
      const errors = await layerErrors('electron/core/email/planted.ts', code);
      expect(
        errors.some((e) => SQL.test(e)),
        code,
      ).toBe(true);
    }
    for (const where of ['electron/server/planted.ts', 'electron/main/planted.ts', 'electron/cli/commands/planted.ts', 'shared/planted.ts']) {
      expect(await layerErrors(where, "export const q = 'INSERT INTO tags (name) VALUES (?)';"), where).toEqual([expect.stringMatching(SQL)]);
    }
    // The same in a repository, and prose that starts with such a word, pass.
    expect(await layerErrors('electron/core/db/repos/planted.ts', "export const q = 'SELECT id FROM messages WHERE id = ?';")).toEqual([]);
    expect(await layerErrors('electron/core/email/planted.ts', "export const t = 'Select an account first';")).toEqual([]);
  });

  it('keeps the CLI on the contract: no core.db, no core.ctx, no repositories or context imported', async () => {
    const cli = 'electron/cli/commands/planted.ts';
    expect(await layerErrors(cli, 'export function f(core: { db: unknown }) { return core.db; }')).toEqual([expect.stringMatching(/core\.call and core\.events/)]);
    expect(await layerErrors(cli, 'export function f(c: { core: { ctx: unknown } }) { return c.core.ctx; }')).toEqual([expect.stringMatching(/core\.call and core\.events/)]);
    expect(await layerErrors(cli, "import { listAccounts } from '../../core/db/repos/accounts';\nexport { listAccounts };")).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await layerErrors(cli, "import type { CoreContext } from '../../core/context';\nexport type C = CoreContext;")).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await layerErrors(cli, "import Database from 'better-sqlite3';\nexport { Database };")).toEqual([expect.stringMatching(/no-restricted-imports/)]);
    expect(await layerErrors(cli, "export async function f(core: { call(m: string, a: object): Promise<unknown> }) { return core.call('accounts.list', {}); }")).toEqual([]);
  });

  it('rejects window events in the renderer', async () => {
    const errors = await layerErrors('renderer/src/views/Planted.tsx', "export function open(id: number) { window.dispatchEvent(new CustomEvent('canary:open', { detail: id })); }");
    expect(errors).toHaveLength(2);
    expect(errors.every((e) => /No window events/.test(e))).toBe(true);
  });
});
