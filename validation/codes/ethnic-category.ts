/**
 * NHS ethnic category codes (NHS Data Dictionary, 2001 census basis: A–Z) and the groups a study compares. The 2001
 * groups: White (A–C), Mixed (D–G), Asian or Asian British (H–L), Black or Black British (M–P), Other (R Chinese, S
 * any other). The 2021 census moved Chinese into the Asian group: with `census: 2021`, R is Asian. Z (not stated) and
 * anything else is no group (null), never guessed.
 */

/** The 2001-census group of each NHS ethnic category code (the engines' SQL writes the same map). */
export const GROUPS_2001: Readonly<Record<string, string>> = {
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
};

/**
 * The group of an NHS ethnic category code, or null for Z (not stated), a missing value or an unknown code.
 *
 * @example nhsEthnicGroup('H'); // => 'Asian'
 * @example nhsEthnicGroup('R', 2021); // => 'Asian' (Chinese, grouped with Asian from the 2021 census)
 */
export function nhsEthnicGroup(code: unknown, census: 2001 | 2021 = 2001): string | null {
  if (typeof code !== 'string') return null;
  const c = code.trim().toUpperCase();
  if (census === 2021 && c === 'R') return 'Asian';
  return GROUPS_2001[c] ?? null;
}
