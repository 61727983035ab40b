import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auroc } from '../../../validation/metrics/auroc.js';
import type { AurocDefined } from '../../../validation/metrics/auroc.js';
import { BOOTSTRAP_RESOLUTION, bucketed, groupBootstrap } from '../../../validation/bootstrap/group-bootstrap.js';
import { aucStatistic, proportionStatistic } from '../../../validation/bootstrap/count-statistics.js';

describe('bucketed(score, keep)', () => {
  it('leaves scores with few distinct values alone', () => {
    const s = Float64Array.from([0, 1, 2, 2, 3]);
    expect(bucketed(s)).toBe(s);
  });
  it('keeps order, keeps cut-offs exact, and moves an AUROC by less than 1/1000 on a continuous score', () => {
    const n = 50_000;
    const s = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    const y = Array.from({ length: n }, (_, i) => ((Math.sin(i * 78.233) + 1) / 2 < (s[i] as number) * 0.3 ? 1 : 0));
    const b = bucketed(s, [0.2]);
    expect(new Set(b).size).toBeLessThanOrEqual(BOOTSTRAP_RESOLUTION + 1);
    for (let i = 0; i < n; i++) expect((b[i] as number) >= 0.2).toBe((s[i] as number) >= 0.2);
    for (let i = 1; i < 200; i++) if ((s[i] as number) < (s[i - 1] as number)) expect(b[i] as number).toBeLessThanOrEqual(b[i - 1] as number);
    const exact = (auroc(s, y) as AurocDefined).estimate;
    const approx = (auroc(b, y) as AurocDefined).estimate;
    expect(Math.abs(exact - approx)).toBeLessThan(1e-3);
  });
});

describe('groupBootstrap(input)', () => {
  it('is seeded, and a score against itself gives identical replicates in every group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.integer({ min: 0, max: 10 }), y: fc.boolean(), p: fc.integer({ min: 0, max: 7 }), g: fc.integer({ min: 0, max: 1 }) }), {
          minLength: 4,
          maxLength: 60,
        }),
        (rows) => {
          const score = Float64Array.from(rows, (r) => r.s);
          const input = {
            scores: [score, score],
            labels: Uint8Array.from(rows, (r) => (r.y ? 1 : 0)),
            patient: Int32Array.from(rows, (r) => r.p),
            patients: 8,
            group: Int32Array.from(rows, (r) => r.g),
            groups: 2,
            statistics: { auroc: aucStatistic, sensitivity: proportionStatistic('sensitivity', [5, 5]) },
            B: 20,
            seed: 4,
          };
          const a = groupBootstrap(input);
          const b = groupBootstrap(input);
          for (const stat of ['auroc', 'sensitivity'] as const) {
            for (let g = 0; g < 2; g++) {
              expect(Array.from(b.of(stat, g, 0))).toEqual(Array.from(a.of(stat, g, 0)));
              expect(Array.from(a.of(stat, g, 0))).toEqual(Array.from(a.of(stat, g, 1)));
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
