/**
 * Progress of a live read, on stderr: on a terminal one line that updates in place; in a CI log (no
 * terminal) a line every 10 seconds; nothing with --quiet, or when stdout is a report in another format
 * (a script reads it). Identity Center serves about 20 requests a second, so the calls are the time.
 */
export interface ProgressOutput {
  write: (text: string) => void;
  /** stderr is a terminal: the line is redrawn in place. */
  terminal: boolean;
  /** The clock, in milliseconds (tests give their own). */
  now?: () => number;
}

const REDRAW_MS = 100;
const LOG_EVERY_MS = 10_000;

export class Progress {
  private calls = 0;
  private readonly started: number;
  private last: number;
  private shown = false;
  private readonly now: () => number;

  constructor(
    private readonly out: ProgressOutput,
    private readonly what: string,
  ) {
    this.now = out.now ?? Date.now;
    this.started = this.now();
    this.last = this.started;
  }

  /** One more AWS request. */
  readonly call = (): void => {
    this.calls++;
    const now = this.now();
    if (now - this.last < (this.out.terminal ? REDRAW_MS : LOG_EVERY_MS)) return;
    this.last = now;
    this.shown = true;
    const line = `idc-guard: ${this.what}: ${this.calls} API calls, ${seconds(now - this.started)}`;
    this.out.write(this.out.terminal ? `\r\u001b[K${line}` : `${line}\n`);
  };

  /** Clears the updating line, so the report starts on a clean one. */
  done(): void {
    if (this.out.terminal && this.shown) this.out.write('\r\u001b[K');
    this.shown = false;
  }
}

function seconds(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
