/**
 * Generic ODE integrators for dx/dt = f(t, x): explicit Runge–Kutta (Euler, RK4, Tsit5, DP5),
 * Rosenbrock (Rodas4, Rodas5P) and ESDIRK (TR-BDF2, KenCarp58) methods with shared step-size control
 * and dense output. Nothing here knows about neural networks.
 * @packageDocumentation
 */
export { solveOde, solveOdeSteps, defaultMethod, METHODS, DEFAULT_STIFF_SWITCH } from "./solve.js";
export type { MethodName, OdeFunction, OdeResumeState, SolveOptions, SolveResult, SolveStatus, StepInfo } from "./types.js";
export type { EsdirkTableau, ExplicitTableau, RosenbrockTableau, Tableau } from "./tableaus.js";
