/** fast-check arbitraries shared by the property tests. */
import fc from 'fast-check';
import type { Observation } from '../../scores/evaluate/score-observation.js';

/**
 * A vital sign: usually realistic (to 0–2 decimals) within [lo, hi], sometimes null, non-finite, negative or huge;
 * with `anyDouble`, sometimes any double at all.
 */
export function vital(lo: number, hi: number, options: { anyDouble?: boolean } = {}): fc.Arbitrary<number | null> {
  const arms: fc.WeightedArbitrary<number | null>[] = [
    { weight: 6, arbitrary: fc.integer({ min: lo * 100, max: hi * 100 }).map((x) => x / 100) },
    { weight: 3, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, -0.4, 1e6) },
  ];
  if (options.anyDouble === true) arms.push({ weight: 1, arbitrary: fc.double({ noNaN: false }) });
  return fc.oneof(...arms);
}

/** An observation with every canonical input, including odd codes, implausible-but-possible and impossible values. */
export const anyObservation: fc.Arbitrary<Observation> = fc.record({
  respiratoryRate: vital(0, 130),
  spo2: vital(0, 105),
  spo2Scale: fc.constantFrom(null, 1, 2, 3),
  onOxygen: fc.constantFrom<boolean | null>(true, false, null),
  systolicBP: vital(0, 420),
  diastolicBP: vital(0, 320),
  heartRate: vital(0, 370),
  consciousness: fc.constantFrom('A', ' alert ', 'a', 'C', 'New  Confusion', 'V', 'p', 'U', 'X', '', null),
  temperature: vital(5, 110),
  gcs: vital(2, 16),
  age: vital(0, 130),
  lactate: vital(0, 45),
  creatinine: vital(1, 4200),
  whiteCellCount: vital(0, 1100),
  comorbidityCount: vital(0, 10),
});
