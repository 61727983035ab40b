/**
 * Reading a cohort column at the analysed rows. A sliced Arrow column (a table cut and re-joined — an extract whose
 * rows come in another order, a reader's batches) keeps its parent's validity bitmap with an offset, while its values
 * already start at its first row: reading values at offset + row double-counted the offset (the Table 1 and missing-data
 * counts of a re-ordered extract were wrong, caught by a disclosure relation). Expected values come from Arrow's own
 * `get`.
 */
import { Float64, Int32, Table, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { numbersAt, valuesAt } from '../../../validation/study/attributes.js';

describe('valuesAt and numbersAt on sliced, re-joined tables', () => {
  const x = [1.5, null, 3, 4, null, 6, 7, 8, 9, null, 11, 12];
  const whole = new Table({
    x: vectorFromArray(x, new Float64()),
    n: vectorFromArray(
      x.map((v) => (v === null ? null : Math.round(v))),
      new Int32(),
    ),
  });

  it('reads every row as Arrow’s get does, whatever the cut', () => {
    for (let cut = 1; cut < x.length; cut++) {
      const t = whole.slice(cut).concat(whole.slice(0, cut));
      const rows = Array.from({ length: t.numRows }, (_, i) => i);
      const expected = rows.map((i) => t.getChild('x')?.get(i) as number | null);
      expect(valuesAt(t, 'x', rows), `cut ${cut}`).toEqual(expected);
      expect(Array.from(numbersAt(t, 'x', rows) ?? []), `cut ${cut}`).toEqual(expected.map((v) => (v === null ? Number.NaN : v)));
      expect(valuesAt(t, 'n', rows), `cut ${cut}`).toEqual(rows.map((i) => t.getChild('n')?.get(i) as number | null));
    }
  });
});
