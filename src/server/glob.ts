// Redis's glob matching (stringmatchlen): * ? [abc] [^a] [a-z] and backslash escapes,
// over latin1 strings so it matches byte for byte.
//
// The walk is Redis 7.0's: a '*' tries the rest of the pattern at each later position, and
// once the rest fails at every position the whole match fails at once (no earlier '*' can
// help: a longer match for it would only start the rest later still). Without that cut,
// patterns like a*a*a*…b take time exponential in the number of stars; with it each star
// scans the string at most once, so a match costs O(pattern × text).

/** Redis caps how many '*' levels one match may nest: deeper patterns never match. */
const MAX_NESTING = 1000;

export function globMatch(pattern: string, text: string, nocase = false): boolean {
  const state = { failed: false };
  return matchFrom(pattern, 0, text, 0, nocase, state, 0);
}

function matchFrom(
  p: string,
  pi: number,
  s: string,
  si: number,
  nocase: boolean,
  state: { failed: boolean },
  nesting: number,
): boolean {
  if (nesting > MAX_NESTING) return false;
  const plen = p.length;
  const slen = s.length;
  // Redis loops while both pattern and text remain: a pattern such as '*' never matches ''.
  while (pi < plen && si < slen) {
    switch (p[pi]) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return true;
        for (; si < slen; si++) {
          if (matchFrom(p, pi + 1, s, si, nocase, state, nesting + 1)) return true;
          if (state.failed) return false;
        }
        state.failed = true;
        return false;
      }
      case '?':
        si++;
        break;
      case '[': {
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let matched = false;
        for (;;) {
          if (p[pi] === '\\' && pi + 1 < plen) {
            // An escaped member compares exactly, even in the nocase variant (as Redis does).
            pi++;
            if (p[pi] === s[si]) matched = true;
          } else if (p[pi] === ']') {
            break;
          } else if (pi >= plen) {
            // Unclosed bracket: the members so far decide, and the pattern ends here.
            pi--;
            break;
          } else if (pi + 2 < plen && p[pi + 1] === '-') {
            let start = signedByte(p.charCodeAt(pi));
            let end = signedByte(p.charCodeAt(pi + 2));
            let c = signedByte(s.charCodeAt(si));
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            pi += 2;
            if (c >= start && c <= end) matched = true;
          } else if (eq(p, pi, s, si, nocase)) {
            matched = true;
          }
          pi++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        si++;
        break;
      }
      default:
        // An escaped character is a literal; so is a trailing backslash.
        if (p[pi] === '\\' && pi + 1 < plen) pi++;
        if (!eq(p, pi, s, si, nocase)) return false;
        si++;
        break;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === '*') pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}

/** Redis compares range bounds as (signed) chars: bytes 128–255 sort below ASCII. */
function signedByte(code: number): number {
  return code >= 128 ? code - 256 : code;
}

/** tolower() in the C locale: only A–Z fold. */
function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function eq(p: string, pi: number, s: string, si: number, nocase: boolean): boolean {
  const a = p.charCodeAt(pi);
  const b = s.charCodeAt(si);
  return nocase ? lower(a) === lower(b) : a === b;
}
