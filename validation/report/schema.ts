/**
 * The documented shape of a validation report (schema `ewskit.report/11`, see docs/report.md), checked field by
 * field. A released cell is its value; a suppressed cell is `{ suppressed: true, rule }`.
 */
import { BOOTSTRAP_METHODS } from '../bootstrap/replicate-weights.js';
import { isSuppressed } from '../disclosure/disclosure.js';
import { KIND_NAMES } from '../../scores/kinds/kind-of.js';
import { HEADLINE_KEYS } from './format.js';
import { REPORT_SCHEMA } from './types.js';

const isKind = (k: unknown): boolean => (KIND_NAMES as readonly unknown[]).includes(k);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems found so far, each with its JSON path; and the checks every section uses. */
class Problems {
  readonly problems: string[] = [];
  need(ok: boolean, path: string, what: string): void {
    if (!ok) this.problems.push(`${path}: expected ${what}`);
  }
  /** A count (a whole number ≥ 0) or a suppressed cell. */
  count(v: unknown, path: string): void {
    this.need((typeof v === 'number' && Number.isInteger(v) && v >= 0) || isSuppressed(v), path, 'a count or a suppressed cell');
  }
  /** A metric result (the result contract) or a suppressed cell. */
  result(v: unknown, path: string): void {
    if (isSuppressed(v)) return;
    if (!isObject(v) || typeof v.defined !== 'boolean') {
      this.problems.push(`${path}: expected { defined: true, estimate, … }, { defined: false, reason, message } or a suppressed cell`);
      return;
    }
    if (v.defined) this.need(typeof v.estimate === 'number' || typeof v.method === 'string', path, 'a number "estimate"');
    else this.need(typeof v.reason === 'string' && typeof v.message === 'string', path, 'a "reason" and a "message"');
  }
}

/** The study's settings. */
function checkSettings(check: Problems, report: Json): void {
  const s = report.settings;
  if (!isObject(s)) check.problems.push('$.settings: expected an object');
  else {
    check.need(
      Array.isArray(s.scores) && s.scores.every((x) => isObject(x) && typeof x.id === 'string' && isKind(x.kind)),
      '$.settings.scores',
      'an array of { id, name, version, kind }',
    );
    check.need(isObject(s.outcome) && typeof s.outcome.horizonHours === 'number', '$.settings.outcome', '{ horizonHours, eventTypes, unit }');
    check.need(Array.isArray(s.groupBy), '$.settings.groupBy', 'an array of column names');
    check.need(
      s.bootstrap === false ||
        (isObject(s.bootstrap) &&
          typeof s.bootstrap.B === 'number' &&
          typeof s.bootstrap.seed === 'number' &&
          (BOOTSTRAP_METHODS as readonly unknown[]).includes(s.bootstrap.method)),
      '$.settings.bootstrap',
      'false or { B, seed }',
    );
    check.need(typeof s.level === 'number' && s.level > 0 && s.level < 1, '$.settings.level', 'a confidence level in (0, 1)');
    check.need(isObject(s.recalibration) && typeof s.recalibration.folds === 'number', '$.settings.recalibration', '{ folds, seed }');
    check.need(Array.isArray(s.netBenefitThresholds), '$.settings.netBenefitThresholds', 'an array of probabilities');
    check.need(Array.isArray(s.skinToneBands), '$.settings.skinToneBands', 'an array of { label, min, max }');
    check.need(isObject(s.intervals) && typeof s.intervals.method === 'string', '$.settings.intervals', '{ method, cluster, naive }');
    check.need(isObject(s.multiplicity) && typeof s.multiplicity.contrasts === 'number', '$.settings.multiplicity', '{ contrasts, method }');
    check.need(Array.isArray(s.warnings), '$.settings.warnings', 'an array of strings');
  }
}

/** The output-checking summary. */
function checkDisclosure(check: Problems, report: Json): void {
  const d = report.disclosure;
  check.need(
    isObject(d) && typeof d.minCount === 'number' && Array.isArray(d.rules) && isObject(d.suppressedCells) && Array.isArray(d.tables) && Array.isArray(d.links),
    '$.disclosure',
    '{ minCount, rules, suppressedCells, tables, links, … }',
  );
}

