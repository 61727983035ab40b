/**
 * The Arrow columns a banded score adds: total, risk band, red score, completeness, one subscore per parameter, and
 * the missing and flags lists.
 */
import type { Data } from 'apache-arrow';
import { Bool, Dictionary, Field, Int8, Int16, makeData, Utf8, vectorFromArray } from 'apache-arrow';
import type { BandedScore } from '../definition/definition.js';
import { planOf } from '../plan/compile.js';
import type { MissingPolicy } from '../definition/observation.js';
import type { KernelOutput } from './kernel-part.js';
import type { ScoreBatch, ScoreColumns, ScoreDictionaries } from './output-columns.js';
import { bitmapBytes, nullableIntData, stringColumn } from './output-columns.js';
import { bandedOutputColumns } from '../kinds/banded.js';

/** The Arrow fields a banded score adds, and a function building its columns for one batch. */
export function bandedColumns(def: BandedScore, policy: MissingPolicy, dicts: ScoreDictionaries, id: () => number): ScoreColumns {
  const plan = planOf(def);
  const names = bandedOutputColumns(def);
  const totalType = plan.maxTotal > 127 ? new Int16() : new Int8();
  const riskType = new Dictionary(new Utf8(), new Int8(), id());
  const missing = stringColumn(names[names.length - 2] as string, dicts.missing, id);
  const flags = stringColumn(names[names.length - 1] as string, dicts.flags, id);
  const riskVector = vectorFromArray([...def.risks], new Utf8());
  const at = (k: number): string => names[k] as string;
  const fields = [
    new Field(at(0), totalType, true, new Map([['ewskit.missing_policy', policy]])),
    new Field(at(1), riskType, true),
    new Field(at(2), new Bool(), false),
    new Field(at(3), new Bool(), false),
    ...plan.parameters.map((_, j) => new Field(at(4 + j), new Int8(), true)),
    missing.field,
    flags.field,
  ];
  const build = (r: ScoreBatch, n: number): Data[] => {
    const out = r.out as KernelOutput;
    const rows = out.exceptionRows;
    const count = out.exceptions;
    const total = nullableIntData(totalType, out.total, rows, count);
    return [
      total,
      def.rules.length === 0
        ? makeData({ type: riskType, length: n, nullCount: n, nullBitmap: new Uint8Array(bitmapBytes(n)), data: out.risk, dictionary: riskVector } as never)
        : // The rules give a band for every total (compileRules refuses a gap), so the risk is null exactly where the total is.
          makeData({ type: riskType, length: n, nullCount: total.nullCount, nullBitmap: total.nullBitmap, data: out.risk, dictionary: riskVector } as never),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.red }),
      makeData({ type: new Bool(), length: n, nullCount: 0, data: out.complete }),
      ...out.subscores.map((sub) => nullableIntData(new Int8(), sub, rows, count)),
      missing.build(n, rows, r.missingKeys, count),
      flags.build(n, rows, r.flagKeys, count),
    ];
  };
  return { names, fields, build };
}
