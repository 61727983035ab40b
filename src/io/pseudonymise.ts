/**
 * Keyed pseudonyms for patient and encounter keys, so that sites which may not share rows can still agree on who is
 * who: each key becomes HMAC-SHA-256(secret, domain ‖ 0x00 ‖ key as written), its first 128 bits in hex (RFC 2104;
 * FIPS 198-1). The same secret at every site gives the same patient the same pseudonym everywhere — and so the same
 * Poisson bootstrap weights, which hash the patient key — while no one without the secret can recompute a pseudonym
 * from a hospital number. Domains (`patient`, `encounter`, or the column's name) keep a patient's and an encounter's
 * pseudonyms apart even when their keys are equal. Node only (`node:crypto`).
 *
 * What it does not do: it is pseudonymisation, not anonymisation. Dates, ages, postcodes and free text are untouched;
 * anyone holding the secret can link pseudonyms back to keys they already know; a site that loses the secret
 * exposes every site's pseudonyms to a dictionary attack on its key format.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';

/** The least secret accepted: 32 bytes (256 bits), as HMAC-SHA-256 recommends (RFC 2104 §3: at least the output length). */
export const MIN_KEY_BYTES = 32;

/** The domain of a column: `patient` for patient_id, `encounter` for encounter_id, else the column's own name. */
export function domainOf(column: string): string {
  if (column === 'patient_id') return 'patient';
  if (column === 'encounter_id') return 'encounter';
  return column;
}

/**
 * HMAC-SHA-256 of a text's UTF-8 bytes under a secret, as 64 hex digits (RFC 2104 with SHA-256; RFC 4231's test cases).
 *
 * @example hmacSha256Hex(Buffer.alloc(131, 0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First').slice(0, 8); // => '60e43159'
 */
export function hmacSha256Hex(secret: Uint8Array, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

/** A pseudonymiser: the same key (as written) in the same domain gives the same pseudonym. */
export interface Pseudonymiser {
  /** The pseudonym of `key` in `domain`: 32 lower-case hex digits. */
  pseudonym(domain: string, key: string): string;
  /** A fingerprint of the secret (HMAC of a fixed text, 16 hex digits): sites compare it to know they share the secret, without sharing it. */
  readonly fingerprint: string;
}

/**
 * A pseudonymiser from a secret (at least 32 bytes). Memoises each key: an extract's repeated keys cost one HMAC.
 *
 * @throws {RangeError} when the secret is shorter than 32 bytes
 * @example pseudonymiser(Buffer.alloc(32, 7)).pseudonym('patient', 'P0000001').length; // => 32
 */
export function pseudonymiser(secret: Uint8Array): Pseudonymiser {
  if (secret.length < MIN_KEY_BYTES)
    throw new RangeError(`pseudonymiser: the secret holds ${secret.length} bytes; expected at least ${MIN_KEY_BYTES} (256 bits).`);
  const memo = new Map<string, string>();
  const mac = (text: string) => hmacSha256Hex(secret, text);
  return {
    pseudonym(domain, key) {
      const text = `${domain}\u0000${key}`;
      let p = memo.get(text);
      if (p === undefined) {
        p = mac(text).slice(0, 32);
        memo.set(text, p);
      }
      return p;
    },
    fingerprint: mac('ewskit key fingerprint').slice(0, 16),
  };
}

/**
 * The secret of a key file: its bytes, less one trailing line end (so a key typed or copied into a file reads the same).
 *
 * @throws {Error} when the file is missing, is a directory or holds fewer than 32 bytes
 */
export function readKeyFile(path: string): Uint8Array {
  if (!existsSync(path)) throw new Error(`pseudonymise: the key file "${path}" does not exist (make one with: ewskit pseudonymise --make-key FILE).`);
  if (statSync(path).isDirectory()) throw new Error(`pseudonymise: the key file "${path}" is a directory; expected a file.`);
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[bytes.length - 1] === 0x0a) bytes = bytes.subarray(0, bytes[bytes.length - 2] === 0x0d ? bytes.length - 2 : bytes.length - 1);
  if (bytes.length < MIN_KEY_BYTES)
    throw new Error(
      `pseudonymise: the key file "${path}" holds ${bytes.length} bytes; expected at least ${MIN_KEY_BYTES} (256 bits: make one with ewskit pseudonymise --make-key FILE).`,
    );
  return bytes;
}

/** A new secret: 32 random bytes from the operating system, as 64 hex digits and a line end (the one thing ewskit draws unseeded: a key must not be reproducible). */
export function newKeyText(): string {
  return `${randomBytes(MIN_KEY_BYTES).toString('hex')}\n`;
}
