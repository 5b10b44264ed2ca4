// The network transport with its Node-only parts (re-exports only): everything of index.ts plus
// the WebSocket server and the `ws`-based client. Browser bundles import ./index.js instead.
export * from "./index.js";
export { serveFederation } from "./server-node.js";
export type { ServeOptions, FederationServer } from "./server-node.js";
export { joinFederationNode } from "./client-node.js";
export { writeServeCheckpoint, readServeCheckpoint } from "./serve-checkpoint-node.js";
