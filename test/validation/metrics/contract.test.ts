/**
 * One result contract for every metric (docs/design.md): a table drives each public metric through empty input,
 * one outcome class, a constant score and a bad `level`. Undefined is `{ defined: false, reason, message }` with the
 * message starting with the function's name — never NaN, a bare null or an empty array; a bad level is a RangeError
 * naming the function.
 */
import { describe, expect, it } from 'vitest';
import {
  atThreshold,
  auroc,
  aurocFromCounts,
  averagePrecision,
  averagePrecisionFromCounts,
  calibration,
  clusterBootstrapAuroc,
  compareAuroc,
  compareAurocFromJointCounts,
  countsOf,
  decisionCurve,
  eventRateByScore,
  netBenefit,
  obuchowskiAuroc,
  prCurve,
  prFromCounts,
  rocCurve,
  rocFromCounts,
  wilson,
} from 'ewskit';

type Input = { score: number[]; outcome: number[] };
const EMPTY: Input = { score: [], outcome: [] };
const ONE_CLASS: Input = { score: [1, 2, 3, 4], outcome: [0, 0, 0, 0] };
const CONSTANT: Input = { score: [0.3, 0.3, 0.3, 0.3], outcome: [0, 1, 0, 1] };
const counts = (i: Input) => countsOf(i.score, i.outcome).counts;
const ids = (i: Input) => i.score.map((_, k) => k);

interface Row {
  readonly name: string;
  readonly call: (input: Input, level?: number) => unknown;
  /** Whether a level option exists (a bad one must throw). */
  readonly takesLevel: boolean;
  /** The expected reason for empty and one-class input, or 'defined' when the metric is defined there. */
  readonly empty: string | 'defined';
  readonly oneClass: string | 'defined';
  /** The point estimate on the constant score (two events in four), from the definition of the metric. */
  readonly constant: number | 'defined' | string;
}

const opts = (level?: number) => (level === undefined ? {} : { level });

// Constant score, events 2 of 4: AUROC ½ (every pair tied); AP = prevalence = ½ (one threshold, precision ½);
// Wilson of 2/4 = ½; at cut 0.3 every set alerts: sensitivity 1; net benefit at pₜ = 0.2: 2/4 − 2/4 · ¼ = 0.375.
const ROWS: readonly Row[] = [
  { name: 'auroc', call: (i, l) => auroc(i.score, i.outcome, opts(l)), takesLevel: true, empty: 'empty', oneClass: 'no-positives', constant: 0.5 },
  { name: 'aurocFromCounts', call: (i, l) => aurocFromCounts(counts(i), opts(l)), takesLevel: true, empty: 'empty', oneClass: 'no-positives', constant: 0.5 },
  {
    name: 'compareAuroc',
    call: (i, l) => compareAuroc(i.score, i.score, i.outcome, opts(l)),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'no-positives',
    constant: 0,
  },
  {
    name: 'compareAurocFromJointCounts',
    call: (i, l) =>
      compareAurocFromJointCounts(
        i.score.map((v, k) => ({ a: v, b: v, positive: i.outcome[k] === 1 ? 1 : 0, negative: i.outcome[k] === 1 ? 0 : 1 })),
        opts(l),
      ),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'no-positives',
    constant: 0,
  },
  {
    name: 'obuchowskiAuroc',
    call: (i, l) => obuchowskiAuroc(i.score, i.outcome, ids(i), opts(l)),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'no-positives',
    constant: 0.5,
  },
  {
    name: 'clusterBootstrapAuroc',
    call: (i, l) => clusterBootstrapAuroc({ s: i.score }, i.outcome, ids(i), { B: 20, ...opts(l) }),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'no-positives',
    constant: 'defined',
  },
  { name: 'averagePrecision', call: (i) => averagePrecision(i.score, i.outcome), takesLevel: false, empty: 'empty', oneClass: 'no-positives', constant: 0.5 },
  {
    name: 'averagePrecisionFromCounts',
    call: (i) => averagePrecisionFromCounts(counts(i)),
    takesLevel: false,
    empty: 'empty',
    oneClass: 'no-positives',
    constant: 0.5,
  },
  { name: 'rocCurve', call: (i) => rocCurve(i.score, i.outcome), takesLevel: false, empty: 'empty', oneClass: 'no-positives', constant: 'defined' },
  { name: 'rocFromCounts', call: (i) => rocFromCounts(counts(i)), takesLevel: false, empty: 'empty', oneClass: 'no-positives', constant: 'defined' },
  { name: 'prCurve', call: (i) => prCurve(i.score, i.outcome), takesLevel: false, empty: 'empty', oneClass: 'no-positives', constant: 'defined' },
  { name: 'prFromCounts', call: (i) => prFromCounts(counts(i)), takesLevel: false, empty: 'empty', oneClass: 'no-positives', constant: 'defined' },
  {
    name: 'atThreshold',
    call: (i, l) => atThreshold(i.score, i.outcome, 0.3, opts(l)),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'defined',
    constant: 'defined',
  },
  {
    name: 'calibration',
    call: (i, l) =>
      calibration(
        i.score.map((v) => v / 10),
        i.outcome,
        opts(l),
      ),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'defined',
    constant: 'defined',
  },
  {
    name: 'eventRateByScore',
    call: (i, l) => eventRateByScore(i.score, i.outcome, opts(l)),
    takesLevel: true,
    empty: 'empty',
    oneClass: 'defined',
    constant: 'defined',
  },
  { name: 'decisionCurve', call: (i) => decisionCurve(i.score, i.outcome), takesLevel: false, empty: 'empty', oneClass: 'defined', constant: 'defined' },
  { name: 'netBenefit', call: (i) => netBenefit(i.score, i.outcome, 0.2), takesLevel: false, empty: 'empty', oneClass: 'defined', constant: 0.375 },
  {
    name: 'wilson',
    call: (i, l) =>
      wilson(
        i.outcome.reduce((s, v) => s + v, 0),
        i.outcome.length,
        opts(l),
      ),
    takesLevel: true,
    empty: 'no-denominator',
    oneClass: 'defined',
    constant: 0.5,
  },
];

