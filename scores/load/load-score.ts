/**
 * Load a user-supplied score definition from JSON, validating it fully before use: its shape (every field's
 * type) and its meaning (bands that overlap or leave gaps in the plausible range, unknown fields and codes, risk
 * rules that leave a total without a band). Every problem is reported with its JSON path, not just the first.
 * A loaded definition is scored by the same compiled kernels as a built-in one.
 */
import { withdrawnReason } from '../definition/withdrawn.js';
import type { BandedScore } from '../definition/definition.js';
import { DefinitionError } from '../definition/errors.js';
import { planScore } from '../plan/compile.js';
import type { ModelScore } from '../definition/model.js';
import { planModel } from '../plan/model-plan.js';
import { isModelScore, validateModelShape } from './model-shape.js';
import type { Json } from './shape-checker.js';
import { brief, ShapeChecker } from './shape-checker.js';

function checkBands(c: ShapeChecker, bands: Json, path: string): void {
  if (!c.array(bands, path)) return;
  bands.forEach((b, i) => {
    const p = `${path}[${i}]`;
    if (!c.object(b, p)) return;
    c.known(b, p, ['min', 'max', 'points']);
    c.number(b.min, `${p}.min`, true);
    c.number(b.max, `${p}.max`, true);
    c.number(b.points, `${p}.points`);
  });
}

function checkParameter(c: ShapeChecker, p: Json, path: string, allowFallback: boolean): void {
  if (!c.object(p, path)) return;
  c.string(p.field, `${path}.field`);
  const hasBands = p.bands !== undefined;
  const hasPoints = p.points !== undefined;
  if (hasBands === hasPoints) c.problems.push(`${path}: expected exactly one of "bands" (numeric input) or "points" (discrete input)`);
  if (hasBands) checkBands(c, p.bands, `${path}.bands`);
  if (hasPoints && c.object(p.points, `${path}.points`)) {
    for (const [code, v] of Object.entries(p.points)) {
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
        c.problems.push(`${path}.points.${code}: expected a number or null; received ${brief(v)}`);
    }
  }
  if (c.array(p.variants, `${path}.variants`, true)) {
    (p.variants as Json[]).forEach((v, i) => {
      const vp = `${path}.variants[${i}]`;
      if (!c.object(v, vp)) return;
      c.known(v, vp, ['when', 'bands']);
      if (c.object(v.when, `${vp}.when`)) for (const [k, code] of Object.entries(v.when)) c.string(code, `${vp}.when.${k}`);
      checkBands(c, v.bands, `${vp}.bands`);
    });
  }
  if (p.fallback !== undefined) {
    if (allowFallback) checkParameter(c, p.fallback, `${path}.fallback`, false);
    else c.problems.push(`${path}.fallback: a fallback has no fallback of its own`);
  }
  c.known(p, path, ['field', 'bands', 'points', 'variants', 'fallback']);
}

function checkBandedShape(c: ShapeChecker, d: Record<string, Json>): void {
  c.known(d, '$', ['kind', 'id', 'name', 'version', 'source', 'parameters', 'redFlag', 'risks', 'rules', 'notes', '$schema', 'description']);
  for (const k of ['id', 'name', 'version', 'source'] as const) c.string(d[k], `$.${k}`);
  if (c.array(d.parameters, '$.parameters')) d.parameters.forEach((p, i) => checkParameter(c, p, `$.parameters[${i}]`, true));
  if (c.object(d.redFlag, '$.redFlag', true)) {
    const r = d.redFlag as Record<string, Json>;
    c.number(r.minPoints, '$.redFlag.minPoints');
    c.string(r.description, '$.redFlag.description', true);
  }
  if (c.array(d.risks, '$.risks')) d.risks.forEach((r, i) => c.string(r, `$.risks[${i}]`));
  if (c.array(d.rules, '$.rules')) {
    d.rules.forEach((r, i) => {
      const p = `$.rules[${i}]`;
      if (!c.object(r, p)) return;
      c.known(r, p, ['risk', 'totalMin', 'totalMax', 'redFlag', 'monitoring', 'action']);
      c.string(r.risk, `${p}.risk`);
      c.number(r.totalMin, `${p}.totalMin`, true);
      c.number(r.totalMax, `${p}.totalMax`, true);
      c.boolean(r.redFlag, `${p}.redFlag`, true);
      c.string(r.monitoring, `${p}.monitoring`);
      c.string(r.action, `${p}.action`);
    });
  }
  if (c.array(d.notes, '$.notes', true)) (d.notes as Json[]).forEach((n, i) => c.string(n, `$.notes[${i}]`));
}

/** The compiler's paths start at the definition's root; make them JSON paths. */
function asJsonPath(problem: string): string {
  return /^\$/.test(problem) ? problem : `$.${problem}`;
}

/**
 * Load and validate a score definition — banded (`"kind": "banded"`) or model-based (`"kind": "model"`).
 * Runs in O(size of the definition + plausible values × parameters).
 *
 * @param json the definition as a JSON string or an already-parsed object
 * @returns the definition, ready for `scoreObservation` and `scoreTable`
 * @throws {DefinitionError} with `problems`: every problem found, each with its JSON path; a withdrawn version (`WITHDRAWN`)
 * @example loadScore('{"kind":"banded","id":"x"}'); // throws DefinitionError listing every missing field
 */
export function loadScore(json: string | Json): BandedScore | ModelScore {
  let d: Json = json;
  if (typeof json === 'string') {
    try {
      d = JSON.parse(json);
    } catch (e) {
      throw new DefinitionError('loadScore', [`$: not valid JSON (${(e as Error).message})`]);
    }
  }
  const c = new ShapeChecker();
  if (!c.object(d, '$')) throw new DefinitionError('loadScore', c.problems);
  const def = d as Record<string, Json>;
  if (def.kind !== 'banded' && def.kind !== 'model') {
    throw new DefinitionError('loadScore', [`$.kind: expected "banded" or "model"; received ${brief(def.kind)}`]);
  }
  if (isModelScore(def)) validateModelShape(c, def);
  else checkBandedShape(c, def);
  if (c.problems.length > 0) throw new DefinitionError('loadScore', c.problems);
  const withdrawn = withdrawnReason(def.id, def.version);
  if (withdrawn !== undefined)
    throw new DefinitionError('loadScore', [`$.version: ${String(def.id)} ${String(def.version)} is withdrawn for clinical safety: ${withdrawn}`]);
  try {
    if (isModelScore(def)) planModel(def as unknown as ModelScore);
    else planScore(def as unknown as BandedScore);
  } catch (e) {
    if (e instanceof DefinitionError) throw new DefinitionError('loadScore', e.problems.map(asJsonPath));
    throw e;
  }
  return def as unknown as BandedScore | ModelScore;
}
