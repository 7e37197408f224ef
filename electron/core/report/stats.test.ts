// p50p90 finds its nearest-rank values by selection: it must give exactly what sorting gives
// (percentile over the sorted samples), with duplicates, tiny and large groups.
import { describe, expect, it } from 'vitest';
import { p50p90, percentile } from './stats';

describe('p50p90', () => {
  it('equals the nearest-rank percentiles of the sorted samples', () => {
    let seed = 7;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    expect(p50p90([])).toEqual({ p50: null, p90: null });
    expect(p50p90([5])).toEqual({ p50: 5, p90: 5 });
    for (let t = 0; t < 3000; t++) {
      const n = 1 + Math.floor(r() * (t % 10 === 0 ? 3000 : 40));
      // Many ties (a few small values) mixed with spread-out ones, as reply times are.
      const xs = Array.from({ length: n }, () => (r() < 0.3 ? Math.floor(r() * 4) : Math.floor(r() * 1e9)));
      const sorted = [...xs].sort((a, b) => a - b);
      expect(p50p90(xs)).toEqual({ p50: percentile(sorted, 50), p90: percentile(sorted, 90) });
    }
  });

  it('leaves the samples as they were', () => {
    const xs = [9, 1, 8, 2, 7, 3];
    p50p90(xs);
    expect(xs).toEqual([9, 1, 8, 2, 7, 3]);
  });
});
