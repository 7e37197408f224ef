import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttle } from './throttle';
import { riskCost, riskRefreshMs } from '../state/riskCost';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
  riskCost.lastMs = 0;
});

describe('throttle', () => {
  it('runs at once, then at most once per interval while calls keep coming, the last call never lost', () => {
    let n = 0;
    const t = throttle(() => n++, 1000);
    t();
    expect(n).toBe(1);
    t();
    t();
    expect(n).toBe(1);
    vi.advanceTimersByTime(999);
    expect(n).toBe(1);
    vi.advanceTimersByTime(1);
    expect(n).toBe(2);
    vi.advanceTimersByTime(5000);
    expect(n).toBe(2);
  });

  it('asks a function interval each time: the wait follows what it says now', () => {
    let n = 0;
    let ms = 1000;
    const t = throttle(
      () => n++,
      () => ms,
    );
    t();
    ms = 10_000;
    t();
    vi.advanceTimersByTime(9_999);
    expect(n).toBe(1);
    vi.advanceTimersByTime(1);
    expect(n).toBe(2);
    ms = 100;
    vi.advanceTimersByTime(100);
    t();
    expect(n).toBe(3);
  });

  it('the at-risk refresh waits 5 s, or ten times its last call when that is longer', () => {
    expect(riskRefreshMs()).toBe(5000);
    riskCost.lastMs = 200;
    expect(riskRefreshMs()).toBe(5000);
    riskCost.lastMs = 4_200;
    expect(riskRefreshMs()).toBe(42_000);
    let n = 0;
    const t = throttle(() => n++, riskRefreshMs);
    t();
    t();
    vi.advanceTimersByTime(41_999);
    expect(n).toBe(1);
    vi.advanceTimersByTime(1);
    expect(n).toBe(2);
  });
});
