// Which characters rctl may print, decided once per run from the locale: box drawing and marks
// such as ✔ where it says UTF-8, ASCII where it names another encoding.

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
