// The renderer's build keeps only the contract schemas it uses (pureContract.ts): a module with a used
// and an unused schema, bundled with and without the plugin; what the used one does is unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type Rolldown } from 'vite';
import { pureContract } from './pureContract';
import { repoRoot } from './buildRenderer';

// Inside the checkout, so the fixture resolves zod from node_modules (whose .cache a fresh install lacks).
fs.mkdirSync(path.join(repoRoot, 'node_modules', '.cache'), { recursive: true });
const dir = fs.mkdtempSync(path.join(repoRoot, 'node_modules', '.cache', 'pure-contract-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

fs.mkdirSync(path.join(dir, 'contract'));
fs.writeFileSync(
  path.join(dir, 'contract', 'demo.ts'),
  `import { z } from 'zod';
export const LIMIT = 5;
const name = z.string().min(1).max(LIMIT);
export const used = z.object({ name }).strict();
export const unusedSchema = z.object({ unusedField: z.number().int() }).strict().refine(() => true, 'never');
export const table = { 'demo.unused': z.object({ otherUnused: name.optional() }).strict() } as const;
export function check(v: unknown): boolean { return used.safeParse(v).success; }
`,
);
fs.writeFileSync(path.join(dir, 'main.ts'), `import { check, LIMIT } from './contract/demo';\nexport const result = [check({ name: 'abc' }), check({ name: 'too long' }), check({}), LIMIT];\n`);

async function bundle(plugin: boolean): Promise<string> {
  const out = (await build({
    configFile: false,
    root: dir,
    logLevel: 'silent',
    plugins: plugin ? [pureContract(/[\\/]contract[\\/]demo\.ts$/)] : [],
    build: { write: false, minify: false, lib: { entry: path.join(dir, 'main.ts'), formats: ['es'], fileName: 'main' } },
  })) as Rolldown.RolldownOutput[];
  const chunk = out[0]!.output.find((o) => o.type === 'chunk')!;
  return chunk.code;
}

describe('pureContract', () => {
  it('drops the schemas nothing uses and keeps what the used ones do', async () => {
    const plain = await bundle(false);
    const pure = await bundle(true);
    // Without the plugin every schema of the module is built at load; with it only the used one.
    expect(plain).toContain('unusedField');
    expect(plain).toContain('otherUnused');
    expect(pure).not.toContain('unusedField');
    expect(pure).not.toContain('otherUnused');
    for (const code of [plain, pure]) {
      const file = path.join(dir, `out-${code === pure ? 'pure' : 'plain'}.mjs`);
      fs.writeFileSync(file, code);
      const { result } = (await import(pathToFileURL(file).href)) as { result: unknown[] };
      expect(result).toEqual([true, false, false, 5]);
    }
  }, 60_000);
});