/** Table 1's counts and the extract's reading. */
function checkCohort(check: Problems, report: Json): void {
  const c = report.cohort;
  if (!isObject(c)) check.problems.push('$.cohort: expected an object');
  else {
    for (const k of ['patients', 'encounters', 'observationSets', 'analysedSets', 'events', 'positiveSets']) check.count(c[k], `$.cohort.${k}`);
    check.need(
      Array.isArray(c.reading) && c.reading.every((r) => isObject(r) && typeof r.table === 'string' && isObject(r.byReason)),
      '$.cohort.reading',
      'an array of { table, read, kept, rejected, byReason }',
    );
  }
}

/** Each score's section. */
function checkScores(check: Problems, report: Json): void {
  if (!Array.isArray(report.scores)) check.problems.push('$.scores: expected an array');
  else {
    report.scores.forEach((x, i) => {
      const p = `$.scores[${i}]`;
      if (!isObject(x)) return check.problems.push(`${p}: expected an object`);
      check.need(typeof x.id === 'string' && typeof x.name === 'string', `${p}`, '{ id, name, … }');
      check.need(isKind(x.kind), `${p}.kind`, KIND_NAMES.map((k) => `"${k}"`).join(' or '));
      for (const key of HEADLINE_KEYS) check.result(x[key], `${p}.${key}`);
      check.need(
        Array.isArray(x.thresholds) && x.thresholds.every((t) => isObject(t) && typeof t.cut === 'number'),
        `${p}.thresholds`,
        'an array of { label, cut, counts, sensitivity, … }',
      );
      check.need(
        Array.isArray(x.curve) && x.curve.every((t) => isObject(t) && typeof t.cut === 'number' && 'cell' in t),
        `${p}.curve`,
        'an array of { cut, cell }',
      );
      check.need(Array.isArray(x.netBenefit), `${p}.netBenefit`, 'an array');
      return undefined;
    });
  }
}

/** The paired comparisons. */
function checkComparisons(check: Problems, report: Json): void {
  if (!Array.isArray(report.comparisons)) check.problems.push('$.comparisons: expected an array');
  else
    report.comparisons.forEach((x, i) => {
      if (!isObject(x) || typeof x.a !== 'string' || typeof x.b !== 'string') check.problems.push(`$.comparisons[${i}]: expected { a, b, cell }`);
      else check.result(x.cell, `$.comparisons[${i}].cell`);
    });
}

/** The other units of analysis. */
function checkUnits(check: Problems, report: Json): void {
  check.need(
    Array.isArray(report.units) && report.units.every((u) => isObject(u) && typeof u.unit === 'string' && isObject(u.scores)),
    '$.units',
    'an array of { unit, scores }',
  );
}

/** The alert measures: per score, its rules' cells and (NEWS2) its monitoring compliance. */
function checkAlerts(check: Problems, report: Json): void {
  const a = report.alerts;
  if (!isObject(a) || !Array.isArray(a.scores) || typeof a.wardTime !== 'string' || typeof a.toleranceMinutes !== 'number') {
    check.problems.push('$.alerts: expected { wardTime, toleranceMinutes, risingBy, scores }');
    return;
  }
  a.scores.forEach((x, i) => {
    const p = `$.alerts.scores[${i}]`;
    if (!isObject(x) || typeof x.id !== 'string' || !Array.isArray(x.rules)) {
      check.problems.push(`${p}: expected { id, sets, episodes, rules, monitoring }`);
      return;
    }
    check.count(x.sets, `${p}.sets`);
    check.count(x.episodes, `${p}.episodes`);
    x.rules.forEach((r, j) => {
      if (!isObject(r) || typeof r.rule !== 'string') {
        check.problems.push(`${p}.rules[${j}]: expected { rule, alerts, perPatientDay, … }`);
        return;
      }
      check.count(r.alerts, `${p}.rules[${j}].alerts`);
      for (const k of ['perPatientDay', 'per100Sets', 'repeatAlertRate', 'firstAlertPpv', 'episodeSensitivity'] as const)
        check.result(r[k], `${p}.rules[${j}].${k}`);
      const lead = r.leadTimeHours;
      check.need(
        isSuppressed(lead) || (isObject(lead) && (lead.defined === false ? typeof lead.reason === 'string' : typeof lead.median === 'number')),
        `${p}.rules[${j}].leadTimeHours`,
        '{ defined: true, median, q1, q3, ci }, an undefined result or a suppressed cell',
      );
    });
    if (x.monitoring !== null)
      check.need(
        Array.isArray(x.monitoring) && x.monitoring.every((m) => isObject(m) && typeof m.band === 'string' && typeof m.intervalHours === 'number'),
        `${p}.monitoring`,
        'null or an array of { band, intervalHours, period, sets, compliance }',
      );
  });
}

