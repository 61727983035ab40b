/**
 * EPR measurements — one charted value each (patient, encounter, time, field, value) — from FHIR R4 Observations and
 * from the rows of long extracts (patient, encounter, time, code, value, unit). Codes and units are read by the
 * mapping; every value is converted to the canonical unit or rejected with the reason, never assumed. Browser-safe.
 */
import type { CodeRule, MeasuredField } from './codes.js';
import { convertUnit, LOINC } from './codes.js';
import type { Mapping } from './mapping.js';
import { parseNumber, parseTime } from './mapping.js';

/** One charted value, in canonical units. */
export interface Measurement {
  readonly patient: string | null;
  readonly encounter: string | null;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly field: MeasuredField;
  readonly value: number | string | boolean;
  /** Where it came from (file and line, or resource id), for messages. */
  readonly source: string;
}

/** A record a reader could not use, with where it was and why. */
export interface Rejection {
  readonly source: string;
  readonly reason: string;
}

/**
 * What a reader read, kept and rejected: reasons counted by kind (numbers and quoted values taken out, so like reasons
 * add up), each kind's own first rejection with its place and its reason as written (values and all: this stays on
 * the user's machine, it is never released), and the first 1000 rejections listed with their place.
 */
export interface IngestReport {
  read: number;
  kept: number;
  rejected: number;
  readonly byReason: Record<string, number>;
  /** Per kind of reason (the keys of `byReason`): its first rejection, unredacted. */
  readonly firstOf: Record<string, Rejection>;
  readonly examples: Rejection[];
  /** Every rejection, when the reader was asked to keep them all (`--rejects`); absent otherwise. */
  readonly all?: Rejection[];
}

/** A fresh, empty report; with `keepAll`, every rejection is kept in `all` (for a rejects file), not only the first 1000. */
export function ingestReport(keepAll = false): IngestReport {
  return { read: 0, kept: 0, rejected: 0, byReason: {}, firstOf: {}, examples: [], ...(keepAll ? { all: [] } : {}) };
}

/** The kind of a reason: numbers and quoted values taken out, so like reasons add up ("…" stands for a value). */
export function reasonKind(reason: string): string {
  return reason.replace(/"[^"]*"/g, '"…"').replace(/\b\d+(\.\d+)?\b/g, 'N');
}

/** Count a rejection by the kind of its reason, keeping each kind's first place and reason as written. */
export function reject(report: IngestReport, source: string, reason: string): void {
  report.rejected++;
  const kind = reasonKind(reason);
  report.byReason[kind] = (report.byReason[kind] ?? 0) + 1;
  if (report.firstOf[kind] === undefined) report.firstOf[kind] = { source, reason };
  if (report.examples.length < 1000) report.examples.push({ source, reason });
  report.all?.push({ source, reason });
}

/**
 * Every kind of rejection, most frequent first, as "count × reason as first written (first at place)" — unredacted,
 * for the user's own terminal. Runs in O(kinds · log kinds).
 */
export function rejectionLines(report: IngestReport): string[] {
  return Object.entries(report.byReason)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, n]) => {
      const first = report.firstOf[kind];
      return `${n.toLocaleString('en-GB')} × ${first?.reason ?? kind}${n > 1 ? ' (and like it)' : ''} — first at ${first?.source ?? '?'}`;
    });
}

/** A value as charted: a quantity with its unit, a text, or codes. */
export interface RawValue {
  readonly quantity?: number;
  readonly text?: string;
  readonly codes?: readonly string[];
  readonly unit: string | null;
}

/**
 * Consciousness as charted in words. The RCP's C is *new* confusion: "new confusion" (or "acute confusion") is C;
 * a bare "confused" or "confusion" may be chronic (dementia, delirium already known) and is rejected as
 * `ambiguous:consciousness` unless the mapping maps it — never scored as C by guess.
 */
const CONSCIOUSNESS_WORDS: Readonly<Record<string, string>> = {
  alert: 'A',
  'new confusion': 'C',
  'new-confusion': 'C',
  new_confusion: 'C',
  'acute confusion': 'C',
  voice: 'V',
  pain: 'P',
  unresponsive: 'U',
};
const AMBIGUOUS_CONSCIOUSNESS = new Set(['confused', 'confusion', 'conf', 'disorientated', 'disoriented']);

/** A value written with a comparator (`<70`, `>= 40`): not an exact measurement. */
const COMPARATOR = /^\s*(<=|>=|<|>|≤|≥)\s*[+-]?(\d+([.,]\d*)?|[.,]\d+)\s*$/;

