import type { Command } from '../types';
import { demo } from './demo';
import { diagnostics } from './diagnostics';
import { accounts } from './accounts';
import { importCmd } from './import';
import { outbox, reply } from './reply';
import { links } from './links';
import { escalations } from './escalations';
import { atRisk } from './at-risk';
import { report } from './report';
import { search } from './search';
import { stats } from './stats';
import { sync } from './sync';
import { savedReplies } from './saved-replies';
import { conversations, team } from './team';

/** Every CLI command; channel and linking commands register here. */
export const commands: Command[] = [stats, search, importCmd, links, escalations, atRisk, report, demo, accounts, sync, reply, outbox, savedReplies, conversations, team, diagnostics];
