// Number texts of the geo replies: printf("%.<n>f") for distances and error messages, and
// Redis's LD_STR_HUMAN long double text ("%.17Lf" without trailing zeros) for coordinates.
// Both are exact roundings of the double's binary value (ties to even, as glibc), which
// toFixed does not guarantee.

import { formatLongDoubleHuman, type LongDouble } from '../keyspace/long-double';

/** The exact binary value of a finite double. */
function exactDouble(value: number): LongDouble {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const negative = high >>> 31 === 1;
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { negative, mantissa, exponent };
}

export function formatHumanDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return formatLongDoubleHuman(exactDouble(value));
}

/** printf("%.<digits>f"), "-0.0000" kept as C prints it. */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const { negative, mantissa, exponent } = exactDouble(value);
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * scale;
  } else {
    const shift = BigInt(-exponent);
    const num = mantissa * scale;
    scaled = num >> shift;
    const twiceRemainder = 2n * (num - (scaled << shift));
    const den = 1n << shift;
    if (twiceRemainder > den || (twiceRemainder === den && (scaled & 1n) === 1n)) scaled++;
  }
  const integerPart = (scaled / scale).toString();
  const text = digits > 0 ? integerPart + '.' + (scaled % scale).toString().padStart(digits, '0') : integerPart;
  return negative ? '-' + text : text;
}
