import { describe, expect, it } from 'vitest';
import { quoteConfigArg, quoteConfigValue, readConfigLines, splitConfigArgs } from '../../src/formats/redis-conf';
import { splitInlineRequest } from '../../src/server/resp/request-parser';

const EVERY_BYTE = Array.from({ length: 256 }, (_, byte) => String.fromCharCode(byte));

describe('quoteConfigArg (sdscatrepr)', () => {
  it('reads back every byte 0-255, alone and all together', () => {
    for (const byte of EVERY_BYTE) expect(splitConfigArgs(`requirepass ${quoteConfigArg(byte)}`)).toEqual(['requirepass', byte]);
    const all = EVERY_BYTE.join('');
    expect(splitConfigArgs(quoteConfigArg(all))).toEqual([all]);
  });

  it("spells bytes as Redis's sdscatrepr does", () => {
    expect(quoteConfigArg('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(quoteConfigArg('\n\r\t\x07\x08')).toBe('"\\n\\r\\t\\a\\b"');
    expect(quoteConfigArg('\x00\x1f\x7f\xff')).toBe('"\\x00\\x1f\\x7f\\xff"');
    expect(quoteConfigArg('')).toBe('""');
  });

  it('reads back the same bytes through the inline request splitter', () => {
    const all = EVERY_BYTE.join('');
    const line = Buffer.from(`SET k ${quoteConfigArg(all)}`, 'latin1');
    expect(splitInlineRequest(line, 0, line.length)).toEqual(['SET', 'k', all]);
  });
});

describe('quoteConfigValue (rctl writing a UTF-8 path or password)', () => {
  it('writes the UTF-8 bytes, and BEL and BS in hex as rctl always has', () => {
    expect(quoteConfigValue('é')).toBe('"\\xc3\\xa9"');
    expect(quoteConfigValue('\x07\x08')).toBe('"\\x07\\x08"');
  });

  it('reads back as the UTF-8 bytes of the value, for every code point below 256', () => {
    for (const ch of EVERY_BYTE) {
      const [arg] = splitConfigArgs(quoteConfigValue(ch))!;
      expect(Buffer.from(arg, 'latin1').toString('utf8')).toBe(ch);
    }
  });
});

describe('splitConfigArgs (sdssplitargs)', () => {
  it('splits on spaces, tabs and newlines, keeping quoted spaces', () => {
    expect(splitConfigArgs('  save  "" \t x')).toEqual(['save', '', 'x']);
    expect(splitConfigArgs('a"b c"d')).toBeNull();
    expect(splitConfigArgs('a"b c" d')).toEqual(['ab c', 'd']);
  });

  it('decodes double-quote escapes, and only \\\' inside single quotes', () => {
    expect(splitConfigArgs('"\\x41\\x4a\\n\\q\\xZZ"')).toEqual(['AJ\nqxZZ']);
    expect(splitConfigArgs("'it\\'s \\n'")).toEqual(["it's \\n"]);
  });

  it('refuses unbalanced quotes and a closing quote glued to more text', () => {
    for (const line of ['"open', "'open", 'a "b', '"a"b', "'a'b", '"ends in backslash\\"']) expect(splitConfigArgs(line)).toBeNull();
  });

  it('skips \\v and \\f between arguments but keeps them inside one', () => {
    expect(splitConfigArgs('\x0ba\x0cb\x0b')).toEqual(['a\x0cb\x0b']);
  });
});

describe('readConfigLines', () => {
  it('numbers directive lines, skipping blanks and comments, trimming CRLF', () => {
    expect(readConfigLines('# c\n\nport 7001\r\n  save ""  \nbad "x\n')).toEqual([
      { line: 3, text: 'port 7001', args: ['port', '7001'] },
      { line: 4, text: 'save ""', args: ['save', ''] },
      { line: 5, text: 'bad "x', args: null },
    ]);
  });
});
