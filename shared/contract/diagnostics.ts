// Diagnostics an owner can send when something goes wrong (Settings → Help → Export diagnostics,
// `canary diagnostics --out FILE`): versions, settings without secrets, sync and linking states,
// counts, and the newest lines of the log. Never a password, token or message content.
import { z } from 'zod';

export const diagnosticsSchemas = {
  'app.diagnostics': z.object({ logLines: z.number().int().min(0).max(5000).optional() }).strict(),
} as const;

export interface Diagnostics {
  generatedAt: string;
  app: { version: string; schemaVersion: number };
  runtime: { node: string; electron: string | null; chromium: string | null; sqlite: string; platform: string; arch: string; osRelease: string };
  data: { dataDir: string; dbPath: string; dbBytes: number | null; walBytes: number | null };
  counts: Record<string, number>;
  /** Accounts with their settings (hosts, ports, folders, limits): credentials are never part of them. */
  accounts: { id: number; channel: string; name: string; enabled: boolean; hasCredential: boolean; config: unknown }[];
  /** Every sync_state row: account, folder or timeline, status, last error, progress, when. */
  sync: { accountId: number; scope: string; status: string; lastError: string | null; updatedAt: number }[];
  linking: { built: boolean; building: boolean; error: string | null; links: Record<string, number> };
  outbox: Record<string, number>;
  /** App settings (keymap and the like). */
  settings: Record<string, unknown>;
  /** The newest log lines (already scrubbed), oldest first. */
  log: string[];
}

export interface DiagnosticsResults {
  'app.diagnostics': Diagnostics;
}
