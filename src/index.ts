/**
 * mlp-gradient-flow: exact losses, gradients and Hessians of multilayer perceptrons in WebAssembly.
 * Call `await init()` once, then use {@link Net}.
 * @packageDocumentation
 */
export { init, isInitialized } from "./engine/kernels.js";
export type { WasmSource } from "./engine/kernels.js";
export { MLPGFError } from "./errors.js";
export type { MLPGFErrorCode } from "./errors.js";
export { isMLPGFError } from "./errors.js";
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
export { train } from "./train/train.js";
export type { DiscreteRule, ProgressInfo, TrainOptions } from "./train/options.js";
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
export { META_ENTRY, RESULT_FORMAT, RESULT_VERSION, loadResult, resultFromJSON, resultFromNpz, resultToJSON, resultToNpz, saveResult } from "./io/index.js";
export type { ResultFormat, SaveResultOptions } from "./io/index.js";
export { trainMany } from "./train/many.js";
export type { ManyProgressInfo, TrainManyOptions } from "./train/many.js";
export type { CheckpointOptions } from "./train/checkpoint.js";