/** The field and canonical value of a charted value under its code's rule, or why it cannot be used. */
export function interpret(
  rule: CodeRule & { readonly unit?: string },
  raw: RawValue,
): { field: MeasuredField; value: number | string | boolean } | { problem: string } {
  switch (rule.kind) {
    case 'panel':
      return { problem: 'a panel has no value of its own' };
    case 'saturation':
      return interpret({ kind: 'quantity', field: 'sao2' }, raw);
    case 'presence':
      return { field: rule.field, value: rule.value };
    case 'oxygen-flow': {
      if (raw.quantity === undefined) return { problem: 'oxygen flow rate: no number' };
      const unit = raw.unit ?? rule.unit ?? null;
      if (unit !== 'L/min' && unit !== 'l/min') return { problem: `oxygen flow rate: unknown unit "${unit ?? ''}" (expected L/min)` };
      return { field: 'on_oxygen', value: raw.quantity > 0 };
    }
    case 'oxygen-fio2': {
      if (raw.quantity === undefined) return { problem: 'inhaled oxygen concentration: no number' };
      const unit = raw.unit ?? rule.unit ?? null;
      if (unit === '%') return { field: 'on_oxygen', value: raw.quantity > 21 };
      if (unit === '1' || unit === '{fraction}') return { field: 'on_oxygen', value: raw.quantity > 0.21 };
      return { problem: `inhaled oxygen concentration: unknown unit "${unit ?? ''}" (expected % or 1)` };
    }
    case 'coded': {
      for (const c of raw.codes ?? []) {
        const v = rule.values[c];
        if (v !== undefined) return { field: rule.field, value: v };
      }
      const text = raw.text ?? (raw.quantity === undefined ? undefined : String(raw.quantity));
      if (text !== undefined) {
        const v = rule.values[text];
        if (v !== undefined) return { field: rule.field, value: v };
        if (rule.field === 'consciousness') {
          const t = text.trim();
          if (/^[ACVPU]$/i.test(t)) return { field: rule.field, value: t.toUpperCase() };
          const said = t.toLowerCase().replace(/\s+/g, ' ');
          const word = CONSCIOUSNESS_WORDS[said];
          if (word !== undefined) return { field: rule.field, value: word };
          if (AMBIGUOUS_CONSCIOUSNESS.has(said))
            return {
              problem: `ambiguous:consciousness: ${JSON.stringify(t)} does not say the confusion is new (the RCP's C); map it in the mapping file if it does`,
            };
        }
      }
      return { problem: `${rule.field}: value ${JSON.stringify(raw.codes?.[0] ?? text ?? null)} is not one the mapping knows` };
    }
    case 'quantity': {
      if (rule.field === 'consciousness') return interpret({ kind: 'coded', field: 'consciousness', values: {} }, raw);
      if (rule.field === 'on_oxygen') {
        const t = String(raw.text ?? raw.quantity ?? '').toLowerCase();
        if (['1', 'true', 'yes', 'y'].includes(t)) return { field: rule.field, value: true };
        if (['0', 'false', 'no', 'n'].includes(t)) return { field: rule.field, value: false };
        return { problem: `on_oxygen: "${t}" is not yes/no, true/false or 1/0` };
      }
      if (raw.quantity === undefined) return { problem: `${rule.field}: no number` };
      if (rule.field === 'spo2_scale') {
        return raw.quantity === 1 || raw.quantity === 2 ? { field: rule.field, value: raw.quantity } : { problem: `spo2_scale: ${raw.quantity} is not 1 or 2` };
      }
      const converted = convertUnit(rule.field, raw.quantity, raw.unit ?? rule.unit ?? null);
      return 'problem' in converted ? converted : { field: rule.field, value: converted.value };
    }
  }
}

const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** Why a value with a comparator is not read: it bounds the measurement, it is not one. */
function comparatorProblem(written: string): string {
  return `value with a comparator (${JSON.stringify(written)}): a bound, not a measurement — not read as the bare number`;
}

const refId = (ref: unknown): string | null => {
  if (typeof ref !== 'object' || ref === null) return null;
  const r = (ref as { reference?: unknown }).reference;
  if (typeof r !== 'string' || r === '') return null;
  const slash = r.lastIndexOf('/');
  return slash < 0 ? r : r.slice(slash + 1);
};

