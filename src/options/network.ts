import type { GaussHermiteOptions } from "../api/gausshermitenet.js";
import type { NetOptions } from "../api/net.js";
import type { TeacherNetOptions } from "../api/teacher.js";
import * as v from "../vendor/valibot.js";
import { type SameKeys, strict } from "./schema.js";

// Key schemas of the constructor options of Net, TeacherNet and gaussHermiteNet: an unknown key (a
// typo such as `wieghts`, which would otherwise leave the weights at 1 without a word) is an OPTION
// error naming the closest valid key. The values are checked by the constructors themselves, which
// know the shapes (layers against the data, lengths against N and P). `SameKeys` makes the build fail
// when a schema and the documented interface list different keys.

/** Any value (checked by the constructor). */
const anyValue = v.optional(v.unknown());

/** Keys of {@link NetOptions}. */
export const NetOptionsSchema = strict({ layers: anyValue, input: anyValue, target: anyValue, weights: anyValue, din: anyValue });
/** Keys of {@link TeacherNetOptions}. */
export const TeacherNetOptionsSchema = strict({ layers: anyValue, din: anyValue, params: anyValue, seed: anyValue });
/** Keys of the student description `{ layers }` of `gaussHermiteNet`. */
export const StudentLayersSchema = strict({ layers: anyValue });
/** Keys of {@link GaussHermiteOptions}. */
export const GaussHermiteOptionsSchema = strict({ order: anyValue, threshold: anyValue });

const sameKeys: [
  SameKeys<NetOptions, v.InferInput<typeof NetOptionsSchema>>,
  SameKeys<TeacherNetOptions, v.InferInput<typeof TeacherNetOptionsSchema>>,
  SameKeys<GaussHermiteOptions, v.InferInput<typeof GaussHermiteOptionsSchema>>,
] = [true, true, true];
void sameKeys;
