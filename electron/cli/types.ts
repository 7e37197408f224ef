import type { Core } from '../core/createCore';
import type { ParsedArgv } from './args';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandContext {
  core: Core;
  argv: ParsedArgv;
  json: boolean;
  io: CliIO;
  /** Print one result: a JSON object per line with --json, else text. */
  emit(value: unknown, text?: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(ctx: CommandContext): Promise<void> | void;
}