interface Coding {
  readonly system?: string;
  readonly code?: string;
}
interface Quantity {
  readonly value?: number;
  readonly comparator?: string;
  readonly unit?: string;
  readonly code?: string;
}
interface CodeableConcept {
  readonly coding?: readonly Coding[];
  readonly text?: string;
}
interface ObservationLike {
  readonly resourceType?: string;
  readonly id?: string;
  readonly status?: string;
  readonly category?: readonly CodeableConcept[];
  readonly code?: CodeableConcept;
  readonly subject?: unknown;
  readonly encounter?: unknown;
  readonly effectiveDateTime?: string;
  readonly effectiveInstant?: string;
  readonly effectivePeriod?: { readonly start?: string };
  readonly valueQuantity?: Quantity;
  readonly valueCodeableConcept?: CodeableConcept;
  readonly valueString?: string;
  readonly valueBoolean?: boolean;
  readonly valueInteger?: number;
  readonly component?: readonly {
    readonly code?: CodeableConcept;
    readonly valueQuantity?: Quantity;
    readonly valueCodeableConcept?: CodeableConcept;
    readonly valueString?: string;
  }[];
}

/** The rule of the first coding the mapping knows. */
function ruleOf(code: CodeableConcept | undefined, mapping: Mapping): (CodeRule & { unit?: string }) | null {
  for (const c of code?.coding ?? []) {
    if (c.code === undefined) continue;
    const rule = mapping.codes.get(`${c.system ?? ''}|${c.code}`) ?? (c.system === undefined ? mapping.codes.get(c.code) : undefined);
    if (rule !== undefined) return rule;
  }
  return null;
}

function rawOf(v: {
  valueQuantity?: Quantity;
  valueCodeableConcept?: CodeableConcept;
  valueString?: string;
  valueBoolean?: boolean;
  valueInteger?: number;
}): RawValue {
  const q = v.valueQuantity;
  return {
    ...(q?.value !== undefined ? { quantity: q.value } : v.valueInteger !== undefined ? { quantity: v.valueInteger } : {}),
    ...(v.valueString !== undefined ? { text: v.valueString } : v.valueBoolean !== undefined ? { text: String(v.valueBoolean) } : {}),
    ...(v.valueCodeableConcept !== undefined ? { codes: (v.valueCodeableConcept.coding ?? []).flatMap((c) => (c.code === undefined ? [] : [c.code])) } : {}),
    unit: q?.code ?? q?.unit ?? null,
  };
}

/**
 * The measurements of one FHIR R4 Observation: its own value, each component the mapping knows (a blood-pressure
 * panel's systolic and diastolic; the inhaled-oxygen flow or concentration on a pulse-oximetry Observation), or the
 * state its code names (room air, on oxygen). Resources that are not Observations, entered-in-error or cancelled ones,
 * and values with unknown codes or units are rejected with the reason.
 */
