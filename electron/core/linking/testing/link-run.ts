// Link a data set like ../shared/linkset-dev (.eml files, X API v2 pages, truth.json) in a fresh
// database and score the result as ../shared/score-links.mjs does: for the generalization tests
// and `npm run link-quality`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../createCore';
import { importPath } from '../../import';
import { getCustomer } from '../../db/repos/customers';
import { toEscalationLine } from '../escalation-view';
import { modelInput, type ModelInput } from '../link-model';
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
  /** With `modelRows`: every X account's link-model input and whether its candidate is the person (fit-link-model.ts). */
  modelRows?: { input: ModelInput; right: boolean }[];
}

export async function linkAndScore(data: string, opts: { modelRows?: boolean } = {}): Promise<LinkRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-link-run-'));
  const core = createCore({ dataDir: dir });
  try {
    const { problems } = await importPath(core.ctx, data);
    await core.call('links.refresh', {});
    const accounts = await core.call('links.list', {});
    const rows = accounts.map(toJsonLine);
    const file = JSON.parse(fs.readFileSync(path.join(data, 'truth.json'), 'utf8')) as { accounts: LinkRun['truth']; escalations?: EscalationTruth[] };
    const truth = file.accounts;
    const escalations = (await core.call('escalations.list', {})).map(toEscalationLine);
    const escalationTruth = file.escalations ?? null;
    const modelRows = opts.modelRows ? collectModelRows(core, accounts, truth) : undefined;
    return {
      modelRows,
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

/** Each X account's link-model input (the engine's candidates now) with its truth. */
function collectModelRows(core: ReturnType<typeof createCore>, accounts: { identityId: number; xUserId: string }[], truth: LinkRun['truth']): NonNullable<LinkRun['modelRows']> {
  const emails = new Map(truth.map((t) => [t.x_user_id, new Set(t.emails.map((e) => e.toLowerCase()))]));
  const out: NonNullable<LinkRun['modelRows']> = [];
  for (const a of accounts) {
    const c = core.ctx.linking.engine.candidatesNow(a.identityId);
    const input = c && modelInput(c.scores, c.strangerLogOdds);
    if (!input) continue;
    const right = emails.get(a.xUserId) ?? new Set<string>();
    const cust = getCustomer(core.db, input.top.customerId);
    out.push({ input, right: !!cust?.identities.some((i) => i.kind === 'email' && !!i.address && right.has(i.address)) });
  }
  return out;
}
