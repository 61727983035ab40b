/**
 * The documented shape of a validation report (schema `ewskit.report/9`, see docs/report.md), checked field by
 * field. A released cell is its value; a suppressed cell is `{ suppressed: true, rule }`.
 */
import { isSuppressed } from '../disclosure/disclosure.js';
import { KIND_NAMES } from '../../scores/kinds/kind-of.js';
import { HEADLINE_COLUMNS } from './format.js';
import { REPORT_SCHEMA } from './types.js';

/** The headline cells every score section holds (the summary table's metrics). */
const HEADLINE_KEYS = Object.keys(HEADLINE_COLUMNS);

const isKind = (k: unknown): boolean => (KIND_NAMES as readonly unknown[]).includes(k);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Check a parsed report against the documented schema.
 *
 * @returns every problem found, with its path; empty when the report conforms
 * @example checkReport(JSON.parse(readFileSync('report.json', 'utf8'))); // => []
 */
export function checkReport(report: unknown): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, path: string, what: string) => {
    if (!ok) problems.push(`${path}: expected ${what}`);
  };
  const count = (v: unknown, path: string) =>
    need((typeof v === 'number' && Number.isInteger(v) && v >= 0) || isSuppressed(v), path, 'a count or a suppressed cell');
  const result = (v: unknown, path: string) => {
    if (isSuppressed(v)) return;
    if (!isObject(v) || typeof v.defined !== 'boolean')
      return problems.push(`${path}: expected { defined: true, estimate, … }, { defined: false, reason, message } or a suppressed cell`);
    if (v.defined) need(typeof v.estimate === 'number' || typeof v.method === 'string', path, 'a number "estimate"');
    else need(typeof v.reason === 'string' && typeof v.message === 'string', path, 'a "reason" and a "message"');
    return undefined;
  };
  if (!isObject(report)) return ['$: expected an object'];
  need(report.schema === REPORT_SCHEMA, '$.schema', `"${REPORT_SCHEMA}"`);
  const s = report.settings;
  if (!isObject(s)) problems.push('$.settings: expected an object');
  else {
    need(
      Array.isArray(s.scores) && s.scores.every((x) => isObject(x) && typeof x.id === 'string' && isKind(x.kind)),
      '$.settings.scores',
      'an array of { id, name, version, kind }',
    );
    need(isObject(s.outcome) && typeof s.outcome.horizonHours === 'number', '$.settings.outcome', '{ horizonHours, eventTypes, unit }');
    need(Array.isArray(s.groupBy), '$.settings.groupBy', 'an array of column names');
    need(
      s.bootstrap === false || (isObject(s.bootstrap) && typeof s.bootstrap.B === 'number' && typeof s.bootstrap.seed === 'number'),
      '$.settings.bootstrap',
      'false or { B, seed }',
    );
    need(typeof s.level === 'number' && s.level > 0 && s.level < 1, '$.settings.level', 'a confidence level in (0, 1)');
    need(isObject(s.recalibration) && typeof s.recalibration.folds === 'number', '$.settings.recalibration', '{ folds, seed }');
    need(Array.isArray(s.netBenefitThresholds), '$.settings.netBenefitThresholds', 'an array of probabilities');
    need(Array.isArray(s.skinToneBands), '$.settings.skinToneBands', 'an array of { label, min, max }');
    need(isObject(s.intervals) && typeof s.intervals.method === 'string', '$.settings.intervals', '{ method, cluster, naive }');
    need(isObject(s.multiplicity) && typeof s.multiplicity.contrasts === 'number', '$.settings.multiplicity', '{ contrasts, method }');
    need(Array.isArray(s.warnings), '$.settings.warnings', 'an array of strings');
  }
  const d = report.disclosure;
  need(
    isObject(d) && typeof d.minCount === 'number' && Array.isArray(d.rules) && isObject(d.suppressedCells) && Array.isArray(d.tables) && Array.isArray(d.links),
    '$.disclosure',
    '{ minCount, rules, suppressedCells, tables, links, … }',
  );
  const c = report.cohort;
  if (!isObject(c)) problems.push('$.cohort: expected an object');
  else {
    for (const k of ['patients', 'encounters', 'observationSets', 'analysedSets', 'events', 'positiveSets']) count(c[k], `$.cohort.${k}`);
    need(
      Array.isArray(c.reading) && c.reading.every((r) => isObject(r) && typeof r.table === 'string' && isObject(r.byReason)),
      '$.cohort.reading',
      'an array of { table, read, kept, rejected, byReason }',
    );
  }
  if (!Array.isArray(report.scores)) problems.push('$.scores: expected an array');
  else {
    report.scores.forEach((x, i) => {
      const p = `$.scores[${i}]`;
      if (!isObject(x)) return problems.push(`${p}: expected an object`);
      need(typeof x.id === 'string' && typeof x.name === 'string', `${p}`, '{ id, name, … }');
      need(isKind(x.kind), `${p}.kind`, KIND_NAMES.map((k) => `"${k}"`).join(' or '));
      for (const key of HEADLINE_KEYS) result(x[key], `${p}.${key}`);
      need(
        Array.isArray(x.thresholds) && x.thresholds.every((t) => isObject(t) && typeof t.cut === 'number'),
        `${p}.thresholds`,
        'an array of { label, cut, counts, sensitivity, … }',
      );
      need(Array.isArray(x.curve) && x.curve.every((t) => isObject(t) && typeof t.cut === 'number' && 'cell' in t), `${p}.curve`, 'an array of { cut, cell }');
      need(Array.isArray(x.netBenefit), `${p}.netBenefit`, 'an array');
      return undefined;
    });
  }
  if (!Array.isArray(report.comparisons)) problems.push('$.comparisons: expected an array');
  else
    report.comparisons.forEach((x, i) => {
      if (!isObject(x) || typeof x.a !== 'string' || typeof x.b !== 'string') problems.push(`$.comparisons[${i}]: expected { a, b, cell }`);
      else result(x.cell, `$.comparisons[${i}].cell`);
    });
  need(
    Array.isArray(report.units) && report.units.every((u) => isObject(u) && typeof u.unit === 'string' && isObject(u.scores)),
    '$.units',
    'an array of { unit, scores }',
  );
  const f = report.flow;
  if (!isObject(f) || !isObject(f.extract) || !Array.isArray(f.excluded) || !isObject(f.labelled) || !Array.isArray(f.scores))
    problems.push('$.flow: expected { extract, excluded, labelled, scores }');
  else {
    count(f.extract.sets, '$.flow.extract.sets');
    count(f.labelled.sets, '$.flow.labelled.sets');
    f.excluded.forEach((x, i) => need(isObject(x) && typeof x.reason === 'string', `$.flow.excluded[${i}]`, '{ reason, sets, positive, negative, byGroup }'));
  }
  const ch = report.characteristics;
  need(
    isObject(ch) && Array.isArray(ch.columns) && Array.isArray(ch.encounters) && Array.isArray(ch.sets),
    '$.characteristics',
    '{ columns, encounters, sets }',
  );
  need(
    Array.isArray(report.outcomes) && report.outcomes.every((o) => isObject(o) && typeof o.outcome === 'string'),
    '$.outcomes',
    'an array of { outcome, events, encounters, positiveSets }',
  );
  const m = report.missingData;
  need(
    isObject(m) &&
      (m.policy === 'none' || m.policy === 'zero') &&
      typeof m.statement === 'string' &&
      Array.isArray(m.models) &&
      m.models.every((r) => isObject(r) && typeof r.score === 'string'),
    '$.missingData',
    '{ policy, statement, models: [{ score, analysed, withImputed, escalated }], sideBySide }',
  );
  const t = report.tripod;
  need(
    isObject(t) && typeof t.ewskitVersion === 'string' && isObject(t.dataDates) && Array.isArray(t.definitions) && Array.isArray(t.items),
    '$.tripod',
    '{ ewskitVersion, dataDates, definitions, items }',
  );
  if (!Array.isArray(report.subgroups)) problems.push('$.subgroups: expected an array');
  else {
    report.subgroups.forEach((g, i) => {
      const p = `$.subgroups[${i}]`;
      if (!isObject(g) || typeof g.by !== 'string' || typeof g.reference !== 'string' || !Array.isArray(g.groups))
        return problems.push(`${p}: expected { by, reference, groups }`);
      g.groups.forEach((x, j) => {
        if (!isObject(x) || typeof x.group !== 'string' || !isObject(x.scores))
          problems.push(`${p}.groups[${j}]: expected { group, patients, eventPatients, positiveSets, scores }`);
        else {
          count(x.patients, `${p}.groups[${j}].patients`);
          count(x.eventPatients, `${p}.groups[${j}].eventPatients`);
          count(x.positiveSets, `${p}.groups[${j}].positiveSets`);
        }
      });
      return undefined;
    });
  }
  return problems;
}
