/**
 * The study design sections of the report, on a cohort small enough to count by hand: the flow of exclusions (every
 * reason, by outcome and by group), Table 1, outcomes per event type, the missing-data policy and its zero-imputed
 * sensitivity analysis, and the TRIPOD+AI section.
 *
 * The cohort (hours after 2025-03-01 00:00 UTC; the outcome is any event within 24 h):
 *   E1 (patient P1, F, age 70; discharged at 100 h): unplanned ICU admission at 50 h, death at 80 h.
 *       Sets at 10 h (negative: 50 > 34), 30 h (positive), 45 h (positive, temperature missing), 49.5 h (positive,
 *       30 min before the event), 60 h (after the first event).
 *   E2 (P2, M, age 50; still in hospital when the extract was taken: no discharge time): sets at 5 h (negative), 10 h
 *       (negative; consciousness "X", an unknown code), 90 h (censored at the extract's end: 90 + 24 > 100 h, the
 *       latest time in the extract — the other encounters' discharge — with no event).
 *   (In-hospital follow-up: a set whose horizon passes a discharge alive is a negative, never censored; only the
 *   extract's end censors, for an encounter still open there.)
 *   E3 (P3, F, age 60): one set without a time.
 *   E4 (no patient id; discharged at 100 h): one set at 5 h (negative).
 */
