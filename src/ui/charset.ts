// Which characters rctl may print, decided once per run and stream: box drawing and marks such as
// ✔ on a terminal whose locale says UTF-8; ASCII where the locale names another encoding, and on
// stdout whenever it is not a terminal (a pipe, a file, a log) or NO_COLOR is set.

export type Charset = 'unicode' | 'ascii';

export type LocaleEnv = Readonly<Record<string, string | undefined>>;

/**
 * The locale in effect for characters is the first of LC_ALL, LC_CTYPE, LANG that is set (POSIX
 * precedence). With none set the environment was stripped (cron, containers, sudo) rather than
 * chosen, and rctl keeps printing Unicode as it always has; an explicit locale without UTF-8
 * (C, POSIX, en_US.ISO-8859-1) gets ASCII.
 */
export function charsetOf(env: LocaleEnv): Charset {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((value) => value !== undefined && value !== '');
  if (locale === undefined) return 'unicode';
  return /utf-?8/i.test(locale) ? 'unicode' : 'ascii';
}

/** NO_COLOR (no-color.org): set to anything but the empty string. */
export function noColorRequested(env: LocaleEnv): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}

/**
 * The charset of stdout: what lands in a pipe or a file is read by scripts and other tools, so it
 * is ASCII, as it is when NO_COLOR asks for plain output; a terminal gets what its locale allows.
 */
export function stdoutCharsetOf(env: LocaleEnv, isTTY: boolean): Charset {
  if (!isTTY || noColorRequested(env)) return 'ascii';
  return charsetOf(env);
}

export interface Symbols {
  ok: string;
  fail: string;
  arrow: string;
  ellipsis: string;
  /** Between a message and its suggestion. */
  dash: string;
  spinner: readonly string[];
  /** A progress bar's done and remaining cells. */
  barDone: string;
  barLeft: string;
}

const UNICODE_SYMBOLS: Symbols = {
  ok: '✔',
  fail: '✘',
  arrow: '→',
  ellipsis: '…',
  dash: '—',
  spinner: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
  barDone: '█',
  barLeft: '░',
};

const ASCII_SYMBOLS: Symbols = {
  ok: 'ok',
  fail: 'FAIL',
  arrow: '->',
  ellipsis: '...',
  dash: '-',
  spinner: ['|', '/', '-', '\\'],
  barDone: '#',
  barLeft: '.',
};

export function symbolsOf(charset: Charset): Symbols {
  return charset === 'unicode' ? UNICODE_SYMBOLS : ASCII_SYMBOLS;
}
