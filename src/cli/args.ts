import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { MLPGFError } from "../errors.js";
import { DEMO_DIR, demoCommand } from "./democommand.js";
import type { Output } from "./progress.js";
import { reportCommand } from "./reportcommand.js";
import { registerSweepCommands } from "./sweepcommand.js";
import { EXIT, trainCommand } from "./traincommand.js";
import { UsageError } from "./usererror.js";

/** Where the CLI writes: normal output (progress, summaries) and error lines. */
export interface Streams {
  out: Output;
  err: { write(s: string): unknown };
}

function integer(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** The package's version, from its package.json (two folders up from src/cli and dist/cli alike). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Runs the `mlpgf` command line (`argv` as in `process.argv`, two leading entries) and returns the
 * exit code: 0 done, 1 failed or interrupted run, 2 bad arguments, config or data (one line on
 * `err` naming the problem).
 */
export async function runCli(argv: readonly string[], io: Streams): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command()
    .name("mlpgf")
    .description("Gradient-flow training of small MLPs with exact gradients and Hessians (mlp-gradient-flow)")
    .version(packageVersion(), "-V, --version", "print the version of mlp-gradient-flow")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .showSuggestionAfterError();
  program
    .command("train")
    .description("train the network described by a JSON config; writes the result (with config and Hessian spectrum)")
    .argument("<config>", "config file (JSON; an example ships with the package: examples/teacher-student.json)")
    .option("-o, --output <file>", "result file, .json or .npz (default: <config name>.result.json)")
    .option("--seed <n>", "seed of the student's start point (overrides student.seed)", integer)
    .action(async (config: string, o: { output?: string; seed?: number }) => {
      code = await trainCommand(config, o, io.out);
    });
  program
    .command("report")
    .description("write a self-contained HTML report (plots inline) of a result file")
    .argument("<result>", "result file written by mlpgf train (.json or .npz)")
    .option("-o, --output <file>", "HTML file (default: <result name>.html next to the result)")
    .action(async (result: string, o: { output?: string }) => {
      await reportCommand(result, o, io.out);
    });
  program
    .command("demo")
    .description(
      "the teacher–student demo: trains three students (4 and 8 neurons, and 8 with varpro), prints summaries, writes configs, results and reports",
    )
    .option("-o, --output <dir>", `output folder (default: ./${DEMO_DIR})`)
    .action(async (o: { output?: string }) => {
      code = await demoCommand(o, io.out);
    });
  registerSweepCommands(
    program.command("sweep").description("many runs of one config over a grid: run (resumable, sharded), status, collect, slurm, report"),
    io.out,
    (c) => (code = c),
  );
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed the message
    if (e instanceof UsageError) {
      io.err.write(`mlpgf: ${e.message}\n`);
      return EXIT.usage;
    }
    const msg = e instanceof MLPGFError ? `${e.code}: ${e.message}` : e instanceof Error ? (e.stack ?? e.message) : String(e);
    io.err.write(`mlpgf: run failed: ${msg}\n`);
    return EXIT.failed;
  }
}
