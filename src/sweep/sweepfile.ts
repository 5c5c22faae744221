import { existsSync, mkdirSync } from "node:fs";
import { writeFileAtomic } from "../io/atomic.js";
import { MAX_JSON_BYTES } from "../io/json.js";
import { ioReason, readFailure, readRegularFileSync } from "../io/readfile.js";
import { show } from "../util/show.js";
import { canonicalJson } from "./spec.js";
import { MLPGFError, isMLPGFError } from "../errors.js";
import { planSweep, type SweepPlan } from "./plan.js";
import type { SweepLayout } from "./layout.js";
import type { SweepSpec } from "./spec.js";

/** The plan of the sweep stored in a sweep directory (its `sweep.json`, written by the first runner). */
export function loadPlan(layout: SweepLayout): SweepPlan {
  let text: string;
  try {
    text = new TextDecoder().decode(readRegularFileSync(layout.spec, MAX_JSON_BYTES, "sweep.json"));
  } catch (e) {
    if (!isMLPGFError(e, "IO")) throw e;
    throw new MLPGFError("IO", `${layout.dir} is not a sweep directory (cannot read sweep.json: ${readFailure(e)})`, {
      cause: e.cause ?? e,
    });
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
  try {
    for (const d of [layout.dir, layout.runs, layout.claims, layout.logs]) mkdirSync(d, { recursive: true });
  } catch (e) {
    throw new MLPGFError("IO", `sweep: cannot create the sweep directory ${show(layout.dir)} (${ioReason(e)})`, { cause: e });
  }
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (!existsSync(layout.spec))
    return writeFileAtomic(layout.spec, text).catch((e: unknown) => {
      throw new MLPGFError("IO", `sweep: cannot write ${show(layout.spec)} (${ioReason(e)})`, { cause: e });
    });
  let stored: unknown;
  const bytes = readRegularFileSync(layout.spec, MAX_JSON_BYTES, "sweep");
  try {
    stored = JSON.parse(new TextDecoder().decode(bytes));
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
