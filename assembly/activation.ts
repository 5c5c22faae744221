// PLACEHOLDER — replaced by the activation kernels.
export const ACT_IDENTITY: i32 = 0;
export function activate(kind: i32, coef: usize, ncoef: i32, z: usize, a: usize, a1: usize, a2: usize, count: i32, derivs: i32): void {
  for (let i = 0; i < count; i++) {
    const x = load<f64>(z + (<usize>i << 3));
    store<f64>(a + (<usize>i << 3), x);
    if (derivs >= 1) store<f64>(a1 + (<usize>i << 3), 1.0);
    if (derivs >= 2) store<f64>(a2 + (<usize>i << 3), 0.0);
  }
}
