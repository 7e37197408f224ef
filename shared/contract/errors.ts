export type ErrorCode = 'unknown_method' | 'invalid_args' | 'not_found' | 'conflict' | 'unauthorized' | 'unavailable' | 'internal';

/** The only error shape that crosses a transport. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

export class AppError extends Error implements WireError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
  toWire(): WireError {
    return { code: this.code, message: this.message };
  }
}

export function isWireError(v: unknown): v is WireError {
  return typeof v === 'object' && v !== null && typeof (v as WireError).code === 'string' && typeof (v as WireError).message === 'string';
}
