/**
 * mlp-gradient-flow: exact losses, gradients and Hessians of multilayer perceptrons in WebAssembly.
 * Call `await init()` once, then use {@link Net}.
 * @packageDocumentation
 */
export { PARALLEL_MIN_SAMPLES, isInitialized } from "./engine/kernels.js";
export { init, threadCount } from "./engine/init.js";
export type { InitOptions } from "./engine/init.js";
export type { WasmSource } from "./engine/kernels.js";
export { MLPGFError } from "./errors.js";
export type { MLPGFErrorCode } from "./errors.js";
export { isMLPGFError } from "./errors.js";
export type { DifferentiableModel, TwiceDifferentiableModel } from "./model.js";
export { ACTIVATIONS } from "./api/activations.js";
export type { Activation, ActivationName } from "./api/activations.js";
export type { LayerSpec, NormalizedLayer } from "./api/layers.js";
export type { Matrix, MatrixLike } from "./api/matrix.js";
export { Net } from "./api/net.js";
export type { LossOptions, LossType, NetOptions } from "./api/net.js";
export { gaussianInput } from "./api/gaussianinput.js";
export type { GaussianInputOptions } from "./api/gaussianinput.js";
export { params } from "./api/params.js";
export type { ParamsDict, RandomParamsOptions } from "./api/params.js";
export { weightnorm } from "./api/regularizers.js";
export type { MergeOption } from "./api/regularizers.js";
export { hessianSpectrum, symmetricEigen } from "./api/spectrum.js";
export { eigenvector } from "./api/eigenvector.js";
export { minimize } from "./optim/minimize.js";
export type { Method as OptimMethod, MethodOptions as OptimMethodOptions } from "./optim/minimize.js";
export type { BFGSOptions } from "./optim/bfgs.js";
export type { LineSearchOptions } from "./optim/linesearch.js";
export type { NewtonCGOptions } from "./optim/newtoncg.js";
export type { SubproblemOptions } from "./optim/moresorensen.js";
export type { LBFGSOptions } from "./optim/lbfgs.js";
export type { NewtonOptions } from "./optim/newton.js";
export type { TrustRegionOptions } from "./optim/trustregion.js";
export type { Evaluations, IterationInfo, Objective, OptimOptions, OptimResult, StopReason as OptimStopReason } from "./optim/types.js";
export { solveOde } from "./ode/solve.js";
export type {
  MethodName as OdeMethod,
  OdeResumeState,
  OdeFunction,
  SolveOptions,
  SolveResult,
  SolveStatus,
  StepInfo,
} from "./ode/types.js";
export { train } from "./train/train.js";
export type { DiscreteRule, ProgressInfo, TrainEvaluations, TrainOptions } from "./train/options.js";
export { STOP_KINDS } from "./train/stop.js";
export type { StopKind, TrainStop } from "./train/stop.js";
export type { TrainResult } from "./train/result.js";
export type { TrajectoryPoint } from "./train/trajectory.js";
export { TeacherNet } from "./api/teacher.js";
export type { TeacherNetOptions } from "./api/teacher.js";
export { NetI } from "./api/neti.js";
export type { NetIOptions } from "./api/neti.js";
export { gaussHermiteNet } from "./api/gausshermitenet.js";
export type { GaussHermiteOptions } from "./api/gausshermitenet.js";
export { splitNeuron } from "./landscape/splitneuron.js";
export type { SplitNeuronOptions } from "./landscape/splitneuron.js";
export { mergeNeurons } from "./landscape/mergeneurons.js";
export { growNet, shrinkNet } from "./landscape/resizenet.js";
export type { LayerOption, Network } from "./landscape/network.js";
export { cosineSimilarity } from "./landscape/cosinesimilarity.js";
export { trajectoryDistance } from "./landscape/trajectorydistance.js";
export type { Trajectory, TrajectoryDistance } from "./landscape/trajectorydistance.js";
export { LinearSubspace, toLocalCoords } from "./landscape/linearsubspace.js";
export { subspaceMinloss } from "./landscape/subspaceminloss.js";
export type { SubspaceMethod, SubspaceMinlossOptions, SubspaceMinlossResult, SubspaceObjective } from "./landscape/subspaceminloss.js";
export { subspaceMinlossOnGrid } from "./landscape/subspacegrid.js";
export type { SubspaceGrid, SubspaceGridOptions, SubspaceGridResult } from "./landscape/subspacegrid.js";
export {
  META_ENTRY,
  RESULT_FORMAT,
  RESULT_VERSION,
  loadResult,
  resultFromJSON,
  resultFromNpz,
  resultToJSON,
  resultToNpz,
  saveResult,
} from "./io/index.js";
export type { ResultFormat, SaveResultOptions } from "./io/index.js";
export { trainMany } from "./train/many.js";
export type { ManyProgressInfo, TrainManyOptions } from "./train/many.js";
export type { CheckpointOptions, StoredTrainOptions } from "./options/train.js";
export { classifyEndpoint, lambdaMinClass, EIGEN_TOLERANCE, GRADIENT_TOLERANCE } from "./analysis/classifyendpoint.js";
export type { ClassifyEndpointOptions, EndpointClassification, EndpointKind, LambdaMinClass } from "./analysis/classifyendpoint.js";
export { findChannels, MAX_COSINE_DISTANCE, MIN_LATE_SHARE, MIN_OUT_SUM } from "./analysis/findchannels.js";
export type { ChannelPair, FindChannelsOptions } from "./analysis/findchannels.js";
export { channelCoordinates, fromChannelCoordinates, jumpAlongChannel } from "./analysis/channels.js";
export type { ChannelCoordinates, NeuronPair } from "./analysis/channels.js";
export { alignNeurons } from "./analysis/alignneurons.js";
export type { AlignableModel, AlignNeuronsOptions, NeuronAlignment } from "./analysis/alignneurons.js";
export { perturb } from "./analysis/perturb.js";
export type { Perturbation, PerturbOptions } from "./analysis/perturb.js";
export { collectSweep, planSweep, runSweep } from "./sweep/api.js";
export type { SweepTable } from "./sweep/collect.js";
export type { Cell as SweepCell } from "./sweep/csv.js";
export type { PlanOptions, SweepPlan, SweepRun } from "./sweep/plan.js";
export type { RunSweepOptions, SweepCounts, SweepProgress, SweepRecord, SweepRunInfo, SweepRunSummary } from "./sweep/runner.js";
export type { Shard } from "./sweep/shard.js";
export type { GridValue, SweepSpec } from "./sweep/spec.js";
export type { SweepFormat } from "./sweep/layout.js";
export type { EndpointRecord } from "./cli/endpoint.js";
