// Deterministic data for the benchmarks (the same numbers on every run and machine).

/** n pseudo-random normals from a seeded LCG by Box–Muller. */
export function normals(seed, n) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

/** A flat array as rows of `cols` numbers. */
export function rows(flat, cols) {
  return Array.from({ length: flat.length / cols }, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}
