// DIANA (Mishchenko et al. 2019; spec/optimization.md "DIANA"): client Δ_k^i = C_up(g_k^i − h_k^i),
// h_{k+1}^i = h_k^i + αΔ_k^i; server ĝ_k = (1/N) Σ_i Δ_k^i + h_k, h_{k+1} = h_k + α (1/N) Σ_i Δ_k^i;
// w_k = w_{k−1} − γ ĝ_k. The downlink is the uncompressed update f32(ĝ): Artemis' state machine
// with C_down = identity. With up = "dostovoq": DoStoVoQ-VR-DIANA ("dostovoq-vr-diana").
import { ArtemisClient, ArtemisServer } from "./artemis.js";
import { IDENTITY, QSGD1 } from "./config.js";
import type { AlgorithmSpec } from "./spec.js";

export const diana: AlgorithmSpec = {
  name: "diana",
  id: 3,
  summary: "DIANA: compressed uplink with memory h^i, uncompressed (f32) downlink (Mishchenko et al. 2019)",
  rules: {
    keys: ["up", "alpha", "serverMemory", "memoryInit"], upDefault: QSGD1, downDefault: IDENTITY,
    hints: { down: "DIANA's downlink is uncompressed: use artemis" },
  },
  upMemory: true,
  downMemory: false,
  Server: ArtemisServer,
  Client: ArtemisClient,
};
