// Redis's glob matching (stringmatchlen): * ? [abc] [^a] [a-z] and backslash escapes,
// over latin1 strings so it matches byte for byte.

export function globMatch(pattern: string, text: string, nocase = false): boolean {
  return matchFrom(pattern, 0, text, 0, nocase, 0, { skipLongerMatches: false, shortcut: true });
}

/** The same match by plain backtracking (exponential on some patterns): the tests' oracle for the shortcut. */
export function globMatchExhaustive(pattern: string, text: string, nocase = false): boolean {
  return matchFrom(pattern, 0, text, 0, nocase, 0, { skipLongerMatches: false, shortcut: false });
}

/**
 * Set once the rest of a pattern after a '*' matched nowhere in the rest of the string: then no
 * earlier '*' can help by matching more (that would only start the rest later), so every pending
 * '*' gives up at once. Without it `a*a*a*...b` is exponential (Redis 7.0's skipLongerMatches).
 */
interface MatchState {
  skipLongerMatches: boolean;
  readonly shortcut: boolean;
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number, state: MatchState): boolean {
  // Redis caps the recursion of consecutive '*' patterns to avoid pathological backtracking.
  if (depth > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const pc = p[pi];
    switch (pc) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return true;
        for (let k = si; k <= slen; k++) {
          if (matchFrom(p, pi + 1, s, k, nocase, depth + 1, state)) return true;
          if (state.skipLongerMatches) return false;
        }
        if (state.shortcut) state.skipLongerMatches = true;
        return false;
      }
      case '?':
        if (si >= slen) return false;
        si++;
        break;
      case '[': {
        if (si >= slen) return false;
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let matched = false;
        for (;;) {
          if (pi < plen && p[pi] === '\\' && pi + 1 < plen) {
            pi++;
            if (eq(p[pi], s[si], nocase)) matched = true;
          } else if (pi >= plen) {
            pi--;
            break;
          } else if (p[pi] === ']') {
            break;
          } else if (pi + 2 < plen && p[pi + 1] === '-') {
            let start = p.charCodeAt(pi);
            let end = p.charCodeAt(pi + 2);
            let c = s.charCodeAt(si);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            pi += 2;
            if (c >= start && c <= end) matched = true;
          } else if (eq(p[pi], s[si], nocase)) {
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
        if (pc === '\\' && pi + 1 < plen) pi++;
        if (si >= slen || !eq(p[pi], s[si], nocase)) return false;
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

function lower(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}

function eq(a: string, b: string, nocase: boolean): boolean {
  return nocase ? lower(a.charCodeAt(0)) === lower(b.charCodeAt(0)) : a === b;
}
