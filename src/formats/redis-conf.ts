// redis.conf's text codec, shared by rctl's launcher and the bundled node: quoting an argument so
// it reads back byte for byte (Redis's sdscatrepr), splitting a line into arguments (Redis's
// sdssplitargs: "double quotes" with \n \r \t \b \a \xHH escapes, 'single quotes' with \' only),
// and reading a config text into its directive lines. The node's inline requests (`redis-cli
// --pipe` of `SET key value` lines) split by the same rule, over bytes instead of characters.
//
// Inline request arguments become stored keys and values, so they must come out as flat strings of
// their own: building them a character at a time (`s += ch`) gives V8 ropes, a 32-byte cons node
// per character past the 12th, so a 16-byte value took about five times its flat size and a
// million of them doubled the node's memory. An argument is therefore cut from the source in one
// piece when it has no quotes, and otherwise assembled from its character codes into one flat string.

/** What the splitter reads: the bytes of a request line, or the characters of a config line. */
export interface SplitSource {
  readonly length: number;
  code(index: number): number;
  /** A flat string of its own for [start, end): never a view that keeps the source alive. */
  text(start: number, end: number): string;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const VT = 0x0b;
const FF = 0x0c;
const CR = 0x0d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;

/** Whitespace for skipping between arguments: C's isspace(). */
function isSpace(code: number): boolean {
  return code === SPACE || code === LF || code === CR || code === TAB || code === VT || code === FF;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Escapes of double-quoted arguments; anything else stands for itself. */
function unescaped(code: number): number {
  switch (code) {
    case 0x6e /* n */:
      return LF;
    case 0x72 /* r */:
      return CR;
    case 0x74 /* t */:
      return TAB;
    case 0x62 /* b */:
      return 0x08;
    case 0x61 /* a */:
      return 0x07;
    default:
      return code;
  }
}

/** String.fromCharCode over many codes, in slices that stay below engines' argument limits. */
function fromCodes(codes: number[]): string {
  const SLICE = 8192;
  if (codes.length <= SLICE) return String.fromCharCode.apply(null, codes);
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i += SLICE) parts.push(String.fromCharCode.apply(null, codes.slice(i, i + SLICE)));
  // join() of many parts returns one flat string, not a rope.
  return parts.join('');
}

/**
 * Splits a source into arguments by sdssplitargs's rule. Returns null on unbalanced quotes or a
 * closing quote not followed by a space.
 */
export function splitArgs(source: SplitSource): string[] | null {
  const args: string[] = [];
  const n = source.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(source.code(i))) i++;
    if (i >= n) return args;
    // An unquoted argument (the common case) is one piece of the source.
    const start = i;
    while (i < n) {
      const code = source.code(i);
      if (code === SPACE || code === LF || code === CR || code === TAB || code === DOUBLE_QUOTE || code === SINGLE_QUOTE) break;
      i++;
    }
    if (i >= n || (source.code(i) !== DOUBLE_QUOTE && source.code(i) !== SINGLE_QUOTE)) {
      args.push(source.text(start, i));
      continue;
    }
    // It has quotes: collect its characters from the start.
    const codes: number[] = [];
    for (let j = start; j < i; j++) codes.push(source.code(j));
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      if (inDouble) {
        if (i >= n) return null;
        const code = source.code(i);
        if (code === BACKSLASH && i + 3 < n && source.code(i + 1) === 0x78 /* x */ && hexValue(source.code(i + 2)) >= 0 && hexValue(source.code(i + 3)) >= 0) {
          codes.push(hexValue(source.code(i + 2)) * 16 + hexValue(source.code(i + 3)));
          i += 3;
        } else if (code === BACKSLASH && i + 1 < n) {
          i++;
          codes.push(unescaped(source.code(i)));
        } else if (code === DOUBLE_QUOTE) {
          if (i + 1 < n && !isSpace(source.code(i + 1))) return null;
          done = true;
        } else {
          codes.push(code);
        }
      } else if (inSingle) {
        if (i >= n) return null;
        const code = source.code(i);
        if (code === BACKSLASH && i + 1 < n && source.code(i + 1) === SINGLE_QUOTE) {
          i++;
          codes.push(SINGLE_QUOTE);
        } else if (code === SINGLE_QUOTE) {
          if (i + 1 < n && !isSpace(source.code(i + 1))) return null;
          done = true;
        } else {
          codes.push(code);
        }
      } else {
        if (i >= n) break;
        const code = source.code(i);
        // Unlike the skip between arguments, an unquoted argument ends only at these (no \v, \f).
        if (code === SPACE || code === LF || code === CR || code === TAB) done = true;
        else if (code === DOUBLE_QUOTE) inDouble = true;
        else if (code === SINGLE_QUOTE) inSingle = true;
        else codes.push(code);
      }
      i++;
    }
    args.push(fromCodes(codes));
  }
}

/**
 * Splits a config line (or any text, one argument character per character) into arguments.
 * Returns null on unbalanced quotes or a closing quote not followed by a space.
 */
export function splitConfigArgs(line: string): string[] | null {
  return splitArgs({
    length: line.length,
    code: (index) => line.charCodeAt(index),
    // Config values are few and small: a slice that shares the line costs nothing here.
    text: (start, end) => line.slice(start, end),
  });
}

/** One directive line of a config text: its 1-based number, its trimmed text and its arguments. */
/**
 * The directive a config line sets, lower-cased, or '' for a blank line: enough to find the line
 * to replace or drop when editing a file in place, without unquoting its arguments.
 */
export function directiveOf(line: string): string {
  return line.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
}

export interface ConfigLine {
  line: number;
  text: string;
  /** null: unbalanced quotes. The node refuses to start on one; rctl's reader skips the line. */
  args: string[] | null;
}

/** The lines of a redis.conf text that hold a directive: blank lines and # comments left out. */
export function readConfigLines(text: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // trim() also drops the \r of a CRLF file.
    const trimmed = lines[i].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    out.push({ line: i + 1, text: trimmed, args: splitConfigArgs(trimmed) });
  }
  return out;
}

/**
 * Quotes an argument the way sdscatrepr does, so that it reads back with the same characters:
 * `arg` holds one character per byte (latin1), as the node's strings do.
 */
export function quoteConfigArg(arg: string): string {
  return quote(arg, true);
}

/**
 * Quotes a UTF-8 text (a path, a password) for a config file that redis-server and the node read
 * back as the same bytes. BEL and BS come out as \x07 and \x08 rather than sdscatrepr's \a and \b
 * (they read back the same): the spelling rctl has always written, so existing files keep theirs.
 */
export function quoteConfigValue(value: string): string {
  return quote(Buffer.from(value, 'utf8').toString('latin1'), false);
}

function quote(arg: string, namedBellAndBackspace: boolean): string {
  let out = '"';
  for (const ch of arg) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code === 7 && namedBellAndBackspace) out += '\\a';
    else if (code === 8 && namedBellAndBackspace) out += '\\b';
    else if (code < 32 || code > 126) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}
