// QSGD (Alistarh et al. 2017; spec/optimization.md "QSGD"): w_k = w_{k−1} − γ (1/N) Σ_i C_up(g_k^i).
// Unidirectional: the downlink is the uncompressed update f32(ĝ) (identity), and no memory —
// Artemis' state machine with α = 0 and C_down = identity. With up = "dostovoq" this is
// DoStoVoQ-SGD (spec/optimization.md "DoStoVoQ-SGD"; registered as "dostovoq-sgd").
import { ArtemisClient, ArtemisServer } from "./artemis.js";
import { IDENTITY, QSGD1 } from "./config.js";
import type { AlgorithmSpec } from "./spec.js";

export const qsgd: AlgorithmSpec = {
  name: "qsgd",
  id: 2,
  summary: "QSGD: compressed uplink, uncompressed (f32) downlink, no memory (Alistarh et al. 2017)",
  rules: {
    keys: ["up"], upDefault: QSGD1, downDefault: IDENTITY,
    hints: { alpha: "QSGD has no memory: use diana", down: "QSGD's downlink is uncompressed: use biqsgd or artemis", serverMemory: "QSGD has no memory: use diana" },
  },
  upMemory: false,
  downMemory: false,
  Server: ArtemisServer,
  Client: ArtemisClient,
};
