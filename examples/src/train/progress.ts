/** A one-line progress bar (TTY) or periodic log lines (pipes): loss, accuracy, images/s, ETA. */
export interface ProgressState {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  imagesPerSec: number;
}

const fmtTime = (s: number): string => {
  if (!Number.isFinite(s)) return '--:--';
  s = Math.max(0, Math.round(s));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  return h ? `${h}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
};

export class ProgressBar {
  private readonly tty: boolean;
  private lastPrint = 0;
  private readonly start = Date.now();
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  line(s: ProgressState, etaSeconds: number): string {
    const width = 24;
    const frac = s.steps ? s.step / s.steps : 1;
    const done = Math.round(frac * width);
    const bar = '='.repeat(Math.max(0, done - 1)) + (done > 0 && done < width ? '>' : done === width ? '=' : '') + ' '.repeat(width - done);
    return (
      `epoch ${s.epoch}/${s.epochs} [${bar}] ${String(s.step).padStart(String(s.steps).length)}/${s.steps}` +
      `  loss ${s.loss.toFixed(4)}  acc ${(100 * s.accuracy).toFixed(1)}%  ${Math.round(s.imagesPerSec)} img/s  ETA ${fmtTime(etaSeconds)}`
    );
  }

  update(s: ProgressState, etaSeconds: number): void {
    if (this.quiet) return;
    const now = Date.now();
    const last = s.step === s.steps;
    if (this.tty) {
      if (now - this.lastPrint < 100 && !last) return;
      this.stream.write(`\r${this.line(s, etaSeconds)}\x1b[K`);
    } else {
      if (now - this.lastPrint < 10000 && !last && s.step !== 1) return;
      this.stream.write(`${this.line(s, etaSeconds)}\n`);
    }
    this.lastPrint = now;
  }

  /** Ends the bar's line (TTY). */
  done(): void {
    if (this.tty && !this.quiet) this.stream.write('\n');
  }

  elapsed(): number {
    return (Date.now() - this.start) / 1000;
  }
}
