// Progress on stderr, so stdout stays clean for scripts: a spinner with a task list on a TTY,
// plain lines otherwise.

import type { Reporter } from '../node/reporter';
import { symbolsOf, type Charset, type Symbols } from './charset';
import { TransferMeter, transferText } from './transfer-meter';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class StderrProgress implements Reporter {
  private current: string | null = null;
  private detail = '';
  private frame = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastPlainDetail = '';
  private lastPlainAt = 0;
  private readonly symbols: Symbols;
  private meter: TransferMeter | null = null;

  constructor(
    private readonly stream: ProgressStream,
    charset: Charset,
    private readonly interactive: boolean = Boolean(stream.isTTY),
  ) {
    this.symbols = symbolsOf(charset);
  }

  step(text: string): void {
    this.completeCurrent(this.symbols.ok);
    this.current = text;
    this.detail = '';
    this.meter = null;
    if (this.interactive) {
      this.render();
      this.timer ??= setInterval(() => this.render(), 80);
      this.timer.unref();
    } else {
      this.stream.write(`- ${text}\n`);
    }
  }

  update(text: string): void {
    this.detail = text;
    if (this.interactive) {
      this.render();
      return;
    }
    // Plain logs get a changed detail at most once a second.
    const now = Date.now();
    if (text !== this.lastPlainDetail && now - this.lastPlainAt >= 1000) {
      this.stream.write(`    ${text}\n`);
      this.lastPlainDetail = text;
      this.lastPlainAt = now;
    }
  }

  transfer(doneBytes: number, totalBytes: number | null): void {
    this.meter ??= new TransferMeter();
    this.update(transferText(this.meter.record(doneBytes, totalBytes), this.symbols));
  }

  warn(text: string): void {
    if (this.interactive) this.clearLine();
    this.stream.write(`warning: ${text}\n`);
    if (this.interactive) this.render();
  }

  /** Clears the spinner line and stops redrawing (e.g. while a prompt owns the terminal). */
  suspend(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.interactive && this.current !== null) this.clearLine();
  }

  /** Ends the display: the current step is marked done (or failed). */
  stop(failed = false): void {
    this.completeCurrent(failed ? this.symbols.fail : this.symbols.ok);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private completeCurrent(mark: string): void {
    if (this.current === null) return;
    if (this.interactive) {
      this.clearLine();
      this.stream.write(`${mark} ${this.current}\n`);
    }
    this.current = null;
  }

  private clearLine(): void {
    this.stream.write('\r\x1b[2K');
  }

  private render(): void {
    if (this.current === null) return;
    const { spinner, ellipsis } = this.symbols;
    this.frame = (this.frame + 1) % spinner.length;
    const line = `${spinner[this.frame]} ${this.current}${this.detail ? ` (${this.detail})` : ''}`;
    const width = this.stream.columns ?? 100;
    this.clearLine();
    this.stream.write(line.length > width - 1 ? line.slice(0, width - 1 - ellipsis.length) + ellipsis : line);
  }
}
