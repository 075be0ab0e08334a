// Number formatting and parsing with Redis's exact rules, shared by every command group.

/** C's printf("%.17g"): how Redis 7.0 prints doubles (scores, HINCRBYFLOAT results in RESP3...). */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return formatG(value, 17);
}

/** printf("%.<precision>g"). */
export function formatG(value: number, precision: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  // toExponential rounds to the requested digits first, which is how %g picks its exponent.
  const exp = value.toExponential(precision - 1);
  const realExponent = Number(exp.slice(exp.indexOf('e') + 1));
  if (realExponent < -4 || realExponent >= precision) {
    let [mantissa, e] = exp.split('e');
    if (mantissa.includes('.')) mantissa = mantissa.replace(/0+$/, '').replace(/\.$/, '');
    const sign = e[0] === '-' ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  let fixed = value.toFixed(Math.max(0, precision - 1 - realExponent));
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Parses a signed 64-bit integer as Redis's string2ll does (no spaces, no '+', no leading zeros).
 * Returns a number when it is exactly representable, a bigint beyond that, null when invalid.
 */
export function parseInt64(text: string): number | bigint | null {
  const n = text.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (text.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return null;
    i = 1;
  }
  const first = text.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) return Number(text);
  const big = BigInt(text);
  if (big > INT64_MAX || big < INT64_MIN) return null;
  if (big <= MAX_SAFE && big >= -MAX_SAFE) return Number(big);
  return big;
}

/** Like parseInt64 but only accepts values that fit a JS number exactly; enough for counts and indexes. */
export function parseSafeInt(text: string): number | null {
  const value = parseInt64(text);
  if (value === null) return null;
  if (typeof value === 'bigint') return value > 0n ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  return value;
}

/** Redis's strtold-based float parsing for scores and INCRBYFLOAT: accepts inf, rejects spaces and nan. */
export function parseDouble(text: string): number | null {
  if (text.length === 0 || text.length > 5000) return null;
  const c0 = text.charCodeAt(0);
  if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13 || c0 === 11 || c0 === 12) return null;
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) && !/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(text)) return null;
  const value = /x/i.test(text) ? parseHexFloat(text) : Number(text);
  if (Number.isNaN(value)) return null;
  return value;
}

function parseHexFloat(text: string): number {
  const match = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(text);
  if (!match) return NaN;
  const [, sign, intPart, fracPart = '', exp = '0'] = match;
  let value = parseInt(intPart, 16);
  for (let i = 0; i < fracPart.length; i++) value += parseInt(fracPart[i], 16) / 16 ** (i + 1);
  value *= 2 ** Number(exp);
  return sign === '-' ? -value : value;
}
