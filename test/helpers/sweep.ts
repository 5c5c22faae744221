/** Helpers of the sweep tests: tiny sweep specs and the runner event logs. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A tiny teacher–student sweep: widths × student seeds, stopped by iteration limits only (so every
 * run is deterministic), `odeIterations` ODE steps then 3 Newton iterations on 40 samples.
 */
export function tinySweep(widths: number[], seeds: number[], odeIterations = 40): Record<string, unknown> {
  return {
    layers: [
      [3, "softplus", true],
      [1, "identity", true],
    ],
    data: {
      kind: "teacher",
      teacher: {
        layers: [
          [2, "softplus", true],
          [1, "identity", true],
        ],
        seed: 3,
      },
      din: 2,
      samples: 40,
      seed: 5,
    },
    // minGnorm: 0 too, so that a run takes its odeIterations steps (the kill and Slurm tests time their signals by them)
    train: { maxiterationsOde: odeIterations, maxiterationsOptim: 3, maxtimeOde: 1e6, maxtimeOptim: 1e6, minloss: 0, minGnorm: 0 },
    grid: { "layers.0.0": widths, "student.seed": seeds },
  };
}

/** One line of a runner's event log. */
export interface RunnerEvent {
  pid: number;
  event: string;
  id: string;
}

/** Every event of every runner log in `dir/logs` (file name runner-<host>-<pid>.log). */
export function runnerEvents(dir: string): RunnerEvent[] {
  const logs = join(dir, "logs");
  return readdirSync(logs)
    .filter((f) => f.startsWith("runner-"))
    .flatMap((f) => {
      const pid = Number(/-(\d+)\.log$/.exec(f)![1]);
      return readFileSync(join(logs, f), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const [, event, id] = line.split(" ");
          return { pid, event, id };
        });
    });
}

/** Pids of runners cut short: their log has no "end" line, or a run they abandoned ("aborted"). */
export function cutShortRunners(dir: string): Set<number> {
  const events = runnerEvents(dir);
  const pids = new Set(events.map((e) => e.pid));
  const ended = new Set(events.filter((e) => e.event === "end").map((e) => e.pid));
  return new Set([...pids].filter((p) => !ended.has(p) || events.some((e) => e.pid === p && e.event === "aborted")));
}
