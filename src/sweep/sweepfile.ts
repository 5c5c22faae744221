import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.js";
import { canonicalJson } from "./spec.js";
import { MLPGFError } from "../errors.js";
import { planSweep, type SweepPlan } from "./plan.js";
import type { SweepLayout } from "./layout.js";
import type { SweepSpec } from "./spec.js";

/** The plan of the sweep stored in a sweep directory (its `sweep.json`, written by the first runner). */
export function loadPlan(layout: SweepLayout): SweepPlan {
  let text: string;
  try {
    text = readFileSync(layout.spec, "utf8");
  } catch (e) {
    throw new MLPGFError(
      "IO",
      `${layout.dir} is not a sweep directory (cannot read sweep.json: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  let spec: SweepSpec;
  try {
    spec = JSON.parse(text) as SweepSpec;
  } catch (e) {
    throw new MLPGFError("FORMAT", `${layout.spec} is not JSON (${(e as Error).message})`, { cause: e });
  }
  return planSweep(spec, { baseDir: layout.dir });
}

/**
 * Creates the sweep directory (with runs/, claims/, logs/) and writes `sweep.json`, or checks that the
 * one there is the same sweep (canonical JSON): a different one throws `MLPGFError("OPTION")`.
 */
export async function storeSpec(layout: SweepLayout, spec: SweepSpec): Promise<void> {
  for (const d of [layout.dir, layout.runs, layout.claims, layout.logs]) mkdirSync(d, { recursive: true });
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (!existsSync(layout.spec)) return writeFileAtomic(layout.spec, text);
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(layout.spec, "utf8"));
  } catch (e) {
    throw new MLPGFError("FORMAT", `sweep: ${layout.spec} is not JSON (${(e as Error).message})`, { cause: e });
  }
  if (canonicalJson(stored) !== canonicalJson(spec)) {
    throw new MLPGFError(
      "OPTION",
      `sweep: ${layout.dir} holds a different sweep (its sweep.json differs from this spec); use another directory`,
    );
  }
}
