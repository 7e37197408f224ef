import type { XAccountLinks } from '../../../shared/contract/links';
import { toJsonLine } from '../../core/linking/view';
import { CliError, type Command, type CommandContext } from '../types';

function positiveId(s: string | undefined, what: string): number {
  const n = Number(s);
  if (!s || !Number.isInteger(n) || n <= 0) throw new CliError(`${what} must be a positive number, got ${s === undefined ? 'nothing' : JSON.stringify(s)}`);
  return n;
}

function printAccount(ctx: CommandContext, a: XAccountLinks): void {
  if (ctx.json) {
    ctx.emit(toJsonLine(a));
    return;
  }
  const who = `@${a.handle ?? a.xUserId}${a.displayName ? ` (${a.displayName})` : ''} [identity ${a.identityId}]`;
  if (a.linked) {
    ctx.io.out(`${who} → ${a.linked.email}  ${a.linked.state} by ${a.linked.decidedBy === 'user' ? 'a person' : 'the engine'}, score ${a.linked.score} [link ${a.linked.linkId}]`);
    for (const e of a.linked.evidence) ctx.io.out(`    · ${e}`);
  } else if (a.suggestions.length) {
    ctx.io.out(`${who} → suggestions:`);
    for (const s of a.suggestions.slice(0, 3)) {
      ctx.io.out(`    ${s.email}  score ${s.score} [link ${s.linkId}]`);
      for (const e of s.evidence.slice(0, 4)) ctx.io.out(`        · ${e}`);
    }
  } else ctx.io.out(`${who} → no match`);
}

export const links: Command = {
  name: 'links',
  summary: 'X accounts and the email customers they are (or may be) linked to, with evidence',
  usage: 'links [--json] [--full] | links confirm|reject|undo LINK_ID | links link X_IDENTITY_ID CUSTOMER_ID | links unlink X_IDENTITY_ID',
  async run(ctx) {
    const { core, argv } = ctx;
    const sub = argv.positionals[1];
    const arg1 = argv.positionals[2];
    const arg2 = argv.positionals[3];
    let one: XAccountLinks;
    switch (sub) {
      case undefined: {
        // links.list never waits for the engine's full build: wait for it here (a one-shot command).
        await core.call('links.refresh', { full: argv.flags.has('full') });
        const all = await core.call('links.list', {});
        for (const a of all) printAccount(ctx, a);
        if (!ctx.json) {
          const linked = all.filter((a) => a.linked).length;
          const suggested = all.filter((a) => !a.linked && a.suggestions.length).length;
          ctx.io.err(`${all.length} X account(s): ${linked} linked, ${suggested} with suggestions`);
        }
        return;
      }
      case 'confirm':
        one = await core.call('links.confirm', { linkId: positiveId(arg1, 'LINK_ID') });
        break;
      case 'reject':
        one = await core.call('links.reject', { linkId: positiveId(arg1, 'LINK_ID') });
        break;
      case 'undo':
        one = await core.call('links.undo', { linkId: positiveId(arg1, 'LINK_ID') });
        break;
      case 'link':
        one = await core.call('links.link', { identityId: positiveId(arg1, 'X_IDENTITY_ID'), customerId: positiveId(arg2, 'CUSTOMER_ID') });
        break;
      case 'unlink':
        one = await core.call('links.unlink', { identityId: positiveId(arg1, 'X_IDENTITY_ID') });
        break;
      default:
        throw new CliError(`unknown links subcommand "${sub}"; usage: canary ${links.usage}`);
    }
    printAccount(ctx, one);
  },
};
