import path from 'node:path';
import { createCore } from '../core/createCore';
import { defaultDataDir } from '../core/paths';
import { AppError } from '../../shared/contract/errors';
import { flagString, parseArgv } from './args';
import { commands } from './commands';
import { commandHelp } from './help';
import { CliError, type CliCore, type CliIO } from './types';

function help(): string {
  const lines = [
    'Usage: canary [--db FILE] <command> [options] [--json]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`),
    '',
    `Default database: ${path.join(defaultDataDir(), 'canary.db')} (set CANARY_DATA_DIR or --db to change)`,
  ];
  return lines.join('\n');
}

/** Run the CLI; returns the exit code. Errors go to stderr, results to stdout. */
export async function runCli(argvIn: string[], io: CliIO = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  const argv = parseArgv(argvIn);
  const json = argv.flags.get('json') === true;
  const name = argv.positionals[0];
  if (!name || (argv.flags.get('help') === true && !commands.some((c) => c.name === name)) || name === 'help') {
    io.out(help());
    return name || argv.flags.get('help') ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (cmd && argv.flags.get('help') === true) {
    io.out([`Usage: canary [--db FILE] ${cmd.usage}`, '', commandHelp[cmd.name] ?? cmd.summary].join('\n'));
    return 0;
  }
  const fail = (message: string, code: number) => {
    if (json) io.err(JSON.stringify({ error: { message } }));
    else io.err(`canary: ${message}`);
    return code;
  };
  if (!cmd) return fail(`unknown command "${name}". Run canary --help for the list.`, 2);
  const dbFlag = flagString(argv, 'db');
  let core;
  try {
    const dataDir = dbFlag ? path.dirname(path.resolve(dbFlag)) : defaultDataDir();
    core = createCore({ dataDir, ...(dbFlag ? { dbPath: path.resolve(dbFlag) } : {}) });
  } catch (e) {
    return fail(`cannot open the database: ${(e as Error).message}`, 1);
  }
  try {
    // Commands get the contract and its events only (types.ts), not the database or the context.
    const cliCore: CliCore = { call: (method, args) => core.call(method, args), events: { subscribe: (l) => core.events.subscribe(l) } };
    await cmd.run({
      core: cliCore,
      argv,
      json,
      io,
      emit(value, text) {
        io.out(json || text === undefined ? JSON.stringify(value) : text);
      },
    });
    return 0;
  } catch (e) {
    if (e instanceof CliError) return fail(e.message, e.exitCode);
    if (e instanceof AppError) return fail(`${e.code}: ${e.message}`, 1);
    return fail((e as Error).message ?? String(e), 1);
  } finally {
    core.dispose();
  }
}
