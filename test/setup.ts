// Loads the kernel build named by MLPGF_BUILD ("release" | "debug") before every test file.
import { readFileSync } from "node:fs";
import { loadEngine } from "../src/engine/kernels.js";

const build = process.env.MLPGF_BUILD === "debug" ? "kernels.debug.wasm" : "kernels.wasm";
await loadEngine(readFileSync(new URL(`../dist/${build}`, import.meta.url)));
