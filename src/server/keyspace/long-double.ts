// The x87 80-bit "long double" that Redis 7.0 on x86-64 Linux uses for HINCRBYFLOAT (and
// INCRBYFLOAT): parsed as glibc's strtold does, added with one correct rounding to a 64-bit
// mantissa, and printed as "%.17Lf" with trailing zeros removed (Redis's LD_STR_HUMAN).
// JS doubles would print 0.1 + 0.2 as 0.30000000000000004 where Redis prints 0.3, so the
// arithmetic is done exactly on BigInts instead.

/** A finite value: (-1)^negative * mantissa * 2^exponent, mantissa < 2^64. */
export interface LongDouble {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
}

/** Returned by parseLongDouble for "inf", "-infinity"... which strtold accepts. */
export const INFINITE = 'infinite' as const;

const MANTISSA_BITS = 64;
const TWO_POW_64 = 1n << 64n;
const TWO_POW_63 = 1n << 63n;
/** Exponent of the least significant bit of the smallest subnormal (2^-16445). */
const MIN_EXPONENT = -16445;
/** The largest finite value is below 2^16384: the top mantissa bit may sit at 2^16383. */
const MAX_TOP_BIT = 16383;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are refused before parsing. */
const MAX_INPUT_LENGTH = 5 * 1024 - 1;
/** Decimal magnitudes beyond these certainly overflow or underflow to zero (both refused). */
const MAX_DECIMAL_MAGNITUDE = 4934;
const MIN_DECIMAL_MAGNITUDE = -4952;

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;
const HEXADECIMAL = /^([+-]?)0[xX](?:([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?|\.([0-9a-fA-F]+))(?:[pP]([+-]?\d+))?$/;
const INFINITY_TEXT = /^[+-]?inf(inity)?$/i;

function bitLength(value: bigint): number {
  return value === 0n ? 0 : value.toString(2).length;
}

const zero = (negative: boolean): LongDouble => ({ negative, mantissa: 0n, exponent: 0 });

/**
 * Rounds num/den (both positive) to the nearest long double, ties to even.
 * Returns null when the result overflows to infinity.
 */
function roundQuotient(negative: boolean, num: bigint, den: bigint): LongDouble | null {
  if (num === 0n) return zero(negative);
  // num/den lies in (2^(k-1), 2^(k+1)) with k = bits(num) - bits(den); scale it to 64 or 65 bits.
  let shift = MANTISSA_BITS - (bitLength(num) - bitLength(den));
  if (-shift < MIN_EXPONENT) shift = -MIN_EXPONENT;
  let scaledNum = shift >= 0 ? num << BigInt(shift) : num;
  let scaledDen = shift >= 0 ? den : den << BigInt(-shift);
  let quotient = scaledNum / scaledDen;
  if (quotient >= TWO_POW_64) {
    shift--;
    scaledNum = shift >= 0 ? num << BigInt(shift) : num;
    scaledDen = shift >= 0 ? den : den << BigInt(-shift);
    quotient = scaledNum / scaledDen;
  }
  const twiceRemainder = 2n * (scaledNum - quotient * scaledDen);
  if (twiceRemainder > scaledDen || (twiceRemainder === scaledDen && (quotient & 1n) === 1n)) quotient++;
  let exponent = -shift;
  if (quotient === TWO_POW_64) {
    quotient = TWO_POW_63;
    exponent++;
  }
  if (quotient !== 0n && exponent + bitLength(quotient) - 1 > MAX_TOP_BIT) return null;
  return { negative, mantissa: quotient, exponent };
}

/** mantissa * 2^exponent as an exact fraction. */
function dyadic(mantissa: bigint, exponent: number): [bigint, bigint] {
  return exponent >= 0 ? [mantissa << BigInt(exponent), 1n] : [mantissa, 1n << BigInt(-exponent)];
}

/**
 * Parses text as Redis's string2ld: strtold over the whole string, no leading space, no NaN,
 * and no result that overflowed or underflowed to zero. Null when refused.
 */
export function parseLongDouble(text: string): LongDouble | typeof INFINITE | null {
  if (text.length === 0 || text.length > MAX_INPUT_LENGTH) return null;
  if (INFINITY_TEXT.test(text)) return INFINITE;
  const decimal = DECIMAL.exec(text);
  if (decimal) return parseDecimal(decimal);
  const hex = HEXADECIMAL.exec(text);
  if (hex) return parseHex(hex);
  return null;
}

function parseDecimal(match: RegExpExecArray): LongDouble | null {
  const negative = match[1] === '-';
  const fraction = match[3] ?? match[4] ?? '';
  let digits = (match[2] ?? '') + fraction;
  let exponent = Number(match[5] ?? '0') - fraction.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return zero(negative);
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  const magnitude = digits.length + exponent;
  if (magnitude > MAX_DECIMAL_MAGNITUDE || magnitude < MIN_DECIMAL_MAGNITUDE) return null;
  const significand = BigInt(digits);
  const result =
    exponent >= 0
      ? roundQuotient(negative, significand * 10n ** BigInt(exponent), 1n)
      : roundQuotient(negative, significand, 10n ** BigInt(-exponent));
  if (result === null || result.mantissa === 0n) return null;
  return result;
}

function parseHex(match: RegExpExecArray): LongDouble | null {
  const negative = match[1] === '-';
  const fraction = match[3] ?? match[4] ?? '';
  const hexDigits = ((match[2] ?? '') + fraction).replace(/^0+/, '');
  if (hexDigits === '') return zero(negative);
  const exponent = Number(match[5] ?? '0') - 4 * fraction.length;
  const significand = BigInt('0x' + hexDigits);
  const topBit = bitLength(significand) + exponent;
  if (topBit > MAX_TOP_BIT + 2) return null;
  if (topBit < MIN_EXPONENT - 2) return null;
  const [num, den] = dyadic(significand, exponent);
  const result = roundQuotient(negative, num, den);
  if (result === null || result.mantissa === 0n) return null;
  return result;
}

/** a + b rounded once; null when the sum overflows to infinity. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.mantissa === 0n && b.mantissa === 0n) return zero(a.negative && b.negative);
  if (a.mantissa === 0n) return b;
  if (b.mantissa === 0n) return a;
  const low = Math.min(a.exponent, b.exponent);
  const aScaled = a.mantissa << BigInt(a.exponent - low);
  const bScaled = b.mantissa << BigInt(b.exponent - low);
  const sum = (a.negative ? -aScaled : aScaled) + (b.negative ? -bScaled : bScaled);
  // An exact zero sum is +0 when rounding to nearest.
  if (sum === 0n) return zero(false);
  const negative = sum < 0n;
  const [num, den] = dyadic(negative ? -sum : sum, low);
  return roundQuotient(negative, num, den);
}

const FRACTION_DIGITS = 17;
const TEN_POW_17 = 10n ** 17n;

/** printf("%.17Lf") without trailing zeros, "-0" printed as "0": Redis's LD_STR_HUMAN. */
export function formatLongDoubleHuman(value: LongDouble): string {
  let scaled: bigint;
  if (value.exponent >= 0) {
    scaled = (value.mantissa << BigInt(value.exponent)) * TEN_POW_17;
  } else {
    const shift = BigInt(-value.exponent);
    const num = value.mantissa * TEN_POW_17;
    scaled = num >> shift;
    const twiceRemainder = 2n * (num - (scaled << shift));
    const den = 1n << shift;
    if (twiceRemainder > den || (twiceRemainder === den && (scaled & 1n) === 1n)) scaled++;
  }
  const integerPart = (scaled / TEN_POW_17).toString();
  const fractionPart = (scaled % TEN_POW_17).toString().padStart(FRACTION_DIGITS, '0').replace(/0+$/, '');
  let text = fractionPart === '' ? integerPart : integerPart + '.' + fractionPart;
  if (value.negative) text = '-' + text;
  return text === '-0' ? '0' : text;
}