import { Bool, Float64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { mews } from '../../../scores/catalogue/mews.js';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { canonicalJson, EWSKIT_VERSION, sha256 } from '../../../validation/report/provenance.js';
import { checkReport } from '../../../validation/report/schema.js';
import { renderMarkdown } from '../../../validation/report/markdown.js';
import type { CategoryCell, Cell, ContinuousCell, FlowCounts, Quartiles, ValidationReport } from '../../../validation/report/types.js';
import { quantileFromCounts } from '../../../validation/study/characteristics.js';
import { isSuppressed } from '../../../validation/disclosure/disclosure.js';
import { validate } from '../../../validation/study/validate.js';
import type { ValidateOptions } from '../../../validation/study/validate.js';
import { readFileSync } from 'node:fs';
import { median } from 'simple-statistics';
import { quantile7 } from '../../../validation/stats/sorted.js';

const START = Date.UTC(2025, 2, 1);
const h = (hours: number): number => START + hours * 3_600_000;

/** Normal vitals (NEWS2 0), with overrides. */
const set = (patient: string | null, encounter: string, at: number | null, over: Record<string, unknown> = {}) => ({
  patient_id: patient,
  encounter_id: encounter,
  observed_at: at,
  respiratory_rate: 16,
  spo2: 97,
  on_oxygen: false,
  systolic_bp: 125,
  heart_rate: 75,
  consciousness: 'A',
  temperature: 37,
  ...over,
});

const rows = [
  set('P1', 'E1', h(10)),
  set('P1', 'E1', h(30)),
  set('P1', 'E1', h(45), { temperature: null }),
  set('P1', 'E1', h(49.5)),
  set('P1', 'E1', h(60)),
  set('P2', 'E2', h(5)),
  set('P2', 'E2', h(10), { consciousness: 'X' }),
  set('P2', 'E2', h(90)),
  set('P3', 'E3', null),
  set(null, 'E4', h(5)),
];

const column = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
const observations = new Table({
  patient_id: vectorFromArray(column('patient_id'), new Utf8()),
  encounter_id: vectorFromArray(column('encounter_id'), new Utf8()),
  observed_at: vectorFromArray(column('observed_at'), new Float64()),
  respiratory_rate: vectorFromArray(column('respiratory_rate'), new Float64()),
  spo2: vectorFromArray(column('spo2'), new Float64()),
  on_oxygen: vectorFromArray(column('on_oxygen'), new Bool()),
  systolic_bp: vectorFromArray(column('systolic_bp'), new Float64()),
  heart_rate: vectorFromArray(column('heart_rate'), new Float64()),
  consciousness: vectorFromArray(column('consciousness') as string[], new Utf8()),
  temperature: vectorFromArray(column('temperature') as (number | null)[], new Float64()),
});
const events = new Table({
  encounter_id: vectorFromArray(['E1', 'E1'], new Utf8()),
  event_at: vectorFromArray([h(50), h(80)], new Float64()),
  event_type: vectorFromArray(['unplanned_icu', 'death'], new Utf8()),
});
const patients = new Table({ patient_id: vectorFromArray(['P1', 'P2', 'P3'], new Utf8()), sex: vectorFromArray(['F', 'M', 'F'], new Utf8()) });
const encounters = new Table({
  encounter_id: vectorFromArray(['E1', 'E2', 'E3', 'E4'], new Utf8()),
  discharged_at: vectorFromArray([h(100), null, h(100), h(100)], new Float64()),
  age: vectorFromArray([70, 50, 60, 80], new Float64()),
  admission_type: vectorFromArray(['emergency', 'elective', 'emergency', 'emergency'], new Utf8()),
});

const base: ValidateOptions = {
  cohort: { observations, events, patients, encounters },
  scores: [news2],
  bootstrap: false,
  disclosure: false,
  groupBy: ['sex'],
  maxUnmatchedEvents: 0,
};

/** A released count (disclosure is off here). */
const n = (v: Cell<number> | null | undefined): number | null => (v === null || v === undefined ? null : isSuppressed(v) ? Number.NaN : v);
const counts = (c: FlowCounts | undefined) => ({
  sets: n(c?.sets),
  positive: n(c?.positive),
  negative: n(c?.negative),
  bySex: Object.fromEntries(Object.entries(c?.byGroup.sex ?? {}).map(([g, v]) => [g, n(v)])),
});

describe('flow: from the extract to the analysed sets, every exclusion by reason', () => {
  const report = validate(base);
  const f = report.flow;

  it('counts the extract: distinct patients and encounters, every set', () => {
    expect({ patients: n(f.extract.patients), encounters: n(f.extract.encounters), sets: n(f.extract.sets) }).toEqual({ patients: 3, encounters: 4, sets: 10 });
  });

  it("the study's exclusions, in order, with outcomes where known and groups (E4's set has no patient: '(missing)')", () => {
    expect(f.excluded.map((x) => ({ reason: x.reason, ...counts(x) }))).toEqual([
      { reason: 'no encounter or time', sets: 1, positive: null, negative: null, bySex: { F: 1, M: 0, '(missing)': 0 } },
      { reason: 'at or after the event', sets: 1, positive: null, negative: null, bySex: { F: 1, M: 0, '(missing)': 0 } },
      { reason: 'censored at the extract end', sets: 1, positive: null, negative: null, bySex: { F: 0, M: 1, '(missing)': 0 } },
      { reason: 'no patient id', sets: 1, positive: 0, negative: 1, bySex: { F: 0, M: 0, '(missing)': 1 } },
    ]);
  });

  it('the labelled sets: 10 − 4 = 6, of which 3 positive (30 h, 45 h, 49.5 h)', () => {
    expect(counts(f.labelled)).toEqual({ sets: 6, positive: 3, negative: 3, bySex: { F: 4, M: 2, '(missing)': 0 } });
  });

  it('per score: the sets it cannot score by reason (missing which input; flagged which value, why), then its analysed sets', () => {
    const s = f.scores[0];
    expect(s?.id).toBe('news2');
    expect(s?.excluded.map((x) => ({ reason: x.reason, ...counts(x) }))).toEqual([
      // By reason overall and by outcome; not by group (the groups' exclusions are their labelled less analysed sets).
      { reason: 'flagged value: consciousness (unknown_code)', sets: 1, positive: 0, negative: 1, bySex: {} },
      { reason: 'missing temperature', sets: 1, positive: 1, negative: 0, bySex: {} },
    ]);
    expect(counts(s?.analysed)).toEqual({ sets: 4, positive: 2, negative: 2, bySex: { F: 3, M: 1, '(missing)': 0 } });
    // Labelled by sex: F 4 (the 3 analysed and the set missing its temperature), M 2 (1 analysed, 1 flagged).
    expect(counts(f.labelled).bySex).toEqual({ F: 4, M: 2, '(missing)': 0 });
    expect(report.scores[0]?.sets.analysed).toBe(4);
  });

  it('sets shortly before the event are a step of their own (all positive)', () => {
    const r = validate({ ...base, outcome: { excludeBeforeEventMinutes: 60 } });
    const step = r.flow.excluded.find((x) => x.reason === 'shortly before the event');
    expect(counts(step)).toEqual({ sets: 1, positive: 1, negative: 0, bySex: { F: 1, M: 0, '(missing)': 0 } });
    expect(counts(r.flow.labelled).sets).toBe(5);
  });

  it('with censored sets counted negative there is no censored step', () => {
    const r = validate({ ...base, outcome: { censored: 'negative' } });
    expect(r.flow.excluded.map((x) => x.reason)).not.toContain('censored at the extract end');
    expect(counts(r.flow.labelled)).toMatchObject({ sets: 7, positive: 3, negative: 4 });
  });

  it('is in the Markdown, step by step', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Flow of observation sets');
    expect(md).toMatch(/\| Excluded: censored at the extract end \| 1 \| — \| — \| 0 \| 1 \| 0 \|/);
    expect(md).toMatch(/\| NEWS2 cannot score: missing temperature \| 1 \| 1 \| 0 \|/);
  });
});

