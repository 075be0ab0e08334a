// Text from a topology file as it may appear in a message. Dependency-free: the topology cache
// (on the fast start-up path of `rctl status`) uses it without loading the YAML parser.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Control characters (a line break, a carriage return, an escape sequence, a C1 control such as
 * CSI) are shown as escapes, so every error stays one line and cannot drive the terminal.
 */
export function shownText(text: string): string {
  return text.replace(CONTROL, (ch) => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
