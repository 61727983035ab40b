/**
 * MD5 (RFC 1321) of a string's UTF-8 bytes, in plain TypeScript so it runs in the browser as in Node. Not for
 * security: ewskit uses it only to turn a (pseudonymised) patient key into bits that every SQL engine can compute the
 * same way — PostgreSQL, DuckDB and Spark SQL all have `md5(text)` returning the same hex digest.
 */

const S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16,
  23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];
/** K[i] = floor(2³² · |sin(i + 1)|): RFC 1321 §3.4's table, written out (not computed, so no platform's sine can differ). */
const K = Int32Array.from([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122,
  0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6,
  0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60,
  0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
  0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);

const encoder = new TextEncoder();

/**
 * The four 32-bit words of the MD5 digest of `text` (UTF-8), little-endian as the algorithm produces them.
 * Runs in O(length).
 */
function md5Words(text: string): Int32Array {
  const bytes = encoder.encode(text);
  const n = bytes.length;
  const blocks = ((n + 8) >> 6) + 1;
  const words = new Int32Array(blocks * 16);
  for (let i = 0; i < n; i++) words[i >> 2] = (words[i >> 2] as number) | ((bytes[i] as number) << ((i & 3) * 8));
  words[n >> 2] = (words[n >> 2] as number) | (0x80 << ((n & 3) * 8));
  // The message length in bits, as a 64-bit little-endian number.
  words[blocks * 16 - 2] = (n * 8) | 0;
  words[blocks * 16 - 1] = Math.floor(n / 0x20000000);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let blk = 0; blk < blocks; blk++) {
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const x = (f + a + (K[i] as number) + (words[blk * 16 + g] as number)) | 0;
      a = d;
      d = c;
      c = b;
      const s = S[i] as number;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  return Int32Array.of(a0, b0, c0, d0);
}

/**
 * The MD5 digest of `text` (UTF-8) as 32 lower-case hex digits, as `md5()` in PostgreSQL, DuckDB and Spark SQL gives it.
 *
 * @example md5Hex('abc'); // => '900150983cd24fb0d6963f7d28e17f72'
 */
export function md5Hex(text: string): string {
  let hex = '';
  for (const w of md5Words(text)) for (let k = 0; k < 4; k++) hex += ((w >>> (k * 8)) & 255).toString(16).padStart(2, '0');
  return hex;
}

/**
 * The first two 32-bit words of the digest read as the SQL engines read its hex: digits 1–8 and 9–16 as unsigned
 * big-endian integers (what `('x' || substr(md5(k), 1, 8))::bit(32)::bigint` gives in PostgreSQL).
 *
 * @example md5Prefix('abc'); // => [0x90015098, 0x3cd24fb0]
 */
export function md5Prefix(text: string): [number, number] {
  const w = md5Words(text);
  const bigEndian = (x: number): number => (((x & 255) << 24) | (((x >>> 8) & 255) << 16) | (((x >>> 16) & 255) << 8) | ((x >>> 24) & 255)) >>> 0;
  return [bigEndian(w[0] as number), bigEndian(w[1] as number)];
}
