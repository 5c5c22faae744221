// Coefficients of every integration method. A method is one of these tableaus plus the stepping
// routine of its kind (explicit.ts, rosenbrock.ts, esdirk.ts). The order conditions of the Runge–Kutta
// tableaus and the convergence orders of all methods are checked in test/ode.

/**
 * An explicit Runge–Kutta pair whose last stage is evaluated at the new state (FSAL: c[s−1] = 1 and
 * a[s−1] = b), so f(t+h, x_new) comes with every step. Stages k_i = f(t + c_i·h, x + h·Σ_j a_ij·k_j);
 * x_new = x + h·Σ b_i·k_i; local error estimate h·Σ btilde_i·k_i (btilde = b − b̂).
 */
export interface ExplicitTableau {
  readonly kind: "explicit";
  /** Order of x_new. */
  readonly order: number;
  /** Order of the embedded solution x_new − h·Σ btilde_i·k_i (0 without one). */
  readonly embeddedOrder: number;
  /** The error estimate is O(h^errorOrder), errorOrder = min(order, embeddedOrder) + 1; 0 without one. */
  readonly errorOrder: number;
  /** Nodes c_i (stage times t + c_i·h). */
  readonly c: readonly number[];
  /** Strictly lower rows: a[i] has i entries. */
  readonly a: readonly (readonly number[])[];
  /** Weights of x_new. */
  readonly b: readonly number[];
  /** b − b̂, or null when the method has no error estimate. */
  readonly btilde: readonly number[] | null;
}

/**
 * A Rosenbrock method in the transformed form of Hairer & Wanner (Solving ODEs II, §IV.7: the form
 * without matrix-vector products, as in their code RODAS), with W = I/(h·γ) − J:
 *   W·k_i = f(t + c_i·h, x + Σ_{j<i} a_ij·k_j) + Σ_{j<i} (C_ij/h)·k_j + h·d_i·∂f/∂t,
 *   x_new = x + Σ b_i·k_i,  error estimate Σ btilde_i·k_i.
 */
export interface RosenbrockTableau {
  readonly kind: "rosenbrock";
  /** Order of x_new. */
  readonly order: number;
  /** Order of the embedded solution. */
  readonly embeddedOrder: number;
  /** The error estimate is O(h^errorOrder). */
  readonly errorOrder: number;
  /** Diagonal γ of the method (W = I/(h·γ) − J). */
  readonly gamma: number;
  /** Stage-point coefficients a_ij (rows of length i). */
  readonly a: readonly (readonly number[])[];
  /** Coupling coefficients C_ij (rows of length i). */
  readonly C: readonly (readonly number[])[];
  /** Stage times c_i. */
  readonly c: readonly number[];
  /** Coefficients d_i = γ_i of ∂f/∂t. */
  readonly d: readonly number[];
  /** Weights m_i of x_new. */
  readonly b: readonly number[];
  /** Weights of the error estimate. */
  readonly btilde: readonly number[];
  /**
   * Solve the stage systems by GMRES on Jacobian-vector products (`krylov.ts`) instead of an LU of
   * the n × n iteration matrix: for large n, where J cannot be formed.
   */
  readonly krylov?: boolean;
}

/**
 * A stiffly accurate ESDIRK method (explicit first stage, diagonal γ, b = last row of a):
 *   Y_i = x + h·Σ_{j<i} a_ij·k_j + h·γ·k_i with k_i = f(t + c_i·h, Y_i), x_new = Y_s,
 *   error estimate h·Σ btilde_i·k_i.
 */
export interface EsdirkTableau {
  readonly kind: "esdirk";
  /** Order of x_new. */
  readonly order: number;
  /** Order of the embedded solution. */
  readonly embeddedOrder: number;
  /** The error estimate is O(h^errorOrder), errorOrder = min(order, embeddedOrder) + 1. */
  readonly errorOrder: number;
  /** The diagonal γ. */
  readonly gamma: number;
  /** Rows 1..s−1 of the lower part including the diagonal: a[i] has i + 1 entries, a[i][i] = γ (a[0] = [0]). */
  readonly a: readonly (readonly number[])[];
  /** Weights of x_new (= last row of a). */
  readonly b: readonly number[];
  /** b − b̂. */
  readonly btilde: readonly number[];
  /** Nodes c_i. */
  readonly c: readonly number[];
}

/** Any tableau; its `kind` selects the stepping routine. */
export type Tableau = ExplicitTableau | RosenbrockTableau | EsdirkTableau;

/** Forward Euler with its last stage at x_new (FSAL): 1 f per step. No error estimate. */
export const EULER: ExplicitTableau = {
  kind: "explicit",
  order: 1,
  embeddedOrder: 0,
  errorOrder: 0,
  c: [0, 1],
  a: [[], [1]],
  b: [1, 0],
  btilde: null,
};

