// A call that runs at once, then at most once every `ms` while calls keep coming, the last call
// never lost (leading and trailing): for change events that come in bursts (a first sync reports
// changes several times a second). `ms` may be a function, asked each time (a wait that follows a cost).

export interface Throttled {
  (): void;
  /** The function ran by other means just now: the clock starts again and a pending call is dropped. */
  ranNow(): void;
  /** Drop a pending call. */
  cancel(): void;
}

export function throttle(fn: () => void, ms: number | (() => number)): Throttled {
  const interval = typeof ms === 'function' ? ms : () => ms;
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const ranNow = () => {
    last = performance.now();
    cancel();
  };
  const run = () => {
    ranNow();
    fn();
  };
  const t = (() => {
    if (timer) return;
    const wait = last + interval() - performance.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  }) as Throttled;
  t.ranNow = ranNow;
  t.cancel = cancel;
  return t;
}
