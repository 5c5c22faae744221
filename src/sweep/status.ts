import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { currentClaims, DEFAULT_STALE_AFTER_MS, isStale } from "./claim.js";
import { findResult, listRuns, sweepLayout } from "./layout.js";
import { loadPlan } from "./sweepfile.js";

/** State of a sweep directory. */
export interface SweepStatus {
  total: number;
  done: number;
  failed: number;
  /** Claimed by a live runner. */
  running: number;
  /** Claimed by a runner that died (will be redone by the next runner). */
  stale: number;
  /** Neither done, failed nor claimed. */
  pending: number;
  /** Mean seconds of the completed runs (from the runner logs); null before the first. */
  meanSeconds: number | null;
  /** Estimated seconds to finish at the current parallelism (running runs); null when nothing runs. */
  etaSeconds: number | null;
}

/**
 * Counts the runs of the sweep in `dir` by state, from the result files, the claims and the runner
 * logs, and estimates the time left: remaining runs × mean run time / runs in progress.
 *
 * @param staleAfterMs - heartbeat age after which another host's claim counts as stale (default 120 s).
 */
export function sweepStatus(dir: string, staleAfterMs = DEFAULT_STALE_AFTER_MS): SweepStatus {
  const layout = sweepLayout(dir);
  const plan = loadPlan(layout);
  const names = listRuns(layout);
  const claims = currentClaims(layout);
  const s: SweepStatus = {
    total: plan.runs.length,
    done: 0,
    failed: 0,
    running: 0,
    stale: 0,
    pending: 0,
    meanSeconds: null,
    etaSeconds: null,
  };
  for (const r of plan.runs) {
    const state = findResult(names, r.id).state;
    if (state !== "pending") s[state]++;
    else if (!claims.has(r.id)) s.pending++;
    else {
      const c = claims.get(r.id);
      if (c && isStale(c, staleAfterMs)) s.stale++;
      else s.running++;
    }
  }
  const seconds = completedSeconds(join(layout.logs));
  if (seconds.length) s.meanSeconds = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  const left = s.pending + s.running + s.stale;
  if (s.meanSeconds !== null && s.running > 0) s.etaSeconds = (left * s.meanSeconds) / s.running;
  if (left === 0) s.etaSeconds = 0;
  return s;
}

/** Seconds of every run recorded as done in the runner logs. */
function completedSeconds(logs: string): number[] {
  const out: number[] = [];
  let files: string[];
  try {
    files = readdirSync(logs).filter((f) => f.startsWith("runner-") && f.endsWith(".log"));
  } catch {
    return out;
  }
  for (const f of files) {
    for (const line of readFileSync(join(logs, f), "utf8").split("\n")) {
      const [, event, , secs] = line.split(" ");
      if (event === "done" && Number.isFinite(Number(secs))) out.push(Number(secs));
    }
  }
  return out;
}

/** The status as printed by `mlpgf sweep status`. */
export function statusLines(dir: string, s: SweepStatus): string[] {
  const eta = s.etaSeconds === null ? "unknown (nothing running)" : formatDuration(s.etaSeconds);
  return [
    `sweep ${dir}: ${s.total} runs`,
    `  done ${s.done}, failed ${s.failed}, in progress ${s.running}, stale ${s.stale}, pending ${s.pending}`,
    `  mean run ${s.meanSeconds === null ? "–" : `${s.meanSeconds.toFixed(2)} s`}, ETA ${eta}`,
  ];
}

function formatDuration(sec: number): string {
  if (sec < 90) return `${sec.toFixed(0)} s`;
  if (sec < 5400) return `${(sec / 60).toFixed(1)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}
