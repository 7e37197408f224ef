// Link a data set like ../shared/linkset-dev (.eml files, X API v2 pages, truth.json) in a fresh
// database and score the result as ../shared/score-links.mjs does: for the generalization tests
// and `npm run link-quality`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../createCore';
import { importPath } from '../../import';
import { toEscalationLine } from '../escalation-view';
import { toJsonLine } from '../view';
import { scoreEscalations, type EscalationTruth } from './escalation-score';
import { scoreLinks } from './synth';

export interface LinkRun {
  /** Files the import could not take. */
  problems: { file: string; reason: string }[];
  /** `canary links --json` lines. */
  rows: ReturnType<typeof toJsonLine>[];
  truth: { x_user_id: string; emails: string[] }[];
  score: ReturnType<typeof scoreLinks>;
  /** `canary escalations --json` lines, and their score when the truth lists escalations. */
  escalations: ReturnType<typeof toEscalationLine>[];
  escalationTruth: EscalationTruth[] | null;
  escalationScore: ReturnType<typeof scoreEscalations> | null;
}

export async function linkAndScore(data: string): Promise<LinkRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-link-run-'));
  const core = createCore({ dataDir: dir });
  try {
    const { problems } = await importPath(core.ctx, data);
    await core.call('links.refresh', {});
    const rows = (await core.call('links.list', {})).map(toJsonLine);
    const file = JSON.parse(fs.readFileSync(path.join(data, 'truth.json'), 'utf8')) as { accounts: LinkRun['truth']; escalations?: EscalationTruth[] };
    const truth = file.accounts;
    const escalations = (await core.call('escalations.list', {})).map(toEscalationLine);
    const escalationTruth = file.escalations ?? null;
    return {
      problems,
      rows,
      truth,
      score: scoreLinks(truth, rows),
      escalations,
      escalationTruth,
      escalationScore: escalationTruth ? scoreEscalations(escalationTruth, escalations) : null,
    };
  } finally {
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
