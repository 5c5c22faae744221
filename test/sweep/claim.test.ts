import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClaimBook, currentClaims, currentOwner, removeFinishedClaims } from "../../src/sweep/claim.js";
import { removeStaleTempFiles, sweepLayout } from "../../src/sweep/layout.js";
import { tempDir } from "../helpers/cli.js";

function layout() {
  const l = sweepLayout(tempDir());
  mkdirSync(l.claims, { recursive: true });
  return l;
}

/** The pid of a process that has exited (and was reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("claims", () => {
  it("one claim per run: a second runner cannot take a run held by a live one; after release it can", () => {
    const l = layout();
    const a = new ClaimBook(l, currentOwner(), 60_000);
    const b = new ClaimBook(l, currentOwner(), 60_000);
    expect(a.acquire("0001-aa")).toBe(true);
    expect(b.acquire("0001-aa")).toBe(false);
    expect(b.acquire("0002-bb")).toBe(true);
    expect(a.owns("0001-aa")).toBe(true);
    expect(b.owns("0001-aa")).toBe(false);
    a.release("0001-aa");
    expect(readdirSync(l.claims).sort()).toEqual(["0002-bb.0"]);
    expect(b.acquire("0001-aa")).toBe(true);
    expect(currentClaims(l).get("0001-aa")?.token).toBe(b.owner.token);
  });

  it("a claim of a dead process on this host is taken over at once, as generation 1, and the old one removed", () => {
    const l = layout();
    const pid = deadPid();
    writeFileSync(join(l.claims, "0003-cc.0"), JSON.stringify({ host: hostname(), pid, token: "dead", started: "" }));
    const b = new ClaimBook(l, currentOwner(), 3_600_000);
    expect(b.acquire("0003-cc")).toBe(true);
    expect(readdirSync(l.claims)).toEqual(["0003-cc.1"]);
    expect(b.owns("0003-cc")).toBe(true);
  });

  it("a claim of another host is stale only when its heartbeat is older than staleAfter; the old owner then sees it lost", () => {
    const l = layout();
    const other = { host: "some-other-node", pid: 1, token: "x" };
    const a = new ClaimBook(l, other, 1000);
    expect(a.acquire("0004-dd")).toBe(true);
    const b = new ClaimBook(l, currentOwner(), 1000);
    expect(b.acquire("0004-dd")).toBe(false); // fresh heartbeat
    const old = new Date(Date.now() - 5000);
    utimesSync(join(l.claims, "0004-dd.0"), old, old);
    a.beat(); // the owner's heartbeat makes it fresh again
    expect(b.acquire("0004-dd")).toBe(false);
    utimesSync(join(l.claims, "0004-dd.0"), old, old);
    expect(b.acquire("0004-dd")).toBe(true);
    expect(a.owns("0004-dd")).toBe(false);
    a.release("0004-dd"); // does not remove b's claim
    expect(existsSync(join(l.claims, "0004-dd.1"))).toBe(true);
  });

  it("of many runners taking over the same stale claim exactly one wins", () => {
    const l = layout();
    writeFileSync(join(l.claims, "0005-ee.3"), JSON.stringify({ host: hostname(), pid: deadPid(), token: "dead", started: "" }));
    const books = Array.from({ length: 6 }, () => new ClaimBook(l, currentOwner(), 3_600_000));
    const wins = books.map((b) => b.acquire("0005-ee"));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(readdirSync(l.claims)).toEqual(["0005-ee.4"]);
  });

  it("temporary files of killed writers are removed once older than the stale age, others kept", () => {
    const l = layout();
    mkdirSync(l.runs, { recursive: true });
    for (const n of [".0001-aa.json.123.x1.tmp", ".0002-bb.json.123.x2.tmp", "0003-cc.json"]) writeFileSync(join(l.runs, n), "{}");
    writeFileSync(join(l.claims, ".tok.0001-aa.0.tmp"), "{}");
    const old = new Date(Date.now() - 10_000);
    utimesSync(join(l.runs, ".0001-aa.json.123.x1.tmp"), old, old);
    utimesSync(join(l.runs, "0003-cc.json"), old, old);
    utimesSync(join(l.claims, ".tok.0001-aa.0.tmp"), old, old);
    expect(removeStaleTempFiles(l, 5_000)).toBe(2);
    expect(readdirSync(l.runs).sort()).toEqual([".0002-bb.json.123.x2.tmp", "0003-cc.json"]);
    expect(readdirSync(l.claims)).toEqual([]);
  });

  it("stale claims of complete runs are removed, live ones and those of incomplete runs kept", () => {
    const l = layout();
    const dead = deadPid();
    for (const n of ["0001-aa.0", "0001-aa.1", "0002-bb.0"])
      writeFileSync(join(l.claims, n), JSON.stringify({ host: hostname(), pid: dead, token: "d", started: "" }));
    const live = new ClaimBook(l, currentOwner(), 60_000);
    expect(live.acquire("0003-cc")).toBe(true);
    expect(removeFinishedClaims(l, (id) => id !== "0002-bb", 60_000)).toBe(1);
    expect(readdirSync(l.claims).sort()).toEqual(["0002-bb.0", "0003-cc.0"]);
  });
});
