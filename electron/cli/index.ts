import { runCli } from './run';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`canary: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
