// Result files: lossless JSON and numpy .npz, in memory (browsers too) and on disk (Node).
export { RESULT_FORMAT, RESULT_VERSION, resultFromJSON, resultToJSON } from "./json.js";
export { META_ENTRY, resultFromNpz, resultToNpz } from "./npz.js";
export { loadResult, saveResult } from "./file.js";
export type { ResultFormat, SaveResultOptions } from "./file.js";
export { writeFileAtomic } from "./atomic.js";
