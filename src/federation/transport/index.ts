// The network transport, browser-safe part (re-exports only): frames, links, the coordinator
// (server round engine), participants, the WebSocket client, and the adapters to src/algorithms.
// Node-only additions (the WebSocket server, the `ws` client): ./node.js.
export { encodeFrame, decodeFrame, FrameType, PROTOCOL_VERSION, NO_ROUND, MAX_TOKEN_BYTES } from "./frames.js";
export type { Frame, FrameTypeName } from "./frames.js";
export { CloseCode, isFinalClose, linkOverWebSocket, linkOverPort, linkPair } from "./link.js";
export type { Link, WebSocketLike, WebSocketCtor, PortLike } from "./link.js";
export { isRepeat } from "./driver.js";
export type { RoundDriver, RoundPlan, RoundOutcome, RepeatRound, ParticipantDriver, ParticipantFactory, LogEvent, Logger } from "./driver.js";
export { Coordinator } from "./coordinator.js";
export type { CoordinatorOptions, CoordinatorState, RoundReport, SessionResult } from "./coordinator.js";
export { Participant, checkParticipantState } from "./participant.js";
export type { ParticipantOptions, ParticipantResult, ParticipantState, LinkEnd } from "./participant.js";
export { PendingGate, WrongTokenLimit } from "./gate.js";
export { joinFederation } from "./client.js";
export type { JoinOptions, Membership } from "./client.js";
export { createAlgorithmRoundDriver, algorithmParticipantFactory, envelopePayloadBits } from "./algorithm-driver.js";
export type { AlgorithmRoundDriver, AlgorithmDriverOptions, ParticipantFactoryOptions } from "./algorithm-driver.js";
export { buildProblem, buildClientProblem, checkProblemSpec, clientShardBytes, DEFAULT_MAX_SHARD_BYTES } from "./problem.js";
export type { ProblemSpec, Problem, ClientProblem, DigitsLoader } from "./problem.js";
export { checkSession } from "./session.js";
export type { SessionSpec, Session } from "./session.js";
export { checkServeConfig } from "./serve-config.js";
export type { ServeConfig } from "./serve-config.js";
export { buildServeCheckpoint, checkServeCheckpoint, SERVE_CHECKPOINT_FORMAT } from "./serve-checkpoint.js";
export type { ServeCheckpoint } from "./serve-checkpoint.js";
export { createSamplerRoundDriver, samplerParticipantFactory, checkSamplerSession, type SamplerRoundDriver, type SamplerDriverOptions, type SamplerParticipantOptions, type SamplerSessionSpec } from "./sampler-driver.js";
