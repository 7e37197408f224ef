import { describe, expect, it } from 'vitest';
import { backoffMs, retryLoop } from './retry';

describe('backoffMs', () => {
  it('doubles from the base after each failure, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(n, 1000, 5000))).toEqual([1000, 1000, 2000, 4000, 5000, 5000]);
    // The outboxes' numbers: 30 s doubling to 15 minutes (X) or an hour (email).
    expect([1, 5, 6, 20].map((n) => backoffMs(n, 30_000, 15 * 60_000))).toEqual([30_000, 480_000, 900_000, 900_000]);
    expect(backoffMs(8, 30_000, 3_600_000)).toBe(3_600_000);
    expect(backoffMs(7, 30_000, 3_600_000)).toBe(1_920_000);
    // Far past the cap (2^n overflows to Infinity) it stays at the cap.
    expect(backoffMs(5000, 1000, 60_000)).toBe(60_000);
  });

  it('with jitter, a point in the upper half of the delay', () => {
    const at = (r: number) => ({ random: () => r });
    expect(backoffMs(1, 1000, 60_000, at(0))).toBe(500);
    expect(backoffMs(1, 1000, 60_000, at(0.5))).toBe(750);
    expect(backoffMs(3, 1000, 60_000, at(0.999))).toBe(3998);
    expect(backoffMs(20, 1000, 60_000, at(0))).toBe(30_000);
    expect(backoffMs(20, 1000, 60_000, at(0.25))).toBe(37_500);
  });
});

describe('retryLoop', () => {
  it('retries with growing delays until the attempt succeeds', async () => {
    const waits: number[] = [];
    const seen: [string, number, number][] = [];
    let calls = 0;
    const r = await retryLoop(
      async ({ failures }) => {
        expect(failures).toBe(calls);
        if (++calls < 4) throw new Error(`drop ${calls}`);
        return 'ok';
      },
      { baseMs: 100, maxMs: 250, retry: () => true, onRetry: (e, n, ms) => seen.push([(e as Error).message, n, ms]), wait: async (ms) => void waits.push(ms) },
    );
    expect(r).toBe('ok');
    expect(waits).toEqual([100, 200, 250]);
    expect(seen).toEqual([
      ['drop 1', 1, 100],
      ['drop 2', 2, 200],
      ['drop 3', 3, 250],
    ]);
  });

  it('rethrows the error retry refuses, without waiting', async () => {
    const waits: number[] = [];
    let calls = 0;
    const fatal = new Error('bad password');
    await expect(
      retryLoop(
        async () => {
          calls++;
          throw calls < 3 ? new Error('network') : fatal;
        },
        { baseMs: 10, maxMs: 100, retry: (e) => (e as Error).message === 'network', wait: async (ms) => void waits.push(ms) },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(3);
    expect(waits).toEqual([10, 20]);
  });

  it('gives up after as many retries as retry allows', async () => {
    let calls = 0;
    const err = await retryLoop(
      async () => {
        calls++;
        throw new Error(`try ${calls}`);
      },
      { baseMs: 1, maxMs: 1, retry: (_e, failures) => failures <= 3, wait: async () => undefined },
    ).catch((e: Error) => e.message);
    expect(err).toBe('try 4');
    expect(calls).toBe(4);
  });

  it('reset() starts the backoff over once an attempt got far enough', async () => {
    const waits: number[] = [];
    let calls = 0;
    await retryLoop(
      async ({ reset }) => {
        calls++;
        if (calls === 3) reset(); // connected, then dropped again
        if (calls < 5) throw new Error('drop');
      },
      { baseMs: 10, maxMs: 1000, retry: () => true, wait: async (ms) => void waits.push(ms) },
    );
    expect(waits).toEqual([10, 20, 10, 20]);
  });

  it('waits on a real timer by default', async () => {
    const t = performance.now();
    let calls = 0;
    await retryLoop(
      async () => {
        if (++calls < 3) throw new Error('x');
      },
      { baseMs: 20, maxMs: 20, retry: () => true },
    );
    expect(performance.now() - t).toBeGreaterThanOrEqual(38);
  });
});
