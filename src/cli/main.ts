#!/usr/bin/env node
/**
 * The `mlpgf` executable (package `bin`): `mlpgf train CONFIG.json`, `mlpgf report RESULT`,
 * `mlpgf demo`. See {@link runCli}.
 * @packageDocumentation
 */
import { runCli } from "./args.js";

process.exitCode = await runCli(process.argv, { out: process.stdout, err: process.stderr });
