// "Sign in with X" flows in progress in this core (x.oauth.*, x/connect.ts): a service of the core
// (ctx.xSignIns). A flow waits on a loopback listener for X's redirect; its outcome stays readable
// for a while after it ends. stop() cancels the waiting flows (their listeners end the way a
// refusing browser would end them) and forgets every flow, before the database closes.
import http from 'node:http';
import type { XOAuthFlowView } from '../../../shared/contract/xconnect';

export interface SignIn {
  view: XOAuthFlowView;
  /** Resolves when the flow has ended (connected, failed or cancelled); never rejects. */
  done: Promise<void>;
}

export class XSignIns {
  private readonly flows = new Map<string, SignIn>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Whether stop() was called: no new flow starts. */
  get stopping(): boolean {
    return this.stopped;
  }

  add(flowId: string, flow: SignIn): void {
    this.flows.set(flowId, flow);
  }

  get(flowId: string): SignIn | undefined {
    return this.flows.get(flowId);
  }

  /** Forget an ended flow after `ms` (the window reads its outcome meanwhile). */
  forgetAfter(flowId: string, ms: number): void {
    if (this.stopped) {
      this.flows.delete(flowId);
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.flows.delete(flowId);
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  /** Cancel a waiting flow: its listener gets the answer of a refusing browser; resolves when the flow has ended. */
  async cancel(flow: SignIn): Promise<void> {
    if (flow.view.state !== 'waiting') return;
    flow.view.state = 'cancelled';
    if (flow.view.redirectUri) {
      await new Promise<void>((resolve) => {
        http
          .get(`${flow.view.redirectUri}?error=cancelled`, (res) => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', () => resolve());
      });
    }
    await flow.done;
  }

  /** Cancel the waiting flows, waiting for each at most `waitMs` (a flow still opening its listener ends on its own timeout). */
  async stop(waitMs = 2000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.all([...this.flows.values()].map((f) => this.cancel(f))), bound]);
    clearTimeout(timer);
    this.flows.clear();
  }
}
