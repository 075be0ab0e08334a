import { describe, expect, it } from 'vitest';
import { encodeCommand, parseReply, ProtocolError, ReplyError, ReplyReader, replyLength, type RespValue } from '../../src/node/resp';

const RESP2_REPLIES: Array<[string, RespValue]> = [
  ['+OK\r\n', 'OK'],
  ['-ERR unknown command\r\n', new ReplyError('ERR unknown command')],
  [':-42\r\n', -42],
  ['$-1\r\n', null],
  ['$0\r\n\r\n', ''],
  ['$4\r\na\r\nb\r\n', 'a\r\nb'],
  ['*-1\r\n', null],
  ['*0\r\n', []],
  ['*3\r\n$3\r\nfoo\r\n*1\r\n:1\r\n$-1\r\n', ['foo', [1], null]],
];

const RESP3_REPLIES = ['_\r\n', ',3.14\r\n', '#t\r\n', '(12345678901234567890\r\n', '=8\r\ntxt:abcd\r\n', '!3\r\nERR\r\n', '%2\r\n+a\r\n:1\r\n+b\r\n~1\r\n:2\r\n', '|1\r\n+key\r\n+val\r\n', '>2\r\n+message\r\n$2\r\nhi\r\n'];

describe('parseReply', () => {
  it('parses each RESP2 reply whole, and finds every proper prefix incomplete', () => {
    for (const [text, value] of RESP2_REPLIES) {
      const bytes = Buffer.from(text, 'latin1');
      expect(parseReply(bytes)).toEqual({ value, next: bytes.length });
      for (let end = 0; end < bytes.length; end++) expect(parseReply(bytes.subarray(0, end))).toBeNull();
    }
  });

  it('reads strings as UTF-8 for rctl, or one char per byte for byte-exact tools', () => {
    const bytes = Buffer.from('$2\r\n\xc3\xa9\r\n', 'latin1');
    expect(parseReply(bytes)?.value).toBe('é');
    expect(parseReply(bytes, 0, 'latin1')?.value).toBe('\xc3\xa9');
  });

  it('refuses RESP3 types: rctl speaks RESP2, and anything else means the peer is not Redis', () => {
    expect(() => parseReply(Buffer.from('_\r\n'))).toThrow(ProtocolError);
  });
});

describe('replyLength', () => {
  it('frames every RESP2 and RESP3 reply, and finds every proper prefix incomplete', () => {
    for (const text of [...RESP2_REPLIES.map(([reply]) => reply), ...RESP3_REPLIES]) {
      const bytes = Buffer.from(`junk${text}+next\r\n`, 'latin1');
      expect(replyLength(bytes, 4)).toBe(text.length);
      for (let end = 4; end < 4 + text.length; end++) expect(replyLength(bytes.subarray(0, end), 4)).toBeNull();
    }
  });

  it('throws on a byte that starts no reply', () => {
    expect(() => replyLength(Buffer.from('hello\r\n'))).toThrow(ProtocolError);
  });
});

describe('ReplyReader', () => {
  const stream = Buffer.from(RESP2_REPLIES.map(([text]) => text).join(''), 'latin1');

  it('gives the same replies fed whole or one byte at a time', () => {
    const whole = new ReplyReader();
    whole.write(stream);
    const wholeValues: RespValue[] = [];
    for (let next = whole.nextValue(); next !== null; next = whole.nextValue()) wholeValues.push(next.value);

    const byByte = new ReplyReader();
    const byteValues: RespValue[] = [];
    for (const byte of stream) {
      byByte.write(Buffer.from([byte]));
      for (let next = byByte.nextValue(); next !== null; next = byByte.nextValue()) byteValues.push(next.value);
    }
    expect(wholeValues).toEqual(RESP2_REPLIES.map(([, value]) => value));
    expect(byteValues).toEqual(wholeValues);
  });

  it('gives each reply its exact bytes, RESP3 included, and keeps the rest', () => {
    const reader = new ReplyReader();
    const replies = [...RESP3_REPLIES, '+OK\r\n'];
    const received: string[] = [];
    for (const byte of Buffer.from(replies.join('') + '$5\r\nab', 'latin1')) {
      reader.write(Buffer.from([byte]));
      for (let next = reader.nextBytes(); next !== null; next = reader.nextBytes()) received.push(next.toString('latin1'));
    }
    expect(received).toEqual(replies);
    expect(reader.takeRest().toString('latin1')).toBe('$5\r\nab');
    expect(reader.pending.length).toBe(0);
  });
});

describe('encodeCommand', () => {
  it('counts bytes: UTF-8 for rctl, one byte per char for byte-exact tools', () => {
    expect(encodeCommand(['SET', 'k', 'é']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\xc3\xa9\r\n');
    expect(encodeCommand(['SET', 'k', '\xe9'], 'latin1').toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n\xe9\r\n');
  });
});
