// PLACEHOLDER — replaced by the erf/erfc implementation.
export function erf(x: f64): f64 {
  return x;
}
export function erfc(x: f64): f64 {
  return 1.0 - x;
}
