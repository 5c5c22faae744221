/**
 * The API reference builds: TypeDoc over the package entry with typedoc.json, whose validation warnings
 * are errors, so an export without TSDoc or a broken {@link} fails here, not only in `npm run docs`.
 * (The "referenced but not exported" check is off: the option types are inferred from valibot
 * schemas, which are internal by design.) Nothing is written (`--emit none`). (Other
 * TypeDoc warnings, such as "multiple declarations with a comment" for the properties of a type that
 * valibot infers from a schema, are printed but do not fail.)
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO } from "../helpers/packed.js";

it("typedoc: every export documented, every link resolved", () => {
  let out = "";
  try {
    out = execFileSync(process.execPath, [join(REPO, "node_modules", "typedoc", "bin", "typedoc"), "--emit", "none"], {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    expect.fail(`npm run docs fails:\n${err.stdout ?? ""}${err.stderr ?? ""}`);
  }
  expect(out).not.toMatch(/\[error\]|does not have any documentation|Failed to resolve link|links to .* not included/);
});