describe('flow on a synthetic cohort: each step adds up to the one before', () => {
  const cohort = generateCohort({ profile: 'uk-leicester', encounters: 600, seed: 61 });
  const report = validate({
    cohort,
    scores: [news2, mews],
    bootstrap: false,
    disclosure: false,
    groupBy: ['ethnicity'],
    outcome: { excludeBeforeEventMinutes: 30 },
  });
  const f = report.flow;
  const sum = (list: readonly FlowCounts[]) => list.reduce((t, c) => t + (n(c.sets) ?? 0), 0);

  it('extract = study exclusions + labelled; labelled = score exclusions + analysed, for each score', () => {
    expect(sum(f.excluded) + (n(f.labelled.sets) ?? 0)).toBe(n(f.extract.sets));
    for (const s of f.scores) expect(sum(s.excluded) + (n(s.analysed.sets) ?? 0)).toBe(n(f.labelled.sets));
  });
  it('positive + negative = sets wherever the outcome is known; groups add up to the sets', () => {
    for (const c of [...f.excluded, f.labelled, ...f.scores.flatMap((s) => [...s.excluded, s.analysed])]) {
      if (c.positive !== null) expect((n(c.positive) ?? 0) + (n(c.negative) ?? 0)).toBe(n(c.sets));
      if (c.byGroup.ethnicity !== undefined) expect(Object.values(c.byGroup.ethnicity).reduce((t: number, v) => t + (n(v) ?? 0), 0)).toBe(n(c.sets));
    }
    // A score's exclusions are counted by group only in total: the labelled sets less the analysed, group by group.
    for (const s of f.scores) {
      expect(s.excluded.every((x) => Object.keys(x.byGroup).length === 0)).toBe(true);
      const excluded = s.excluded.reduce((t, x) => t + (n(x.sets) ?? 0), 0);
      const byGroup = Object.keys(f.labelled.byGroup.ethnicity ?? {}).reduce(
        (t, g) => t + (n(f.labelled.byGroup.ethnicity?.[g] ?? null) ?? 0) - (n(s.analysed.byGroup.ethnicity?.[g] ?? null) ?? 0),
        0,
      );
      expect(byGroup).toBe(excluded);
    }
  });
  it("each score's analysed sets are its section's, and agree with Table 1's counts", () => {
    f.scores.forEach((s, i) => expect(n(s.analysed.sets)).toBe(n(report.scores[i]?.sets.analysed ?? null)));
    expect(n(f.labelled.sets)).toBe(n(report.cohort.analysedSets));
    // Table 1's censored sets are the flow's censoring steps (at discharge: none here, in-hospital follow-up).
    const censored = f.excluded.filter((x) => x.reason.startsWith('censored')).reduce((t, x) => t + (n(x.sets) ?? 0), 0);
    expect(censored).toBe(n(report.cohort.censored));
  });
  it('the same disclosure rules as every count: a small step is suppressed', () => {
    const guarded = validate({ cohort, scores: [news2, mews], bootstrap: false, groupBy: ['ethnicity'] });
    const cells = [...guarded.flow.excluded, ...guarded.flow.scores.flatMap((s) => s.excluded)].flatMap((c) => [
      c.sets,
      ...Object.values(c.byGroup.ethnicity ?? {}),
    ]);
    expect(cells.some((c) => isSuppressed(c))).toBe(true);
    for (const c of cells) if (!isSuppressed(c)) expect(c === 0 || c >= 10).toBe(true);
  });
});