/**
 * Classical Runge–Kutta 4 with an FSAL fifth stage f(x_new), which is the next step's first stage, so a
 * step still costs 4 f. The embedded weights b̂ = (1/6, 1/3, 1/3, 0, 1/6) are the third-order solution
 * of the order conditions on these five stages, so the error estimate h·(k4 − k5)/6 is O(h⁴) and free.
 */
export const RK4: ExplicitTableau = {
  kind: "explicit",
  order: 4,
  embeddedOrder: 3,
  errorOrder: 4,
  c: [0, 0.5, 0.5, 1, 1],
  a: [[], [0.5], [0, 0.5], [0, 0, 1], [1 / 6, 1 / 3, 1 / 3, 1 / 6]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6, 0],
  btilde: [0, 0, 0, 1 / 6, -1 / 6],
};

/**
 * Tsit5: Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first column simplifying
 * assumption", Comput. Math. Appl. 62 (2011) 770–775. Coefficients as tabulated there (double precision).
 */
export const TSIT5: ExplicitTableau = {
  kind: "explicit",
  order: 5,
  embeddedOrder: 4,
  errorOrder: 5,
  c: [0, 0.161, 0.327, 0.9, 0.9800255409045097, 1, 1],
  a: [
    [],
    [0.161],
    [-0.008480655492356989, 0.335480655492357],
    [2.897153057105493, -6.359448489975075, 4.3622954328695815],
    [5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525],
    [5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401, -0.028269050394068383],
    [0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774],
  ],
  b: [0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081, 2.324710524099774, 0],
  btilde: [
    -0.00178001105222577714,
    -0.0008164344596567469,
    0.007880878010261995,
    -0.1447110071732629,
    0.5823571654525552,
    -0.45808210592918697,
    1 / 66,
  ],
};

/**
 * DOPRI5: J. R. Dormand, P. J. Prince, "A family of embedded Runge–Kutta formulae",
 * J. Comput. Appl. Math. 6 (1980) 19–26 (error coefficients as in Hairer's DOPRI5 code).
 */
export const DP5: ExplicitTableau = {
  kind: "explicit",
  order: 5,
  embeddedOrder: 4,
  errorOrder: 5,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  btilde: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
};

/**
 * Builds a stiffly accurate Rosenbrock tableau ("Rodas" class): the last two stage points differ by
 * the last-but-one k, x_new = x + Σ_j a_sj·k_j + k_s and the error estimate is k_s.
 */
function rodas(order: number, gamma: number, a: number[][], C: number[][], c: number[], d: number[]): RosenbrockTableau {
  const s = a.length;
  const last = a[s - 1];
  const b = [...last.slice(0, s - 1), 1];
  const btilde = new Array<number>(s).fill(0);
  btilde[s - 1] = 1;
  return { kind: "rosenbrock", order, embeddedOrder: order - 1, errorOrder: order, gamma, a, C, c, d, b, btilde };
}

/**
 * Rodas4: E. Hairer, G. Wanner, Solving Ordinary Differential Equations II, 2nd ed., Springer 1996,
 * §VI.4 — the coefficients of their code RODAS (transformed form). Order 4, embedded order 3,
 * stiffly accurate, L-stable.
 */
export const RODAS4: RosenbrockTableau = rodas(
  4,
  0.25,
  [
    [],
    [1.544],
    [0.9466785280815826, 0.2557011698983284],
    [3.314825187068521, 2.896124015972201, 0.9986419139977817],
    [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895],
    [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.687886036105895, 1],
  ],
  [
    [],
    [-5.6688],
    [-2.430093356833875, -0.2063599157091915],
    [-0.1073529058151375, -9.594562251023355, -20.47028614809616],
    [7.496443313967647, -10.24680431464352, -33.99990352819905, 11.7089089320616],
    [8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054],
  ],
  [0, 0.386, 0.21, 0.63, 1, 1],
  [0.25, -0.1043, 0.1035, -0.0362, 0, 0],
);

/**
 * Rodas4 with Jacobian-free stage solves (a Rosenbrock–Krylov method in the sense of inexact linear
 * algebra): each W·k_i = rhs is solved by GMRES to a residual far below the error tolerance, so the
 * order and stability of Rodas4 are kept; the cost per step is the Krylov iterations (one J·v each).
 */
export const RODAS4_KRYLOV: RosenbrockTableau = { ...RODAS4, krylov: true };

/**
 * Rodas5P: G. Steinebach, "Construction of Rosenbrock–Wanner method Rodas5P and numerical benchmarks
 * within the Julia Differential Equations package", BIT Numer. Math. 63 (2023) 27 (transformed form). Order 5, embedded order 4, stiffly accurate, L-stable; 8 stages (7 f evaluations + the FSAL f).
 */
