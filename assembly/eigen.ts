// PLACEHOLDER — replaced by the symmetric eigen-decomposition.
export function eigSym(n: i32, a: usize, values: usize, vectors: usize, work: usize): i32 {
  return -1;
}
