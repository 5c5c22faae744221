// Element-wise f64x2 operations on sample rows (lengths are even: chunks hold a multiple of 4 samples).

/** out[i] = a[i]·b[i]. */
export function mulInto(out: usize, a: usize, b: usize, n: i32): void {
  for (let o: usize = 0, e = <usize>n << 3; o < e; o += 16) {
    v128.store(out + o, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
}

/** out[i] += α·a[i]. */
export function axpy(out: usize, alpha: f64, a: usize, n: i32): void {
  const s = f64x2.splat(alpha);
  for (let o: usize = 0, e = <usize>n << 3; o < e; o += 16) {
    v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(s, v128.load(a + o))));
  }
}

/** out[i] += α·a[i]·b[i]. */
export function axpy2(out: usize, alpha: f64, a: usize, b: usize, n: i32): void {
  const s = f64x2.splat(alpha);
  for (let o: usize = 0, e = <usize>n << 3; o < e; o += 16) {
    const ab = f64x2.mul(v128.load(a + o), v128.load(b + o));
    v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(s, ab)));
  }
}

/** out[i] += a[i]·b[i]. */
export function addMul(out: usize, a: usize, b: usize, n: i32): void {
  for (let o: usize = 0, e = <usize>n << 3; o < e; o += 16) {
    v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(v128.load(a + o), v128.load(b + o))));
  }
}

/** out[i] += a[i]·b[i]·c[i]. */
export function addMul3(out: usize, a: usize, b: usize, c: usize, n: i32): void {
  for (let o: usize = 0, e = <usize>n << 3; o < e; o += 16) {
    const ab = f64x2.mul(v128.load(a + o), v128.load(b + o));
    v128.store(out + o, f64x2.add(v128.load(out + o), f64x2.mul(ab, v128.load(c + o))));
  }
}

/** out[i] = 0. */
export function zero(out: usize, n: i32): void {
  memory.fill(out, 0, <usize>n << 3);
}
