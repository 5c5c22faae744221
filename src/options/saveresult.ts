import * as v from "../vendor/valibot.js";
import { oneOf, strict } from "./schema.js";

/** Result file formats. */
export const RESULT_FORMATS = ["json", "npz"] as const;

/** Result file formats. */
export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** Schema of {@link SaveResultOptions}. */
export const SaveResultOptionsSchema = strict({
  /** File format; default from the extension of `path` (`.json` or `.npz`). */
  format: v.optional(oneOf(RESULT_FORMATS)),
});

/** Options of `saveResult`. */
export type SaveResultOptions = v.InferOutput<typeof SaveResultOptionsSchema>;
