// Import from the app: a file or folder on the machine the core runs on (.eml, mbox, X API v2
// pages, an X archive's direct-messages.js). Progress arrives as 'import.progress' events (counts
// only); the call resolves with the summary, problems per file included.
// Merged into `schemas` (schemas.ts) and `Results` (api.ts).
import { z } from 'zod';

export const importSchemas = {
  'import.path': z
    .object({
      /** Absolute path (or ~/…) of a file or folder on the core's machine. */
      path: z.string().min(1).max(4096),
      /** Chosen by the caller so it can tell its own 'import.progress' events apart. */
      importId: z.string().min(1).max(100).optional(),
      /** The business's own addresses; inferred from the mail when absent. */
      selfAddresses: z.array(z.string().min(3).max(320)).max(50).optional(),
    })
    .strict(),
} as const;

export interface ImportSummaryView {
  importId: string | null;
  /** The resolved absolute path that was imported. */
  path: string;
  files: number;
  imported: number;
  duplicates: number;
  conversations: number;
  /** Per-file problems (at most 500; `problemCount` has them all). */
  problems: { file: string; reason: string }[];
  problemCount: number;
  /** Files that could not be read at all (their problems say why). */
  failedFiles: number;
  notes: string[];
  ms: number;
}

export interface ImportResults {
  'import.path': ImportSummaryView;
}