/** The flow. */
function checkFlow(check: Problems, report: Json): void {
  const f = report.flow;
  if (!isObject(f) || !isObject(f.extract) || !Array.isArray(f.excluded) || !isObject(f.labelled) || !Array.isArray(f.scores))
    check.problems.push('$.flow: expected { extract, excluded, labelled, scores }');
  else {
    check.count(f.extract.sets, '$.flow.extract.sets');
    check.count(f.labelled.sets, '$.flow.labelled.sets');
    f.excluded.forEach((x, i) =>
      check.need(isObject(x) && typeof x.reason === 'string', `$.flow.excluded[${i}]`, '{ reason, sets, positive, negative, byGroup }'),
    );
  }
}

/** Table 1's characteristics. */
function checkCharacteristics(check: Problems, report: Json): void {
  const ch = report.characteristics;
  check.need(
    isObject(ch) && Array.isArray(ch.columns) && Array.isArray(ch.encounters) && Array.isArray(ch.sets),
    '$.characteristics',
    '{ columns, encounters, sets }',
  );
}

/** Outcomes per event type. */
function checkOutcomes(check: Problems, report: Json): void {
  check.need(
    Array.isArray(report.outcomes) && report.outcomes.every((o) => isObject(o) && typeof o.outcome === 'string'),
    '$.outcomes',
    'an array of { outcome, events, encounters, positiveSets }',
  );
}

/** The missing-data section. */
function checkMissingData(check: Problems, report: Json): void {
  const m = report.missingData;
  check.need(
    isObject(m) &&
      (m.policy === 'none' || m.policy === 'zero') &&
      typeof m.statement === 'string' &&
      Array.isArray(m.models) &&
      m.models.every((r) => isObject(r) && typeof r.score === 'string'),
    '$.missingData',
    '{ policy, statement, models: [{ score, analysed, withImputed, escalated }], sideBySide }',
  );
}

/** TRIPOD+AI. */
function checkTripod(check: Problems, report: Json): void {
  const t = report.tripod;
  check.need(
    isObject(t) && typeof t.ewskitVersion === 'string' && isObject(t.dataDates) && Array.isArray(t.definitions) && Array.isArray(t.items),
    '$.tripod',
    '{ ewskitVersion, dataDates, definitions, items }',
  );
}

/** The subgroups. */
function checkSubgroups(check: Problems, report: Json): void {
  if (!Array.isArray(report.subgroups)) check.problems.push('$.subgroups: expected an array');
  else {
    report.subgroups.forEach((g, i) => {
      const p = `$.subgroups[${i}]`;
      if (!isObject(g) || typeof g.by !== 'string' || typeof g.reference !== 'string' || !Array.isArray(g.groups))
        return check.problems.push(`${p}: expected { by, reference, groups }`);
      g.groups.forEach((x, j) => {
        if (!isObject(x) || typeof x.group !== 'string' || !isObject(x.scores))
          check.problems.push(`${p}.groups[${j}]: expected { group, patients, eventPatients, positiveSets, scores }`);
        else {
          check.count(x.patients, `${p}.groups[${j}].patients`);
          check.count(x.eventPatients, `${p}.groups[${j}].eventPatients`);
          check.count(x.positiveSets, `${p}.groups[${j}].positiveSets`);
        }
      });
      return undefined;
    });
  }
}

/** Every section's check, in the report's order. */
const SECTION_CHECKS: readonly ((check: Problems, report: Json) => void)[] = [
  checkSettings,
  checkDisclosure,
  checkCohort,
  checkScores,
  checkComparisons,
  checkUnits,
  checkAlerts,
  checkFlow,
  checkCharacteristics,
  checkOutcomes,
  checkMissingData,
  checkTripod,
  checkSubgroups,
];

/**
 * Check a parsed report against the documented schema.
 *
 * @returns every problem found, with its path; empty when the report conforms
 * @example checkReport(JSON.parse(readFileSync('report.json', 'utf8'))); // => []
 */
export function checkReport(report: unknown): string[] {
  if (!isObject(report)) return ['$: expected an object'];
  const check = new Problems();
  check.need(report.schema === REPORT_SCHEMA, '$.schema', `"${REPORT_SCHEMA}"`);
  for (const section of SECTION_CHECKS) section(check, report);
  return check.problems;
}
