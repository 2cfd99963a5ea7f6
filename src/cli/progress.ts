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

  /**
   * One more AWS request, with the calls already asked for that wait to start. The total is "about": what a
   * page or a permission set leads to is only known when it is read, so the estimate grows as it goes.
   */
  readonly call = (waiting = 0): void => {
    this.calls++;
    const now = this.now();
    if (now - this.last < (this.out.terminal ? REDRAW_MS : LOG_EVERY_MS)) return;
    this.last = now;
    this.shown = true;
    const elapsed = now - this.started;
    const line = `idc-guard: ${this.what}: ${this.calls}${ofAbout(this.calls, waiting)} API calls, ${seconds(elapsed)}${timeLeft(this.calls, waiting, elapsed)}`;
    this.out.write(this.out.terminal ? `\r\u001b[K${line}` : `${line}\n`);
  };

  /** Clears the updating line, so the report starts on a clean one. */
  done(): void {
    if (this.out.terminal && this.shown) this.out.write('\r\u001b[K');
    this.shown = false;
  }
}

const ofAbout = (done: number, waiting: number): string => (waiting > 0 ? ` of about ${done + waiting}` : '');

/** At the rate so far; said only after a second, when there is a rate to go by. */
function timeLeft(done: number, waiting: number, elapsed: number): string {
  if (waiting === 0 || elapsed < 1000) return '';
  return `, about ${seconds((waiting * elapsed) / done)} left`;
}

function seconds(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
