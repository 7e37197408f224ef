// What the linking engine's steps share: their result and the engine state they need.
import type { Tuning } from './feedback';
import type { SqlIndex } from './index-store';
import type { ScoreEnv } from './scorer';

export interface RefreshResult {
  /** Customers whose profile was rebuilt. */
  customers: number;
  /** X identities scored. */
  scored: number;
  /** X identities whose links or suggestions changed. */
  changed: number[];
  /** Conversations whose customer or escalation changed. */
  conversations: number[];
  ms: number;
}

export interface BuildProgress {
  phase: 'start' | 'profiles' | 'index' | 'scoring' | 'decisions';
  /** Steps done of total: customers profiled, then X identities scored, then decisions written. */
  done: number;
  total: number;
}

/** The engine as its build and refresh steps see it. */
export interface StepEnv extends ScoreEnv {
  /** The stored index (its caches are reset when the index changes). */
  sqlIndex: SqlIndex;
  setTuning(t: Tuning): void;
  /** Set when a refresh added or removed a customer profile (the index size changed). */
  sizeChanged: boolean;
}
