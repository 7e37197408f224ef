// A simulated owner for measuring what decisions teach the linker (feedback.ts): the owner answers
// the top suggestion of the N highest-scored waiting X accounts correctly (confirm when it is the
// right customer, reject when not); recall is measured on the other accounts before and after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../createCore';
import { importPath } from '../../import';
import { toEscalationLine } from '../escalation-view';

export interface OwnerRun {
  answered: number;
  confirmed: number;
  /** Linkable accounts the owner did not answer. */
  remaining: number;
  before: { correct: number; wrong: number; recall: number };
  after: { correct: number; wrong: number; recall: number };
  /** Escalations (escalated + likely) of the accounts the owner did not answer: right and wrong marks, before and after. */
  escalations: { truth: number; before: { correct: number; wrong: number }; after: { correct: number; wrong: number } };
  /** Links and suggestions whose evidence says the owner's decisions moved a weight. */
  saidLearned: number;
}

export async function simulateOwner(data: string, n = 20): Promise<OwnerRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-owner-'));
  const core = createCore({ dataDir: dir });
  try {
    await importPath(core.ctx, data);
    await core.call('links.refresh', {});
    const truth = new Map(
      (JSON.parse(fs.readFileSync(path.join(data, 'truth.json'), 'utf8')) as { accounts: { x_user_id: string; emails: string[] }[] }).accounts.map((a) => [
        a.x_user_id,
        new Set(a.emails.map((e) => e.toLowerCase())),
      ]),
    );
    const first = await core.call('links.list', {});
    const waiting = first.filter((a) => !a.linked && a.suggestions.length).sort((a, b) => b.suggestions[0]!.score - a.suggestions[0]!.score || a.identityId - b.identityId);
    const asked = waiting.slice(0, n);
    const askedIds = new Set(asked.map((a) => a.xUserId));
    const measure = (rows: typeof first) => {
      let correct = 0;
      let wrong = 0;
      let linkable = 0;
      for (const a of rows) {
        if (askedIds.has(a.xUserId)) continue;
        const right = truth.get(a.xUserId) ?? new Set<string>();
        if (right.size) linkable++;
        if (!a.linked) continue;
        if (right.has(a.linked.email.toLowerCase())) correct++;
        else wrong++;
      }
      return { correct, wrong, recall: linkable ? correct / linkable : 0, linkable };
    };
    const before = measure(first);
    const truthEsc = new Set(
      ((JSON.parse(fs.readFileSync(path.join(data, 'truth.json'), 'utf8')) as { escalations?: { x_user_id: string; conversation_id: string }[] }).escalations ?? [])
        .filter((e) => !askedIds.has(e.x_user_id))
        .map((e) => e.conversation_id),
    );
    const marks = async () => {
      const lines = (await core.call('escalations.list', {})).map(toEscalationLine).filter((l) => l.state !== 'public_complaint' && !askedIds.has(l.x_user_id));
      const correct = lines.filter((l) => truthEsc.has(l.x_conversation_id)).length;
      return { correct, wrong: lines.length - correct };
    };
    const escBefore = await marks();
    let confirmed = 0;
    for (const chosen of asked) {
      // Earlier answers re-score waiting accounts: answer what the account shows now.
      const a = (await core.call('links.list', { identityId: chosen.identityId }))[0];
      const top = a?.linked ?? a?.suggestions[0];
      if (!top) continue;
      if (truth.get(chosen.xUserId)?.has(top.email.toLowerCase())) {
        await core.call('links.confirm', { linkId: top.linkId });
        confirmed++;
      } else await core.call('links.reject', { linkId: top.linkId });
      // The waiting accounts are scored again in the background: the owner sees them after that.
      await core.ctx.linking.engine.whenRescored();
    }
    const last = await core.call('links.list', {});
    const after = measure(last);
    const saidLearned = last
      .flatMap((a) => [a.linked, ...a.suggestions])
      .filter((c) => c && c.decidedBy === 'engine' && c.evidence.some((e) => e.includes("the owner's decisions in this mailbox"))).length;
    return {
      answered: asked.length,
      confirmed,
      remaining: before.linkable,
      before: { correct: before.correct, wrong: before.wrong, recall: before.recall },
      after: { correct: after.correct, wrong: after.wrong, recall: after.recall },
      escalations: { truth: truthEsc.size, before: escBefore, after: await marks() },
      saidLearned,
    };
  } finally {
    core.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
