// Following a browser sign-in the core runs (Sign in with X, Sign in with Google / Microsoft): print
// the address to open, poll the flow until it ends, and cancel it on Ctrl+C or SIGTERM.
import { CliError, type CommandContext } from '../types';

export interface SignInFlow {
  flowId: string;
  state: string;
  url: string;
  redirectUri: string;
  error?: string | null;
}

/** Poll `status` every 200 ms until the flow leaves 'waiting' (Ctrl+C calls `cancel`); the ended flow. */
export async function followSignIn<F extends SignInFlow>(c: CommandContext, started: F, prompt: string, status: (flowId: string) => Promise<F>, cancel: (flowId: string) => Promise<F>): Promise<F> {
  let flow = started;
  c.io.err(`${prompt}:\n${flow.url}`);
  let interrupted = false;
  const stop = () => {
    interrupted = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    while (flow.state === 'waiting') {
      if (interrupted) {
        flow = await cancel(flow.flowId);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
      flow = await status(flow.flowId);
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return flow;
}

/** The error for a flow that did not connect. */
export function signInFailed(flow: SignInFlow): CliError {
  return new CliError(flow.state === 'cancelled' ? 'the sign-in was cancelled' : `the sign-in failed: ${flow.error ?? flow.state}`);
}
