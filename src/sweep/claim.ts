import { closeSync, linkSync, openSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import type { SweepLayout } from "./layout.js";

/**
 * The claim protocol: who works on which run, safe on a shared file system and after SIGKILL.
 *
 * A runner that wants run `id` creates `claims/<id>.<g>` by hard-linking a complete private file to
 * that name (link fails if the name exists: exactly one creator wins, also over NFS, Lustre and
 * GPFS, and no claim is ever seen half-written); the file holds the owner's host, pid and a random token,
 * and its mtime is the owner's heartbeat (touched every few seconds). The claim with the highest
 * generation g is the valid one. When it is stale — its process is gone (same host, pid not alive)
 * or its heartbeat is older than `staleAfterMs` (any host) — a runner takes over by creating
 * generation g + 1 the same way, so of several runners judging the same claim stale only one
 * wins; lower generations are then removed. A runner releases its claim (removes its file) after
 * the result is written, and re-checks for a result after winning a claim, so a run completed by
 * someone else is never redone. An owner that was wrongly judged stale (a frozen node) finds a
 * higher generation before writing and drops its copy; even if both wrote, each result file is
 * written whole by an atomic rename and holds the same deterministic result.
 */

/** Who holds a claim. */
export interface ClaimOwner {
  host: string;
  pid: number;
  /** Random per runner process (pids are reused). */
  token: string;
}

/** A claim file as read back. */
export interface ClaimInfo extends ClaimOwner {
  id: string;
  generation: number;
  /** ISO time the claim was made. */
  started: string;
  /** Last heartbeat (mtime), ms since the epoch. */
  heartbeat: number;
}

/** Default age of a heartbeat after which a claim of another host counts as stale (ms). */
export const DEFAULT_STALE_AFTER_MS = 120_000;
/** Default interval between heartbeats (ms). */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** This process as a claim owner, with a fresh token. */
export function currentOwner(): ClaimOwner {
  return { host: hostname(), pid: process.pid, token: randomBytes(8).toString("hex") };
}

/** True when a process with this pid exists on this host. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when `claim` no longer protects its run: its process died, or its heartbeat is too old. */
export function isStale(claim: ClaimInfo, staleAfterMs: number, now = Date.now()): boolean {
  if (claim.host === hostname() && !pidAlive(claim.pid)) return true;
  return now - claim.heartbeat > staleAfterMs;
}

/** Claim file name → [id, generation], or null for other files. */
function parseName(name: string): [string, number] | null {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || name.startsWith(".")) return null;
  const g = Number(name.slice(dot + 1));
  return Number.isInteger(g) && g >= 0 && /^\d+$/.test(name.slice(dot + 1)) ? [name.slice(0, dot), g] : null;
}

/** Reads a claim file; null when it vanished or is not (yet) complete. */
function readClaim(path: string, id: string, generation: number): ClaimInfo | null {
  try {
    const heartbeat = statSync(path).mtimeMs;
    const o = JSON.parse(readFileSync(path, "utf8")) as ClaimOwner & { started: string };
    return { id, generation, host: o.host, pid: o.pid, token: o.token, started: o.started, heartbeat };
  } catch {
    return null;
  }
}

/** Every claim file: for each run id its generations, ascending. */
export function listClaims(layout: SweepLayout): Map<string, number[]> {
  const byId = new Map<string, number[]>();
  let names: string[];
  try {
    names = readdirSync(layout.claims);
  } catch {
    return byId;
  }
  for (const n of names) {
    const p = parseName(n);
    if (!p) continue;
    const list = byId.get(p[0]) ?? [];
    list.push(p[1]);
    byId.set(p[0], list);
  }
  for (const list of byId.values()) list.sort((a, b) => a - b);
  return byId;
}

/** The valid (highest-generation) claim of every claimed run. */
export function currentClaims(layout: SweepLayout): Map<string, ClaimInfo | null> {
  const out = new Map<string, ClaimInfo | null>();
  for (const [id, gens] of listClaims(layout)) {
    const g = gens[gens.length - 1];
    out.set(id, readClaim(join(layout.claims, `${id}.${g}`), id, g));
  }
  return out;
}

