/**
 * NHS ethnic category codes (NHS Data Dictionary, 2001 basis) as census groups, and grouping a study by them.
 */
import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { news2 } from '../../../scores/catalogue/news2.js';
import { generateCohort } from '../../../validation/cohort/generate.js';
import { nhsEthnicGroup } from '../../../validation/codes/ethnic-category.js';
import { validate } from '../../../validation/study/validate.js';

describe('nhsEthnicGroup', () => {
  it('maps every code to its 2001 group (A–C White, D–G Mixed, H–L Asian, M–P Black, R–S Other); Z is none', () => {
    const groups = Object.fromEntries('ABCDEFGHJKLMNPRSZ'.split('').map((c) => [c, nhsEthnicGroup(c)]));
    expect(groups).toEqual({
      A: 'White',
      B: 'White',
      C: 'White',
      D: 'Mixed',
      E: 'Mixed',
      F: 'Mixed',
      G: 'Mixed',
      H: 'Asian',
      J: 'Asian',
      K: 'Asian',
      L: 'Asian',
      M: 'Black',
      N: 'Black',
      P: 'Black',
      R: 'Other',
      S: 'Other',
      Z: null,
    });
  });
  it('2021 grouping puts Chinese (R) in Asian; unknown codes and non-strings are no group', () => {
    expect(nhsEthnicGroup('R', 2021)).toBe('Asian');
    expect(nhsEthnicGroup(' h ')).toBe('Asian');
    expect(nhsEthnicGroup('Q')).toBeNull();
    expect(nhsEthnicGroup(7)).toBeNull();
  });
  it('validate groups by the codes of an ethnic_category column (groupBy nhs_ethnic_group)', () => {
    const cohort = generateCohort({ encounters: 600, seed: 12 });
    const ids = Array.from({ length: cohort.patients.numRows }, (_, i) => String(cohort.patients.getChild('patient_id')?.get(i)));
    const codes = ids.map((_, i) => ['A', 'H', 'M', 'Z'][i % 4] as string);
    const patients = tableFromArrays({ patient_id: ids, ethnic_category: codes });
    const report = validate({ cohort: { ...cohort, patients }, scores: [news2], bootstrap: false, disclosure: false, groupBy: ['nhs_ethnic_group'] });
    expect(report.subgroups[0]?.groups.map((g) => g.group)).toEqual(['Asian', 'Black', 'White']);
    expect(Object.keys(report.flow.labelled.byGroup.nhs_ethnic_group ?? {})).toEqual(['Asian', 'Black', 'White', '(missing)']);
  });
});
