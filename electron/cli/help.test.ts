import { describe, expect, it } from 'vitest';
import { cli as runCaptured } from './testing';
import { commands } from './commands';
import { commandHelp } from './help';

async function cli(argv: string[]) {
  const r = await runCaptured(argv);
  return { code: r.code, out: r.out.join('\n'), err: r.err.join('\n') };
}

describe('canary --help', () => {
  it('lists every command with its usage', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.out).toContain(c.usage);
  });

  it('has details for every command, printed by COMMAND --help without opening a database', async () => {
    for (const c of commands) {
      expect(commandHelp[c.name], `help text for ${c.name}`).toBeTruthy();
      const r = await cli(['--db', '/nonexistent/dir/never.db', c.name, '--help']);
      expect(r.code).toBe(0);
      expect(r.out.split('\n')[0]).toBe(`Usage: canary [--db FILE] ${c.usage}`);
      expect(r.out).toContain(commandHelp[c.name]!.split('\n')[0]);
    }
    const acc = await cli(['accounts', '--help']);
    expect(acc.out).toMatch(/--password-env VAR/);
    expect(acc.out).toMatch(/--oauth1-env PREFIX/);
  });

  it('an unknown command is an error with exit code 2', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
  });
});