export const RODAS5P: RosenbrockTableau = rodas(
  5,
  0.21193756319429014,
  [
    [],
    [3.0],
    [2.849394379747939, 0.45842242204463923],
    [-6.954028509809101, 2.489845061869568, -10.358996098473584],
    [2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641],
    [-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946],
    [-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 1],
    [-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 1, 1],
  ],
  [
    [],
    [-14.155112264123755],
    [-17.97296035885952, -2.859693295451294],
    [147.12150275711716, -1.41221402718213, 71.68940251302358],
    [165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306],
    [24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125, -0.6610691825249471],
    [30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783, -19.097331116725623, -28.087943162872662],
    [
      37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047, -40.06618937091002, -54.66780262877968,
      -9.48861652309627,
    ],
  ],
  [0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664, 1, 1, 1],
  [0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734, 2.325825639765069, 0, 0, 0],
);

/** Builds an ESDIRK tableau from its implicit rows (each ending with γ), weights b̂ and nodes. */
function esdirk(order: number, embeddedOrder: number, gamma: number, rows: number[][], bhat: number[], c: number[]): EsdirkTableau {
  const a = [[0], ...rows];
  const b = rows[rows.length - 1].slice();
  const errorOrder = Math.min(order, embeddedOrder) + 1;
  return { kind: "esdirk", order, embeddedOrder, errorOrder, gamma, a, b, btilde: b.map((v, i) => v - bhat[i]), c };
}

const SQRT2 = Math.SQRT2;
const TR_GAMMA = 2 - SQRT2;
const TR_D = TR_GAMMA / 2;
const TR_W = SQRT2 / 4;

/**
 * TR-BDF2 as a 3-stage ESDIRK: R. E. Bank, W. M. Coughran, W. Fichtner, E. H. Grosse, D. J. Rose,
 * R. K. Smith, "Transient simulation of silicon devices and circuits", IEEE Trans. CAD 4 (1985) 436–451;
 * ESDIRK form and third-order embedded weights from M. E. Hosea, L. F. Shampine, "Analysis and
 * implementation of TR-BDF2", Appl. Numer. Math. 20 (1996) 21–37. γ = 2 − √2 (stage 2 is the
 * trapezoidal rule to t + γh), order 2, L-stable; the error estimate is O(h³).
 */
export const TRBDF2: EsdirkTableau = esdirk(
  2,
  3,
  TR_D,
  [
    [TR_D, TR_D],
    [TR_W, TR_W, TR_D],
  ],
  [(1 - TR_W) / 3, (3 * TR_W + 1) / 3, TR_D / 3],
  [0, TR_GAMMA, 1],
);

/**
 * KenCarp58: the implicit (ESDIRK) table of ARK5(4)8L[2]SA₂ from C. A. Kennedy, M. H. Carpenter,
 * "Higher-order additive Runge–Kutta schemes for ordinary differential equations", Appl. Numer. Math.
 * 136 (2019) 183–205 (the default of MLPGradientFlow.jl for P ≤ 1024; SUNDIALS ARK548L2SAb).
 * γ = 2/9, order 5, embedded order 4, stiffly accurate, L-stable.
 */
export const KENCARP58: EsdirkTableau = esdirk(
  5,
  4,
  2 / 9,
  [
    [2 / 9, 2 / 9],
    [2366667076620 / 8822750406821, 2366667076620 / 8822750406821, 2 / 9],
    [-257962897183 / 4451812247028, -257962897183 / 4451812247028, 128530224461 / 14379561246022, 2 / 9],
    [-486229321650 / 11227943450093, -486229321650 / 11227943450093, -225633144460 / 6633558740617, 1741320951451 / 6824444397158, 2 / 9],
    [
      621307788657 / 4714163060173,
      621307788657 / 4714163060173,
      -125196015625 / 3866852212004,
      940440206406 / 7593089888465,
      961109811699 / 6734810228204,
      2 / 9,
    ],
    [
      2036305566805 / 6583108094622,
      2036305566805 / 6583108094622,
      -3039402635899 / 4450598839912,
      -1829510709469 / 31102090912115,
      -286320471013 / 6931253422520,
      8651533662697 / 9642993110008,
      2 / 9,
    ],
    [
      0,
      0,
      3517720773327 / 20256071687669,
      4569610470461 / 17934693873752,
      2819471173109 / 11655438449929,
      3296210113763 / 10722700128969,
      -1142099968913 / 5710983926999,
      2 / 9,
    ],
  ],
  [
    0,
    0,
    520639020421 / 8300446712847,
    4550235134915 / 17827758688493,
    1482366381361 / 6201654941325,
    5551607622171 / 13911031047899,
    -5266607656330 / 36788968843917,
    1074053359553 / 5740751784926,
  ],
  [0, 4 / 9, 6456083330201 / 8509243623797, 1632083962415 / 14158861528103, 6365430648612 / 17842476412687, 18 / 25, 191 / 200, 1],
);
