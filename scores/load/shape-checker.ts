/**
 * The shape checks shared by the two kinds of definition in JSON: each problem is collected with its JSON path, so
 * `loadScore` reports every problem at once.
 */
/** A parsed JSON value, not yet checked. */
export type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Shape checks shared by the two kinds of definition. */
export class ShapeChecker {
  readonly problems: string[] = [];
  string(v: Json, path: string, optional = false): void {
    if (optional && v === undefined) return;
    if (typeof v !== 'string' || v.length === 0) this.problems.push(`${path}: expected a non-empty string; received ${brief(v)}`);
  }
  number(v: Json, path: string, optional = false): void {
    if (optional && v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.problems.push(`${path}: expected a finite number; received ${brief(v)}`);
  }
  boolean(v: Json, path: string, optional = false): void {
    if (optional && v === undefined) return;
    if (typeof v !== 'boolean') this.problems.push(`${path}: expected true or false; received ${brief(v)}`);
  }
  array(v: Json, path: string, optional = false): v is Json[] {
    if (optional && v === undefined) return false;
    if (!Array.isArray(v)) {
      this.problems.push(`${path}: expected an array; received ${brief(v)}`);
      return false;
    }
    return true;
  }
  object(v: Json, path: string, optional = false): v is Record<string, Json> {
    if (optional && v === undefined) return false;
    if (!isObject(v)) {
      this.problems.push(`${path}: expected an object; received ${brief(v)}`);
      return false;
    }
    return true;
  }
  known(v: Record<string, Json>, path: string, keys: readonly string[]): void {
    for (const k of Object.keys(v)) if (!keys.includes(k)) this.problems.push(`${path}.${k}: unknown property (expected one of ${keys.join(', ')})`);
  }
}

/** A short, safe description of a JSON value for a message. */
export function brief(v: Json): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s === undefined ? typeof v : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
