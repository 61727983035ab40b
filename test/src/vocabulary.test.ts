/**
 * Each enumerated option is spelled once: one `as const` array in the library gives its type, the library's check
 * (`keyword`), the command line's allowed values (the option table takes the very array), the help's "One of" list
 * and the README's `--option a|b|c`. A value added to an array reaches all of them; none can drift.
 */
import { ENGINES } from '../../validation/engine/study-sql.js';
import { BOOTSTRAP_METHODS } from '../../validation/bootstrap/replicate-weights.js';
import { COHORT_FORMATS } from '../../src/io/cohort-files.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyword } from '../../scores/definition/errors.js';
import { MISSING_POLICIES } from '../../scores/definition/observation.js';
import { COMMANDS, FIT_MODELS } from '../../src/cli/options.js';
import { runCli } from '../../src/cli/run.js';
import { OXIMETER_BIAS_NAMES } from '../../validation/cohort/oximeter.js';
import { Disclosure } from '../../validation/disclosure/disclosure.js';
import { DISCLOSURE_POLICIES } from '../../validation/disclosure/policy.js';
import { CENSORED_HANDLING, CLUSTER_LEVELS, FOLLOW_UPS, MISSING_ANALYSES, RECALIBRATION_METHODS, UNIT_NAMES } from '../../validation/report/vocabulary.js';
import { ESCALATION_TRIGGERS } from '../../validation/ward/monitoring.js';
import { META_TESTS, PREDICTION_RULES, TAU2_METHODS } from '../../validation/meta/random-effects.js';

const VOCABULARIES: readonly (readonly string[])[] = [
  MISSING_POLICIES,
  OXIMETER_BIAS_NAMES,
  DISCLOSURE_POLICIES,
  UNIT_NAMES,
  CLUSTER_LEVELS,
  RECALIBRATION_METHODS,
  MISSING_ANALYSES,
  FOLLOW_UPS,
  CENSORED_HANDLING,
  FIT_MODELS,
  ESCALATION_TRIGGERS,
  BOOTSTRAP_METHODS,
  COHORT_FORMATS,
  TAU2_METHODS,
  META_TESTS,
  PREDICTION_RULES,
  ENGINES,
];

const enumerated = COMMANDS.flatMap((c) => c.options.filter((o) => o.choices !== undefined).map((o) => ({ command: c.name, option: o })));

describe('each enumerated option is spelled once', () => {
  it('finds the enumerated options', () => expect(enumerated.length).toBeGreaterThanOrEqual(10));
  for (const { command, option } of enumerated) {
    it(`${command} --${option.name}: its allowed values are a library array (the same object), listed in --help and the README`, async () => {
      expect(VOCABULARIES.some((v) => v === option.choices)).toBe(true);
      let help = '';
      await runCli([command, '--help'], { stdout: (t) => (help += t), stderr: () => undefined });
      expect(help.replace(/\s+/g, ' ')).toContain(`One of: ${(option.choices ?? []).join(', ')}.`);
      const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
      expect(readme).toContain(`--${option.name} ${(option.choices ?? []).join('|')}`);
    });
  }
});

describe('keyword: the one check of an enumerated option', () => {
  it('returns a listed value, or the fallback when absent', () => {
    expect(keyword('f', 'cluster', CLUSTER_LEVELS, 'encounter', 'patient')).toBe('encounter');
    expect(keyword('f', 'cluster', CLUSTER_LEVELS, undefined, 'patient')).toBe('patient');
  });
  it('names the function, the option, every allowed value and what it received', () => {
    expect(() => keyword('validate', 'cluster', CLUSTER_LEVELS, 'ward', 'patient')).toThrow(
      new RangeError(`validate: option "cluster" expected 'patient' or 'encounter'; received string "ward".`),
    );
    expect(() => keyword('validate', 'units[0]', UNIT_NAMES, 3, 'first')).toThrow(
      new RangeError(`validate: option "units[0]" expected 'first', 'highest-24h' or 'common'; received number 3.`),
    );
  });
  it('the library checks against the same arrays the command line offers', () => {
    for (const policy of DISCLOSURE_POLICIES) expect(new Disclosure({ policy }).policy).toBe(policy);
    expect(() => new Disclosure({ policy: 'strict' as never })).toThrow(/expected 'ewskit', 'opensafely', 'midpoint6' or 'none'; received string "strict"/);
  });
});