describe('Table 1: characteristics overall, by outcome and by group', () => {
  const report = validate(base);
  const t = report.characteristics;
  const row = (rows: typeof t.encounters, variable: string, level: string | null = null) => rows.find((r) => r.variable === variable && r.level === level);
  const cont = (c: Cell<CategoryCell | ContinuousCell> | undefined) => c as ContinuousCell;

  it('columns: overall, event, no event, then each group', () => {
    expect(t.columns).toEqual(['Overall', 'Event', 'No event', 'sex: F', 'sex: M']);
  });
  it('age of the analysed encounters (E1 70, with an event; E2 50): median 60, type-7 quartiles 55 and 65', () => {
    const age = row(t.encounters, 'age');
    expect(cont(age?.cells[0])).toEqual({ quartiles: { median: 60, q1: 55, q3: 65 }, missing: 0 });
    expect(cont(age?.cells[1])).toMatchObject({ quartiles: { median: 70, q1: 70 } });
    expect(cont(age?.cells[2])).toMatchObject({ quartiles: { median: 50, q3: 50 } });
    expect(cont(age?.cells[4])).toMatchObject({ quartiles: { median: 50 } }); // sex M: E2
  });
  it('categorical rows: admission type from the encounters table, sex from the patients table', () => {
    expect(row(t.encounters, 'admission_type', 'elective')?.cells.slice(0, 3)).toEqual([
      { n: 1, share: 0.5 },
      { n: 0, share: 0 },
      { n: 1, share: 1 },
    ]);
    expect(row(t.encounters, 'sex', 'F')?.cells[0]).toEqual({ n: 1, share: 0.5 });
  });
  it('score inputs over the 6 labelled sets, with missingness: temperature missing in 1 of 6', () => {
    const temp = cont(row(t.sets, 'temperature')?.cells[0]);
    expect(temp).toEqual({ quartiles: { median: 37, q1: 37, q3: 37 }, missing: 1 / 6 }); // 5 of 6 recorded, all 37
    expect(row(t.sets, 'consciousness', 'X')?.cells[0]).toEqual({ n: 1, share: 1 / 6 });
    expect(row(t.sets, 'consciousness', 'A')?.cells[1]).toEqual({ n: 3, share: 1 }); // the 3 positive sets
  });
  it('is in the Markdown', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('## Characteristics of the analysed encounters');
    expect(md).toContain('| age, median [IQR] | 60 [55–65] | 70 [70–70] | 50 [50–50] |');
    expect(md).toContain('## Score inputs over the analysed sets');
  });
});

