import type { Args, Method, Result } from '../../shared/contract/api';
import type { RpcEvent } from '../../shared/rpc/protocol';
import type { ParsedArgv } from './args';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

/**
 * What a command sees of the core: the contract (one validated dispatch) and its events. No
 * database and no context: a command does what the app can do, through the same methods
 * (built in run.ts; the compiler refuses core.db or core.ctx in a command).
 */
export interface CliCore {
  call<M extends Method>(method: M, args: Args<M>): Promise<Result<M>>;
  readonly events: { subscribe(listener: (evt: RpcEvent) => void): () => void };
}

export interface CommandContext {
  core: CliCore;
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
