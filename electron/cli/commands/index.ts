import type { Command } from '../types';
import { importCmd } from './import';
import { search } from './search';
import { stats } from './stats';

/** Every CLI command; channel and linking commands register here. */
export const commands: Command[] = [stats, search, importCmd];