describe('quantileFromCounts: type-7 quantiles from counts per distinct value', () => {
  it('matches a hand calculation: 1 1 2 4', () => {
    // h = (n − 1)p: p = 0.25 → h = 0.75, between 1 and 1 → 1; p = 0.5 → 1.5 → 1 + 0.5 · (2 − 1); p = 0.75 → 2.25 → 2 + 0.25 · (4 − 2).
    expect(quantileFromCounts([1, 2, 4], [2, 1, 1], 0.25)).toBe(1);
    expect(quantileFromCounts([1, 2, 4], [2, 1, 1], 0.5)).toBe(1.5);
    expect(quantileFromCounts([1, 2, 4], [2, 1, 1], 0.75)).toBe(2.5);
    expect(quantileFromCounts([1, 2], [0, 0], 0.5)).toBeNaN();
  });
  it("agrees with simple-statistics' median and R's type-7 quartiles on a synthetic cohort's ages (Table 1, overall)", () => {
    const cohort = generateCohort({ encounters: 300, seed: 62 });
    // Censored sets counted negative: every encounter has a labelled set, so Table 1 describes all of them.
    const report = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false, outcome: { censored: 'negative' } });
    const ages = Array.from({ length: cohort.encounters.numRows }, (_, i) => Number(cohort.encounters.getChild('age')?.get(i)));
    const cell = report.characteristics.encounters.find((r) => r.variable === 'age')?.cells[0] as ContinuousCell;
    expect(cell.missing).toBe(0); // every encounter's age is recorded
    const q = cell.quartiles as Quartiles;
    expect(q.median).toBe(median(ages));
    const sorted = [...ages].sort((a, b) => a - b);
    expect(q.q1).toBe(quantile7(sorted, 0.25)); // checked against R's quantile(type = 7) in test/validation/stats
    expect(q.q3).toBe(quantile7(sorted, 0.75));
  });
});

describe('outcomes per event type, every event recorded', () => {
  const report = validate(base);
  it('ICU admission (first) and death (after it): events, encounters, positive sets were each the outcome', () => {
    expect(report.outcomes.map((o) => ({ outcome: o.outcome, events: n(o.events), encounters: n(o.encounters), positiveSets: n(o.positiveSets) }))).toEqual([
      // Death at 80 h: only the 60 h set is within 24 h before it (sets up to 49.5 h are more than 24 h before).
      { outcome: 'death', events: 1, encounters: 1, positiveSets: 1 },
      { outcome: 'unplanned_icu', events: 1, encounters: 1, positiveSets: 3 },
      { outcome: 'composite: death, unplanned_icu', events: 2, encounters: 1, positiveSets: 3 },
    ]);
  });
  it('a death after an ICU admission is an outcome of its own (event types: death)', () => {
    const r = validate({ ...base, outcome: { eventTypes: ['death'] } });
    expect(counts(r.flow.labelled)).toMatchObject({ positive: 1 });
    expect(r.outcomes.map((o) => o.outcome)).toEqual(['death', 'unplanned_icu']);
  });
});

describe('missing data: the policy stated, zero-imputation a labelled sensitivity analysis', () => {
  it('complete-case by default, stated', () => {
    const r = validate(base);
    expect(r.missingData.policy).toBe('none');
    expect(r.missingData.statement).toMatch(/^Complete-case/);
    expect(r.missingData.sideBySide).toBeNull();
  });
  it("missing: 'zero' scores the set missing a temperature (5 sets), not the flagged one, and warns", () => {
    const r = validate({ ...base, missing: 'zero' });
    expect(r.missingData.policy).toBe('zero');
    expect(r.scores[0]?.sets.analysed).toBe(5);
    expect(r.flow.scores[0]?.excluded.map((x) => x.reason)).toEqual(['flagged value: consciousness (unknown_code)']);
    expect(r.settings.warnings.join(' ')).toMatch(/scored 0/);
  });
  it("missing: 'both' keeps complete-case as the primary analysis and shows both side by side", () => {
    const cohort = generateCohort({ encounters: 800, seed: 63 });
    const r = validate({ cohort, scores: [news2], bootstrap: false, disclosure: false, missing: 'both' });
    const side = r.missingData.sideBySide;
    const cc = side?.completeCase.scores.news2;
    const zero = side?.zeroImputed.scores.news2;
    if (cc === undefined || zero === undefined || isSuppressed(cc) || isSuppressed(zero)) throw new Error('expected both cells');
    expect(cc.sets).toBe(r.scores[0]?.sets.analysed);
    // Zero-imputation scores every labelled set with only missing inputs: here every set NEWS2 could not score.
    expect(zero.sets).toBe(n(r.flow.labelled.sets));
    expect(zero.sets).toBeGreaterThan(cc.sets);
    expect(r.missingData.policy).toBe('none');
    expect(renderMarkdown(r)).toMatch(/\| zero-imputed \(missing inputs scored 0; sensitivity analysis\) \|/);
  });
  it('rejects an unknown policy, naming the option', () => {
    expect(() => validate({ ...base, missing: 'mean' as never })).toThrow(
      /validate: option "missing" expected 'none', 'zero' or 'both'; received string "mean"/,
    );
  });
});

