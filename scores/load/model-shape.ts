/**
 * Shape checks of a model-based definition in JSON (types of every field), reported with JSON paths.
 */
import type { Json, ShapeChecker } from './shape-checker.js';

/** True when a parsed definition declares itself model-based. */
export function isModelScore(d: Record<string, Json>): boolean {
  return d.kind === 'model';
}

function checkMissing(c: ShapeChecker, m: Json, path: string): void {
  if (m === 'null') return;
  if (m !== null && typeof m === 'object' && !Array.isArray(m) && 'impute' in m) {
    const { impute: v, reason } = m as { impute: Json; reason?: Json };
    const extra = Object.keys(m).filter((k) => k !== 'impute' && k !== 'reason');
    if (((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string') && (reason === undefined || typeof reason === 'string') && extra.length === 0)
      return;
  }
  c.problems.push(`${path}: expected "null" or { "impute": <a normal value>, "reason"?: <why imputing is safe> }`);
}

/** Check the shape of a model-based definition; problems go to the checker. */
export function validateModelShape(c: ShapeChecker, d: Record<string, Json>): void {
  c.known(d, '$', [
    'kind',
    'id',
    'name',
    'version',
    'source',
    'outcome',
    'horizonHours',
    'intercept',
    'terms',
    'zones',
    'illustrative',
    'derivation',
    'notes',
    'allowNonMonotone',
    'escalateTo',
    '$schema',
    'description',
  ]);
  for (const k of ['id', 'name', 'version', 'source', 'outcome'] as const) c.string(d[k], `$.${k}`);
  c.number(d.horizonHours, '$.horizonHours');
  c.number(d.intercept, '$.intercept');
  c.boolean(d.illustrative, '$.illustrative', true);
  if (d.escalateTo !== undefined) c.string(d.escalateTo, '$.escalateTo');
  c.object(d.derivation, '$.derivation', true);
  if (c.array(d.terms, '$.terms')) {
    d.terms.forEach((t, i) => {
      const p = `$.terms[${i}]`;
      if (!c.object(t, p)) return;
      c.string(t.field, `${p}.field`);
      checkMissing(c, t.missing, `${p}.missing`);
      switch (t.type) {
        case 'linear':
          c.known(t, p, ['field', 'type', 'knots', 'slopes', 'missing']);
          if (c.array(t.knots, `${p}.knots`)) t.knots.forEach((k, j) => c.number(k, `${p}.knots[${j}]`));
          if (c.array(t.slopes, `${p}.slopes`)) t.slopes.forEach((s, j) => c.number(s, `${p}.slopes[${j}]`));
          break;
        case 'bands':
          c.known(t, p, ['field', 'type', 'bands', 'missing']);
          if (c.array(t.bands, `${p}.bands`)) {
            t.bands.forEach((b, j) => {
              const bp = `${p}.bands[${j}]`;
              if (!c.object(b, bp)) return;
              c.known(b, bp, ['min', 'max', 'weight']);
              c.number(b.min, `${bp}.min`, true);
              c.number(b.max, `${bp}.max`, true);
              c.number(b.weight, `${bp}.weight`);
            });
          }
          break;
        case 'categories':
          c.known(t, p, ['field', 'type', 'weights', 'missing']);
          if (c.object(t.weights, `${p}.weights`)) for (const [code, w] of Object.entries(t.weights)) c.number(w, `${p}.weights.${code}`);
          break;
        default:
          c.problems.push(`${p}.type: expected "linear", "bands" or "categories"; received ${JSON.stringify(t.type) ?? 'nothing'}`);
      }
    });
  }
  if (c.array(d.zones, '$.zones')) {
    d.zones.forEach((z, i) => {
      const p = `$.zones[${i}]`;
      if (!c.object(z, p)) return;
      c.known(z, p, ['label', 'colour', 'min', 'max', 'action']);
      c.string(z.label, `${p}.label`);
      c.string(z.colour, `${p}.colour`);
      c.number(z.min, `${p}.min`);
      c.number(z.max, `${p}.max`);
      c.string(z.action, `${p}.action`, true);
    });
  }
  if (c.array(d.notes, '$.notes', true)) (d.notes as Json[]).forEach((n, i) => c.string(n, `$.notes[${i}]`));
}
