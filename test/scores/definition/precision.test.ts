import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantize, roundToPrecision } from '../../../scores/definition/precision.js';

describe('roundToPrecision(value, precision)', () => {
  it('rounds half-up at the chart precision, immune to binary floating point', () => {
    // 36.05 is stored as 36.04999999999999715…; the policy treats it as written.
    expect(36.05 * 10).toBeLessThanOrEqual(360.5);
    expect(roundToPrecision(36.05, 1)).toBe(36.1);
    expect(roundToPrecision(36.04, 1)).toBe(36.0);
    expect(roundToPrecision(20.4, 0)).toBe(20);
    expect(roundToPrecision(20.5, 0)).toBe(21);
    expect(roundToPrecision(1.005, 2)).toBe(1.01); // 1.005 is stored as 1.00499999999999989…
    expect(roundToPrecision(0.15, 1)).toBe(0.2);
    expect(roundToPrecision(37.349, 1)).toBe(37.3);
  });

  it('every value written with one decimal more rounds as a decimal would: d.d5 → up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4999 }), fc.integer({ min: 0, max: 9 }), (tenths, last) => {
        // value = tenths/10 + last/100, written as a decimal string; rounding by integer arithmetic on the digits.
        const text = `${Math.floor(tenths / 10)}.${tenths % 10}${last}`;
        const expected = (tenths + (last >= 5 ? 1 : 0)) / 10;
        expect(roundToPrecision(Number(text), 1)).toBe(expected);
      }),
    );
  });
});

describe('quantize(value, precision, rounding)', () => {
  it('gives integers in units of the last digit; floor for completed years', () => {
    expect(quantize(36.05, 1)).toBe(361);
    expect(quantize(54.9, 0, 'floor')).toBe(54);
    expect(quantize(55, 0, 'floor')).toBe(55);
  });
});

describe('roundToPrecision checks its arguments', () => {
  it('refuses a step where a count of decimals is expected (0.1 for one decimal)', () => {
    expect(() => roundToPrecision(36.05, 0.1)).toThrow(
      /roundToPrecision: argument "precision" expected a whole number of decimal places from 0 to 6.*received 0.1 — a step, not a count of decimals/,
    );
    expect(() => roundToPrecision(Number.NaN, 1)).toThrow(/argument "value" expected a finite number/);
    expect(roundToPrecision(36.05, 1)).toBe(36.1);
  });
});