describe('TRIPOD+AI: provenance, data dates and the checklist map', () => {
  const report: ValidationReport = validate(base);
  it('data dates are the first and last set (UTC days), and where follow-up ends', () => {
    // The last set is E2's at 90 h (4 March, 18:00); the extract's end is inferred as 100 h after 1 March 00:00 UTC,
    // 5 March 04:00, the encounters' discharge — the latest time in the extract.
    expect(report.tripod.dataDates).toEqual({
      firstSet: '2025-03-01',
      lastSet: '2025-03-04',
      followUpEnds:
        "at discharge (an in-hospital outcome: discharge alive within the horizon is no event, a negative), or at the extract's end (2025-03-05T04:00:00.000Z, inferred: the latest time in the extract) for an encounter still open",
    });
    expect(report.settings.outcome.followUp).toBe('in-hospital');
    expect(report.settings.outcome.censoring).toMatchObject({ extractEnd: '2025-03-05T04:00:00.000Z', inferred: true });
    // E2 has no discharge time: counted in Table 1, and the inferred end is a warning.
    expect(report.cohort.openEncounters).toBe(1);
    expect(report.settings.warnings.join(' ')).toMatch(
      /encounters without a discharge time \(counted in Table 1\) are followed to the extract's end, inferred/,
    );
  });
  it('the ewskit version is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(report.tripod.ewskitVersion).toBe(pkg.version);
    expect(EWSKIT_VERSION).toBe(pkg.version);
  });
  it("each definition's version and the SHA-256 of its canonical JSON", () => {
    expect(report.tripod.definitions).toEqual([{ id: 'news2', name: 'NEWS2', version: news2.version, sha256: sha256(canonicalJson(news2)) }]);
  });
  it('maps the TRIPOD+AI topics the data can answer', () => {
    const topics = report.tripod.items.map((i) => i.topic);
    for (const t of ['Data sources', 'Data dates', 'Eligibility', 'Outcome', 'Missing data', 'Fairness', 'Participants', 'Model performance'])
      expect(topics).toContain(t);
    expect(renderMarkdown(report)).toContain('## TRIPOD+AI');
  });
  it('the report conforms to its schema, and a report without the new sections does not', () => {
    expect(checkReport(JSON.parse(JSON.stringify(report)))).toEqual([]);
    const { flow: _f, tripod: _t, ...rest } = report;
    expect(checkReport(JSON.parse(JSON.stringify(rest)))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\$\.flow/), expect.stringMatching(/^\$\.tripod/)]),
    );
  });
});

describe('sha256 and canonicalJson', () => {
  it('NIST FIPS 180-4 test vectors: "", "abc" and the two-block message', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('hashes UTF-8 bytes ("é" is c3 a9)', () => {
    // Node's own SHA-256 of the same bytes, as an independent reference.
    return import('node:crypto').then(({ createHash }) => expect(sha256('SpO₂ é')).toBe(createHash('sha256').update('SpO₂ é', 'utf8').digest('hex')));
  });
  it('the same definition gives the same text whatever its key order', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
