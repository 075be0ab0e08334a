// Reads the RESP commands of an AOF file the way Redis's loadSingleAppendOnlyFile does: strictly
// multibulk ('*' then '$' lines), annotation lines starting with '#' skipped, and a clean
// distinction between a file that simply ends early (a crash mid-write: "truncated") and bytes
// that are not an AOF at all ("format"), so the loader can cut the first and refuse the second.

export type AofCommandSink = (args: string[], endOffset: number) => void | Promise<void>;

export type AofReadOutcome =
  | { kind: 'complete' }
  /** The data ends inside a command; validUpTo is where the last complete command ended. */
  | { kind: 'truncated'; validUpTo: number }
  /** Bytes that cannot be an AOF command start at `offset`. */
  | { kind: 'format'; offset: number; reason: string };

const CR = 0x0d;
const LF = 0x0a;

class NeedMoreData {}
const NEED_MORE = new NeedMoreData();

class FormatProblem {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

/**
 * Walks every command of `data`, calling `sink` with its arguments (latin1 strings, binary safe)
 * and the offset just past it. A sink may be async: the caller can then yield between commands.
 */
export async function readAofCommands(data: Buffer, sink: AofCommandSink): Promise<AofReadOutcome> {
  let pos = 0;
  let validUpTo = 0;

  /** One line without its CRLF (Redis reads lines with fgets and ignores what follows the number). */
  const readLine = (): string => {
    const end = data.indexOf(LF, pos);
    if (end === -1) throw NEED_MORE;
    const stop = end > pos && data[end - 1] === CR ? end - 1 : end;
    const line = data.latin1Slice(pos, stop);
    pos = end + 1;
    return line;
  };

  try {
    while (pos < data.length) {
      const lineStart = pos;
      const header = readLine();
      if (header.startsWith('#')) {
        // An annotation (aof-timestamp-enabled writes "#TS:<unix time>").
        validUpTo = pos;
        continue;
      }
      if (header[0] !== '*') throw new FormatProblem(lineStart, `expected '*', found ${JSON.stringify(header.slice(0, 16))}`);
      const argc = Number.parseInt(header.slice(1), 10);
      if (!Number.isFinite(argc) || argc < 1) throw new FormatProblem(lineStart, `invalid argument count ${JSON.stringify(header.slice(1, 17))}`);
      const args: string[] = new Array(argc);
      for (let i = 0; i < argc; i++) {
        const argStart = pos;
        const lengthLine = readLine();
        if (lengthLine[0] !== '$') throw new FormatProblem(argStart, `expected '$', found ${JSON.stringify(lengthLine.slice(0, 16))}`);
        const length = Number.parseInt(lengthLine.slice(1), 10);
        if (!Number.isFinite(length) || length < 0) throw new FormatProblem(argStart, `invalid bulk length ${JSON.stringify(lengthLine.slice(1, 17))}`);
        // The argument and its CRLF.
        if (pos + length + 2 > data.length) throw NEED_MORE;
        args[i] = data.latin1Slice(pos, pos + length);
        pos += length + 2;
      }
      const pending = sink(args, pos);
      if (pending) await pending;
      validUpTo = pos;
    }
  } catch (problem) {
    if (problem === NEED_MORE) return { kind: 'truncated', validUpTo };
    if (problem instanceof FormatProblem) return { kind: 'format', offset: problem.offset, reason: problem.reason };
    throw problem;
  }
  return { kind: 'complete' };
}