/** Every value inside a result, recursively (typed arrays included). */
function leaves(v: unknown, out: unknown[] = []): unknown[] {
  if (ArrayBuffer.isView(v)) out.push(...Array.from(v as Float64Array));
  else if (Array.isArray(v)) v.forEach((x) => leaves(x, out));
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => leaves(x, out));
  else out.push(v);
  return out;
}

function expectReason(name: string, result: unknown, reason: string): void {
  if (reason === 'defined') {
    expect(result, name).toMatchObject({ defined: true });
    return;
  }
  expect(result, name).toMatchObject({ defined: false, reason, message: expect.stringMatching(new RegExp(`^${name}: `)) });
}

describe('the result contract', () => {
  for (const row of ROWS) {
    describe(`${row.name}(…)`, () => {
      it('empty input: says why, naming the function', () => expectReason(row.name, row.call(EMPTY), row.empty));
      it('one outcome class: says why, or is defined', () => expectReason(row.name, row.call(ONE_CLASS), row.oneClass));
      it('a constant score: defined, with the estimate its definition gives', () => {
        const r = row.call(CONSTANT);
        expect(r).toMatchObject({ defined: true });
        if (typeof row.constant === 'number') expect((r as { estimate: number }).estimate).toBeCloseTo(row.constant, 12);
      });
      it('never NaN anywhere in its result, on any of these inputs', () => {
        for (const input of [EMPTY, ONE_CLASS, CONSTANT]) expect(leaves(row.call(input)).filter((x) => typeof x === 'number' && Number.isNaN(x))).toEqual([]);
      });
      if (row.takesLevel) {
        it('a level outside (0, 1) is a RangeError naming the function and the option', () => {
          for (const level of [0, 1, 2, -0.5, Number.NaN])
            expect(() => row.call(CONSTANT, level)).toThrow(new RegExp(`^${row.name}: option "level" expected a number in \\(0, 1\\)`));
        });
      }
    });
  }
  it('options are one object: a positional level is a TypeError naming the function', () => {
    expect(() => wilson(1, 2, 0.9 as never)).toThrow(/^wilson: argument "options" expected an object/);
    expect(() => aurocFromCounts(counts(CONSTANT), 0.9 as never)).toThrow(/^aurocFromCounts: argument "options" expected an object/);
    expect(() => countsOf([1], [1], 'lower' as never)).toThrow(/^countsOf: argument "options" expected an object/);
  });
});
