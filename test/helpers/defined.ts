/** Test helper: assert a result of the contract is defined, and narrow its type. */
export function defined<T extends { readonly defined: boolean }>(result: T): Extract<T, { readonly defined: true }> {
  if (!result.defined) throw new Error(`expected a defined result; got ${JSON.stringify(result)}`);
  return result as Extract<T, { readonly defined: true }>;
}

/** Test helper: assert a result of the contract is undefined, and narrow its type. */
export function notDefined<T extends { readonly defined: boolean }>(result: T): Extract<T, { readonly defined: false }> {
  if (result.defined) throw new Error(`expected an undefined result; got ${JSON.stringify(result)}`);
  return result as Extract<T, { readonly defined: false }>;
}
