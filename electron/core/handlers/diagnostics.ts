// app.diagnostics: what an owner sends when asking for help (shared/contract/diagnostics.ts).
// Built from the database and the log only: account settings hold no secrets by design (they live
// in the credentials store), sync errors are the texts the app shows, and the log is scrubbed as
// it is written (log/logger.ts). No message content is read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Handlers } from '../../../shared/contract/api';
import type { Diagnostics } from '../../../shared/contract/diagnostics';
import type { CoreContext } from '../context';
import { schemaVersion } from '../db/migrate';
import { diagnosticsRows } from '../db/repos/diagnostics';
import { getStats } from '../db/repos/stats';
import { FileLogSink } from '../log/logger';
import { LOGS_DIR } from '../paths';

function size(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

export function collectDiagnostics(ctx: CoreContext, logLines = 500): Diagnostics {
  const rows = diagnosticsRows(ctx.db);
  let linking: Diagnostics['linking'] = { built: false, building: false, error: null, links: rows.links };
  try {
    const s = ctx.linking.engine.status();
    linking = { built: s.built, building: s.building, error: s.error, links: rows.links };
  } catch (e) {
    linking.error = (e as Error).message;
  }
  const hasCredential = (ref: string | null) => {
    try {
      return !!ref && ctx.secrets.get(ref) != null;
    } catch {
      return false;
    }
  };
  return {
    generatedAt: new Date(ctx.now()).toISOString(),
    app: { version: ctx.version, schemaVersion: schemaVersion(ctx.db) },
    runtime: {
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      chromium: process.versions.chrome ?? null,
      sqlite: rows.sqlite,
      platform: process.platform,
      arch: process.arch,
      osRelease: os.release(),
    },
    data: { dataDir: ctx.dataDir, dbPath: ctx.dbPath, dbBytes: size(ctx.dbPath), walBytes: size(`${ctx.dbPath}-wal`) },
    counts: { ...getStats(ctx.db) },
    accounts: rows.accounts.map((a) => ({ id: a.id, channel: a.channel, name: a.name, enabled: a.enabled, hasCredential: hasCredential(a.credentialRef), config: a.config })),
    sync: rows.sync,
    linking,
    outbox: rows.outbox,
    settings: rows.settings,
    log: new FileLogSink(path.join(ctx.dataDir, LOGS_DIR)).tail(logLines),
  };
}

export function diagnosticsHandlers(ctx: CoreContext): Pick<Handlers, 'app.diagnostics'> {
  return { 'app.diagnostics': (a) => collectDiagnostics(ctx, a.logLines ?? 500) };
}
