// npm run serve [-- --db FILE --port N --host H --allow-remote --static DIR --rebuild]
// Runs the core in Node and serves the renderer; prints one line with the URL to open.
import path from 'node:path';
import { createCore, type Core } from '../core/createCore';
import { defaultDataDir } from '../core/paths';
import { flagString, parseArgv } from '../cli/args';
import { buildRenderer, defaultStaticDir, rendererBuilt } from './buildRenderer';
import { isLoopbackHost, ServeError, startServer } from './server';

const USAGE = `Usage: npm run serve -- [--db FILE] [--port N] [--host 127.0.0.1] [--allow-remote] [--static DIR] [--rebuild]
  Serves Canary on http://127.0.0.1:PORT (a free port unless --port) and prints the URL to open.
  --db FILE        database to open (default: the app's own, ${path.join(defaultDataDir(), 'canary.db')})
  --host H         address to listen on; anything but loopback is refused without --allow-remote
  --static DIR     built renderer to serve (default: out/renderer, built when missing)
  --rebuild        build the renderer first even when out/renderer exists`;

async function main(): Promise<number> {
  const argv = parseArgv(process.argv.slice(2), new Set(['help', 'allow-remote', 'rebuild']));
  if (argv.flags.get('help') === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const known = new Set(['db', 'port', 'host', 'allow-remote', 'static', 'rebuild', 'help']);
  for (const k of argv.flags.keys()) {
    if (!known.has(k)) {
      process.stderr.write(`serve: unknown option --${k}\n${USAGE}\n`);
      return 2;
    }
  }
  const portText = flagString(argv, 'port') ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    process.stderr.write(`serve: --port must be a number from 0 to 65535, got "${portText}"\n`);
    return 2;
  }
  const host = flagString(argv, 'host') ?? '127.0.0.1';
  if (!isLoopbackHost(host) && argv.flags.get('allow-remote') !== true) {
    process.stderr.write(`serve: Refusing to listen on ${host}: it is reachable from other machines. Use 127.0.0.1, or pass --allow-remote if you really mean it.\n`);
    return 1;
  }
  const staticDir = path.resolve(flagString(argv, 'static') ?? defaultStaticDir);
  if (argv.flags.get('rebuild') === true || !rendererBuilt(staticDir)) {
    if (flagString(argv, 'static')) {
      process.stderr.write(`serve: ${staticDir} has no index.html\n`);
      return 1;
    }
    process.stderr.write('serve: building the renderer into out/renderer …\n');
    await buildRenderer(staticDir);
  }
  const dbFlag = flagString(argv, 'db');
  let core: Core;
  try {
    const dataDir = dbFlag ? path.dirname(path.resolve(dbFlag)) : defaultDataDir();
    core = createCore({ dataDir, ...(dbFlag ? { dbPath: path.resolve(dbFlag) } : {}), background: true, sync: true, log: { echo: (l) => process.stderr.write(l) } });
  } catch (e) {
    process.stderr.write(`serve: cannot open the database: ${(e as Error).message}\n`);
    return 1;
  }
  let server;
  try {
    server = await startServer({
      core,
      staticDir,
      host,
      port,
      allowRemote: argv.flags.get('allow-remote') === true,
      log: (l) => process.stderr.write(`serve: ${l}\n`),
    });
  } catch (e) {
    core.dispose();
    const msg = e instanceof ServeError ? e.message : `cannot listen: ${(e as Error).message}`;
    process.stderr.write(`serve: ${msg}\n`);
    return 1;
  }
  process.stdout.write(`Canary is running at ${server.url}\n`);
  const stop = async () => {
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<number>(() => {});
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`serve: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