export function fromFhirObservation(
  resource: unknown,
  source: string,
  mapping: Mapping,
  report: IngestReport,
  encounters?: ReadonlySet<string>,
): Measurement[] {
  report.read++;
  const o = resource as ObservationLike;
  const where = o?.id === undefined ? source : `${source} (Observation/${o.id})`;
  if (typeof resource !== 'object' || resource === null || o.resourceType !== 'Observation') {
    reject(report, where, `not an Observation (${typeof o?.resourceType === 'string' ? o.resourceType : typeof resource})`);
    return [];
  }
  if (o.status === 'entered-in-error' || o.status === 'cancelled') {
    reject(report, where, `status ${o.status}`);
    return [];
  }
  const stamp = o.effectiveDateTime ?? o.effectiveInstant ?? o.effectivePeriod?.start;
  const time = parseTime(stamp, mapping.time);
  if (typeof time !== 'number') {
    reject(report, where, `effective time: ${time.problem}`);
    return [];
  }
  const patient = refId(o.subject);
  const encounter = refId(o.encounter);
  if (encounters !== undefined && encounter !== null && !encounters.has(encounter)) {
    reject(report, where, unknownEncounter(encounter));
    return [];
  }
  const out: Measurement[] = [];
  const problems: string[] = [];
  const add = (rule: CodeRule & { unit?: string }, raw: RawValue) => {
    const r = interpret(rule, raw);
    if ('problem' in r) problems.push(r.problem);
    else out.push({ patient, encounter, time, field: r.field, value: r.value, source: where });
  };
  // Pulse oximetry is said by the 59408-5 coding or the vital-signs category; 2708-6 alone is arterial (SaO2).
  const oximetry =
    (o.code?.coding ?? []).some((c) => c.system === LOINC && c.code === '59408-5') ||
    (o.category ?? []).some((cat) => (cat.coding ?? []).some((c) => c.system === CATEGORY_SYSTEM && c.code === 'vital-signs'));
  const resolve = (r: CodeRule & { unit?: string }): CodeRule & { unit?: string } =>
    r.kind === 'saturation' && oximetry ? { kind: 'quantity', field: 'spo2' } : r;
  const comparator = (q: Quantity | undefined): string | null => (q?.comparator === undefined ? null : `${q.comparator}${String(q.value ?? '')}`);
  const rule = ruleOf(o.code, mapping);
  if (rule !== null && rule.kind !== 'panel') {
    const cmp = comparator(o.valueQuantity);
    if (cmp !== null) problems.push(comparatorProblem(cmp));
    else add(resolve(rule), rawOf(o));
  }
  for (const c of o.component ?? []) {
    const r = ruleOf(c.code, mapping);
    if (r === null || r.kind === 'panel') continue;
    const cmp = comparator(c.valueQuantity);
    if (cmp !== null) problems.push(comparatorProblem(cmp));
    else add(resolve(r), rawOf(c));
  }
  if (out.length === 0 && problems.length === 0) {
    const codes = (o.code?.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`).join(', ');
    reject(report, where, `no code the mapping knows (${codes || 'no coding'})`);
    return [];
  }
  for (const p of problems) reject(report, where, p);
  if (out.length > 0) report.kept++;
  return out;
}

/** A row of a long extract, with its columns already named canonically. */
export interface LongRow {
  readonly patient?: unknown;
  readonly encounter?: unknown;
  readonly time?: unknown;
  readonly system?: unknown;
  readonly code?: unknown;
  readonly value?: unknown;
  readonly unit?: unknown;
}

const text = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** Why a record of an encounter that the encounters table does not have is rejected. */
export function unknownEncounter(encounter: string): string {
  return `encounter "${encounter}" is not in the encounters table`;
}

/**
 * The measurement of one row of a long extract (patient, encounter, time, code, value, unit), or null when rejected.
 * With `encounters` (the ids of the encounters table), a row of any other encounter is rejected by name.
 */
export function fromLongRow(row: LongRow, source: string, mapping: Mapping, report: IngestReport, encounters?: ReadonlySet<string>): Measurement | null {
  report.read++;
  const encounter = text(row.encounter);
  if (encounters !== undefined && encounter !== null && !encounters.has(encounter)) {
    reject(report, source, unknownEncounter(encounter));
    return null;
  }
  const code = text(row.code);
  if (code === null) {
    reject(report, source, 'no code');
    return null;
  }
  const system = text(row.system);
  const rule = (system === null ? undefined : mapping.codes.get(`${system}|${code}`)) ?? mapping.codes.get(code);
  if (rule === undefined) {
    reject(report, source, `code "${code}" is not one the mapping knows`);
    return null;
  }
  const time = parseTime(row.time, mapping.time);
  if (typeof time !== 'number') {
    reject(report, source, `time: ${time.problem}`);
    return null;
  }
  const valueText = text(row.value);
  if (valueText !== null && COMPARATOR.test(valueText)) {
    reject(report, source, comparatorProblem(valueText.trim()));
    return null;
  }
  const number = valueText === null ? null : parseNumber(row.value, mapping.csv.decimal);
  const numeric = typeof number === 'number';
  // A long row has no category: 2708-6 alone is SaO2 (see the 'saturation' rule); the mapping can say otherwise.
  const quantityField = rule.kind === 'saturation' ? 'sao2' : rule.kind === 'quantity' ? rule.field : null;
  if (quantityField !== null && !['consciousness', 'on_oxygen'].includes(quantityField) && !numeric) {
    reject(report, source, `${quantityField}: ${number === null ? 'no value' : number.problem}`);
    return null;
  }
  const raw: RawValue = {
    ...(numeric ? { quantity: number } : {}),
    ...(valueText !== null ? { text: valueText, codes: [valueText] } : {}),
    unit: text(row.unit),
  };
  const r = interpret(rule, raw);
  if ('problem' in r) {
    reject(report, source, r.problem);
    return null;
  }
  report.kept++;
  return { patient: text(row.patient), encounter, time, field: r.field, value: r.value, source };
}
