import { MAX_JSON_BYTES } from "../io/json.js";
import { readFailure, readRegularFileSync } from "../io/readfile.js";
import { type Config, type ParsedConfig, parseConfig } from "./config.js";
import { UsageError } from "./usererror.js";

/** Reads and validates a JSON config file; a {@link UsageError} names the file and the problem. */
export function readConfigFile(path: string): { config: Config; parsed: ParsedConfig } {
  let text: string;
  try {
    text = new TextDecoder().decode(readRegularFileSync(path, MAX_JSON_BYTES, "config"));
  } catch (e) {
    throw new UsageError(`cannot read config ${path}: ${readFailure(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: invalid JSON: ${(e as Error).message}`);
  }
  const parsed = parseConfig(json, path);
  return { config: json as Config, parsed };
}
