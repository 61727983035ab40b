/**
 * Conditions from ICD-10 primary diagnoses (WHO ICD-10: J44 COPD, A40/A41 sepsis, R65.1 SIRS of infectious origin
 * with organ failure, I50 heart failure): every mapped category, the dotless form, other codes, and what is no code.
 */
import { describe, expect, it } from 'vitest';
import { CONDITION_CODES, conditionGroup } from '../../../validation/codes/conditions.js';

describe('conditionGroup', () => {
  it('maps the categories of each condition, with or without the dot, in any case', () => {
    expect(['J44.1', 'J44.0', 'J449', 'j44.9', 'J44'].map(conditionGroup)).toEqual(['COPD', 'COPD', 'COPD', 'COPD', 'COPD']);
    expect(['A41.9', 'A40.0', 'A419', 'R65.1'].map(conditionGroup)).toEqual(['Sepsis', 'Sepsis', 'Sepsis', 'Sepsis']);
    expect(['I50.9', 'I50.0', 'I501'].map(conditionGroup)).toEqual(['Heart failure', 'Heart failure', 'Heart failure']);
  });
  it('other well-formed codes are Other (R65.0, SIRS without organ failure, too); nothing else is guessed', () => {
    expect(['R07.4', 'J18.9', 'I48.9', 'R65.0', 'N39.0'].map(conditionGroup)).toEqual(['Other', 'Other', 'Other', 'Other', 'Other']);
    expect([null, undefined, '', 'COPD', 'J4', '44.1', 7].map(conditionGroup)).toEqual([null, null, null, null, null, null, null]);
  });
  it('the generator records codes that map back to their condition', () => {
    expect(conditionGroup(CONDITION_CODES.copd)).toBe('COPD');
    expect(conditionGroup(CONDITION_CODES.sepsis)).toBe('Sepsis');
    expect(conditionGroup(CONDITION_CODES.heartFailure)).toBe('Heart failure');
  });
});
