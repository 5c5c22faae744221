import { ACT } from "../engine/abi.generated.js";
import { MLPGFError } from "../errors.js";
import { show } from "../util/show.js";

/** Kernel ids of `assembly/activation.ts` (through the generated ABI module). */
const KERNELS = {
  identity: ACT.IDENTITY,
  relu: ACT.RELU,
  sigmoid: ACT.SIGMOID,
  softplus: ACT.SOFTPLUS,
  g: ACT.G,
  tanh: ACT.TANH,
  tanh_fast: ACT.TANH,
  gelu: ACT.GELU,
  silu: ACT.SILU,
  selu: ACT.SELU,
  square: ACT.SQUARE,
  cube: ACT.CUBE,
  sigmoid2: ACT.SIGMOID2,
  normal_cdf: ACT.NORMAL_CDF,
  exp: ACT.EXP,
} as const satisfies Record<string, number>;

/** The name of an activation: one of {@link ACTIVATIONS} (`softmax` for output layers only). */
export type ActivationName = keyof typeof KERNELS | "softmax";

/** An activation: a name from {@link ACTIVATIONS} or a polynomial `{ poly: [c0, c1, …] }` = Σ cᵢ xⁱ. */
export type Activation = ActivationName | { poly: readonly number[] };
/** Kernel id of the polynomial activation. */
export const POLY_KERNEL = ACT.POLY;

/**
 * Every activation name the package supports (`tanh_fast` is an alias of `tanh`; `softmax` is for
 * output layers only). `square` is x²/2 and `sigmoid2` is erf(x/√2), as in MLPGradientFlow.jl.
 */
export const ACTIVATIONS: readonly ActivationName[] = Object.freeze([...(Object.keys(KERNELS) as (keyof typeof KERNELS)[]), "softmax"]);

/** True for a name in {@link ACTIVATIONS} (own names only: `"toString"` or `"__proto__"` are not activations). */
export function isActivationName(a: unknown): a is ActivationName {
  return typeof a === "string" && (a === "softmax" || Object.hasOwn(KERNELS, a));
}

/** Activations whose second derivative is identically zero. */
const LINEARISH = new Set(["identity", "relu"]);

/** A validated activation: its canonical form, kernel id and polynomial coefficients. */
export interface ResolvedActivation {
  spec: Activation;
  kind: number;
  coef: number[];
  linearish: boolean;
  softmax: boolean;
}

/**
 * The `poly` entry of `{ poly }`: the object's only own key, read once (a getter that throws, or a
 * second key such as a misspelt `{ poly, coef }`, is an `ACTIVATION` error).
 */
function polyCoefficients(a: object, where: string): unknown {
  try {
    const keys = Reflect.ownKeys(a);
    if (keys.length !== 1) throw new MLPGFError("ACTIVATION", `${where}: { poly } takes no other key, got keys ${show(keys.map(String))}`);
    const c = (a as { poly: unknown }).poly;
    return Array.isArray(c) ? Array.from(c) : c;
  } catch (e) {
    if (e instanceof MLPGFError) throw e;
    throw new MLPGFError("ACTIVATION", `${where}: reading { poly } threw (${e instanceof Error ? e.message : show(e)})`, { cause: e });
  }
}

/** Checks an activation and returns its kernel; `where` names the layer for error messages. */
export function resolveActivation(a: unknown, where: string): ResolvedActivation {
  if (typeof a === "string") {
    if (a === "softmax") return { spec: a, kind: -1, coef: [], linearish: false, softmax: true };
    if (!isActivationName(a)) {
      throw new MLPGFError(
        "ACTIVATION",
        `${where}: unknown activation ${show(a)}; expected one of ${ACTIVATIONS.join(", ")} or { poly: [c0, c1, ...] }`,
      );
    }
    return { spec: a, kind: KERNELS[a as keyof typeof KERNELS], coef: [], linearish: LINEARISH.has(a), softmax: false };
  }
  if (a && typeof a === "object" && !Array.isArray(a) && Object.hasOwn(a, "poly")) {
    const c = polyCoefficients(a, where);
    if (!Array.isArray(c) || c.length === 0 || !Array.from(c).every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new MLPGFError("ACTIVATION", `${where}: { poly } needs a non-empty array of finite coefficients [c0, c1, ...], got ${show(c)}`);
    }
    const coef = Array.from(c as number[]);
    return { spec: { poly: coef }, kind: POLY_KERNEL, coef, linearish: coef.length <= 2, softmax: false };
  }
  throw new MLPGFError(
    "ACTIVATION",
    `${where}: an activation must be a name (${ACTIVATIONS.join(", ")}) or { poly: [c0, c1, ...] }, got ${show(a)}`,
  );
}

/** True when two resolved activations are the same function. */
export function sameActivation(a: ResolvedActivation, b: ResolvedActivation): boolean {
  return a.kind === b.kind && a.softmax === b.softmax && a.coef.length === b.coef.length && a.coef.every((c, i) => c === b.coef[i]);
}
