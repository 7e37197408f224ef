import { AppError, type WireError } from '../../shared/contract/errors';
import type { CallContext, Handlers } from '../../shared/contract/api';
import { schemas, type Method } from '../../shared/contract/schemas';
import type { RpcResponse } from '../../shared/rpc/protocol';
import type { Logger } from './log/logger';

function isMethod(m: unknown): m is Method {
  return typeof m === 'string' && Object.prototype.hasOwnProperty.call(schemas, m);
}

/** Turn anything thrown into the wire shape; internal details stay in the core's log. */
export function coerceError(e: unknown): WireError {
  if (e instanceof AppError) return e.toWire();
  const err = e as { code?: unknown; message?: unknown };
  if (err && err.code === 'SQLITE_BUSY') return { code: 'unavailable', message: 'The database is busy; try again.' };
  return { code: 'internal', message: typeof err?.message === 'string' ? err.message : 'Internal error' };
}

/** Look up the handler, validate its one args object, run it, and wrap the outcome. */
export async function dispatch(
  handlers: Handlers,
  req: { id: number; method: unknown; args: unknown },
  ctx: CallContext,
  /** Unexpected failures (not an AppError the caller is shown) are logged here, once. */
  log?: Logger,
): Promise<RpcResponse> {
  const id = req.id;
  if (!isMethod(req.method)) {
    return { t: 'res', id, ok: false, error: { code: 'unknown_method', message: `Unknown method: ${String(req.method)}` } };
  }
  const parsed = schemas[req.method].safeParse(req.args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return {
      t: 'res',
      id,
      ok: false,
      error: { code: 'invalid_args', message: `Invalid arguments for ${req.method}${where}: ${issue?.message ?? 'invalid'}` },
    };
  }
  try {
    const handler = handlers[req.method] as (a: unknown, c: CallContext) => unknown;
    const value = await handler(parsed.data, ctx);
    return { t: 'res', id, ok: true, value };
  } catch (e) {
    const error = coerceError(e);
    if (!(e instanceof AppError)) log?.error('call failed', { method: req.method, transport: ctx.transport, code: error.code, err: e });
    return { t: 'res', id, ok: false, error };
  }
}