/**
 * Removes the stale claims of runs that are complete (`isComplete(id)`): left by a runner killed
 * between writing a result and releasing its claim. Live claims are left to their owners.
 */
export function removeFinishedClaims(layout: SweepLayout, isComplete: (id: string) => boolean, staleAfterMs: number): number {
  let removed = 0;
  for (const [id, gens] of listClaims(layout)) {
    if (!isComplete(id)) continue;
    const g = gens[gens.length - 1];
    const info = readClaim(join(layout.claims, `${id}.${g}`), id, g);
    if (info && !isStale(info, staleAfterMs)) continue;
    for (const x of gens) rmSync(join(layout.claims, `${id}.${x}`), { force: true });
    removed++;
  }
  return removed;
}

/** The claims one runner process holds, with acquire / release / heartbeat. */
export class ClaimBook {
  private readonly held = new Map<string, number>();

  constructor(
    private readonly layout: SweepLayout,
    readonly owner: ClaimOwner,
    private readonly staleAfterMs: number,
  ) {}

  private path(id: string, g: number): string {
    return join(this.layout.claims, `${id}.${g}`);
  }

  /** Generations of `id` now on disk, ascending. */
  private generations(id: string): number[] {
    const prefix = `${id}.`;
    let names: string[];
    try {
      names = readdirSync(this.layout.claims);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.startsWith(prefix))
      .map(parseName)
      .filter((p): p is [string, number] => p !== null && p[0] === id)
      .map((p) => p[1])
      .sort((a, b) => a - b);
  }

  /**
   * Creates claim file generation `g`, whole: written to a private temporary file, then hard-linked
   * to its name (link fails when the name exists — atomic, also on NFS). False when it exists.
   */
  private create(id: string, g: number): boolean {
    const tmp = join(this.layout.claims, `.${this.owner.token}.${id}.${g}.tmp`);
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify({ ...this.owner, started: new Date().toISOString() }));
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, this.path(id, g));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  /**
   * Tries to claim run `id`: true when this process now holds it. False when a live runner holds it.
   * A stale claim is taken over (generation + 1) and the older generations removed.
   */
  acquire(id: string): boolean {
    for (let attempt = 0; attempt < 8; attempt++) {
      const gens = this.generations(id);
      if (gens.length === 0) {
        if (this.create(id, 0)) return this.hold(id, 0, []);
        continue;
      }
      const top = gens[gens.length - 1];
      const info = readClaim(this.path(id, top), id, top);
      if (!info) {
        continue; // released meanwhile: look again
      }
      if (info.token === this.owner.token) return true;
      if (!isStale(info, this.staleAfterMs)) return false;
      if (this.create(id, top + 1)) return this.hold(id, top + 1, gens);
    }
    return false;
  }

  private hold(id: string, g: number, older: number[]): true {
    this.held.set(id, g);
    for (const o of older) rmSync(this.path(id, o), { force: true });
    return true;
  }

  /** True when this process still holds the valid claim of `id` (nobody took it over). */
  owns(id: string): boolean {
    const g = this.held.get(id);
    if (g === undefined) return false;
    const gens = this.generations(id);
    if (gens[gens.length - 1] !== g) return false;
    return readClaim(this.path(id, g), id, g)?.token === this.owner.token;
  }

  /** Gives up the claim of `id` (removes its file if it is still ours). */
  release(id: string): void {
    const g = this.held.get(id);
    if (g === undefined) return;
    this.held.delete(id);
    if (readClaim(this.path(id, g), id, g)?.token === this.owner.token) rmSync(this.path(id, g), { force: true });
  }

  /** Touches every held claim (the heartbeat). */
  beat(): void {
    const now = new Date();
    for (const [id, g] of this.held) {
      try {
        utimesSync(this.path(id, g), now, now);
      } catch {
        // taken over and removed by another runner: owns() will say so before the result is written
      }
    }
  }

  /** Ids of the claims held now. */
  get ids(): string[] {
    return [...this.held.keys()];
  }
}
