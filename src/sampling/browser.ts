// The browser-safe part of src/sampling (no node:* imports). index.ts adds the Node-only disk runner.
export { flatPrior, gaussianPrior, type Prior } from "./prior.js";
export { bayesModel, clientPotential, dataPotential, potential, potentialGrad, type BayesModel, type BayesModelOptions, type ClientPotential } from "./model.js";
export { resolveParams, SAMPLER_ALGORITHMS, type SamplerAlgorithm, type SamplerParams, type ResolvedParams, type ControlVariate } from "./options.js";
export { createSamplerClient, createSamplerServer, samplerAlgorithm, langevinHooks, type SamplerClient } from "./parties.js";
export { qlsdOracle, type QlsdOracle, type OracleParams } from "./oracle.js";
export { simulateRound, simulateRoundAsync, type RoundClients, type RoundClientsFactory, type AsyncRoundClients, type AsyncRoundClientsFactory, type SamplerJob } from "./simulate.js";
export { sampleChain, sampleChainAsync, isKept, roundOfSample, NO_BITS, type Chain, type FederatedChain, type ChainState, type BitTotals, type StateValue, type InitOptions, type SamplingAlgorithm, type Sample, type SampleOptions } from "./chain.js";
export { federatedSampler, lsd, qlsdSharp, qlsdStar, qlsdPlusPlus, federatedSgld } from "./federated.js";
export { sgld, type SgldParams } from "./sgld.js";
export { mala, type MalaParams, type MalaChain } from "./mala.js";
export { findMode, type ModeOptions, type ModeResult } from "./mode.js";
export { chainSeed } from "./streams.js";
export { Welford } from "./welford.js";
export { essImse, essBatchMeans, splitRhat, diagnose, coordinate, type ChainDiagnostics } from "./ess.js";
export { autocovariance } from "./fft.js";
export { PredictiveAccumulator, classificationMetrics, calibrationBins, classLabels, type PredictiveMetrics, type CalibrationBin } from "./predictive.js";
export { encodeState, decodeState } from "./state-codec.js";
