/**
 * The oximeter model against its calibration target (Sjoding et al., NEJM 2020: occult hypoxaemia — SaO2 < 88 % with
 * SpO2 92–96 % — 3.6 % in White and 11.7 % in Black patients): on the reference population of patients with arterial
 * gases, 2–6 % in White patients and 2.5–4 times that in Black patients (Sjoding's ratio: 3.2); none of the disparity without the bias. And the
 * bias itself: by tone, growing as saturation falls (hand-worked).
 */
import { describe, expect, it } from 'vitest';
import { biasAt, deviceSd, LITERATURE_BIAS, NO_BIAS, referenceOccultHypoxaemia, resolveBias } from '../../../validation/cohort/oximeter.js';
import { PROFILES } from '../../../validation/cohort/profiles.js';

const tones = PROFILES['uk-leicester']?.skinTone;
const white = tones?.White ?? [];
const black = tones?.Black ?? [];

describe('the oximeter model', () => {
  it('bias by tone, growing by 30 % of itself per point below 94 % (Bickler 2005; Feiner 2007)', () => {
    expect(biasAt(LITERATURE_BIAS, 10, 97)).toBe(1.4);
    expect(biasAt(LITERATURE_BIAS, 10, 94)).toBe(1.4);
    expect(biasAt(LITERATURE_BIAS, 10, 90)).toBeCloseTo(1.4 * (1 + 0.3 * 4), 12); // 3.08
    expect(biasAt(LITERATURE_BIAS, 10, 86)).toBeCloseTo(1.4 * (1 + 0.3 * 8), 12); // 4.76
    expect(biasAt(LITERATURE_BIAS, 1, 80)).toBe(0);
    expect(biasAt(NO_BIAS, 10, 80)).toBe(0);
    expect(deviceSd(97)).toBe(1.4);
    expect(deviceSd(86)).toBeCloseTo(1.4 + 0.25 * 8, 12);
    expect(() => resolveBias({ perTone: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], below90: 1, slopeBelow94: -1 })).toThrow(/slopeBelow94\?: number ≥ 0/);
  });
  it('calibration target: occult hypoxaemia 2–6 % in White patients and 2.5–4× that in Black patients (reference population)', () => {
    const w = referenceOccultHypoxaemia(LITERATURE_BIAS, white);
    const b = referenceOccultHypoxaemia(LITERATURE_BIAS, black);
    expect(w).toBeGreaterThanOrEqual(0.02);
    expect(w).toBeLessThanOrEqual(0.06);
    expect(b / w).toBeGreaterThanOrEqual(2.5);
    expect(b / w).toBeLessThanOrEqual(4);
    // Without the bias, the same population shows no disparity: the gap is the bias's, not the noise's.
    const w0 = referenceOccultHypoxaemia(NO_BIAS, white);
    const b0 = referenceOccultHypoxaemia(NO_BIAS, black);
    expect(Math.abs(b0 / w0 - 1)).toBeLessThan(0.15);
  });
});
