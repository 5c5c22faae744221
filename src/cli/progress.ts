import type { ProgressInfo } from "../train/options.js";

/** Where the display writes: a stream with an optional TTY flag and width. */
export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Training progress on the console. On a TTY one line is redrawn in place: phase, a bar of the
 * phase's wall-clock budget (`maxtimeOde` / `maxtimeOptim`), elapsed seconds, ODE time, best loss,
 * gradient norm and evaluation counts. Otherwise each report is a plain line (for logs and pipes).
 */
export class ProgressDisplay {
  private live = false;
  private optimStart: number | null = null;

  constructor(
    private readonly out: Output,
    private readonly budget: { ode: number; optim: number },
  ) {}

  /** True when the line is redrawn in place. */
  get tty(): boolean {
    return !!this.out.isTTY;
  }

  /** Seconds between reports that suit the output: 0.25 s on a TTY, 5 s in a log. */
  defaultInterval(): number {
    return this.tty ? 0.25 : 5;
  }

  /** Shows one progress report (the `onProgress` callback of `train`). */
  update(p: ProgressInfo): void {
    if (p.phase === "optim" && this.optimStart === null) this.optimStart = p.elapsed;
    const stats = `t = ${p.t.toExponential(2)}  loss ${p.loss.toExponential(4)}  ‖∇‖∞ ${p.gnorm.toExponential(2)}  evaluations ∇ ${p.evaluations.gradient}, ∇² ${p.evaluations.hessian}`;
    const head = `${p.phase.padEnd(5)} ${p.elapsed.toFixed(1).padStart(6)} s`;
    if (!this.tty) {
      this.out.write(`  ${head}  ${stats}\n`);
      return;
    }
    const phaseElapsed = p.phase === "optim" ? p.elapsed - (this.optimStart ?? p.elapsed) : p.elapsed;
    const limit = p.phase === "optim" ? this.budget.optim : this.budget.ode;
    const line = `  ${head} ${bar(Number.isFinite(limit) && limit > 0 ? phaseElapsed / limit : NaN, 16)} ${stats}`;
    const width = this.out.columns ?? 120;
    this.out.write(`\r\x1b[2K${line.length > width - 1 ? line.slice(0, width - 1) : line}`);
    this.live = true;
  }

  /** Prints a message on its own line (ending a live progress line first). */
  note(msg: string): void {
    this.end();
    this.out.write(`${msg}\n`);
  }

  /** Ends the live line (on a TTY). */
  end(): void {
    if (this.live) this.out.write("\n");
    this.live = false;
  }
}

/** "[#####-----]" for a fraction in [0, 1]; "[?????]"-free: an unknown fraction shows an empty bar. */
function bar(f: number, n: number): string {
  const k = Number.isFinite(f) ? Math.max(0, Math.min(n, Math.round(f * n))) : 0;
  return `[${"#".repeat(k)}${"-".repeat(n - k)}]`;
}
