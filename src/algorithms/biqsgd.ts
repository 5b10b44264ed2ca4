// Bi-QSGD (Philippenko & Dieuleveut 2020, Artemis with α = 0; spec/optimization.md "α = 0 gives
// bidirectional QSGD"): Δ^i = C_up(g^i), w ← w − γ C_down((1/N) Σ_i Δ^i) on server and workers.
import { ArtemisClient, ArtemisServer } from "./artemis.js";
import { QSGD1 } from "./config.js";
import type { AlgorithmSpec } from "./spec.js";

export const biqsgd: AlgorithmSpec = {
  name: "biqsgd",
  id: 4,
  summary: "Bi-QSGD: compression both ways, no memory (Artemis with α = 0)",
  rules: {
    keys: ["up", "down"], upDefault: QSGD1, downDefault: QSGD1,
    hints: { alpha: "Bi-QSGD is Artemis with α = 0: use artemis for a memory", serverMemory: "Bi-QSGD has no memory: use artemis" },
  },
  upMemory: false,
  downMemory: false,
  Server: ArtemisServer,
  Client: ArtemisClient,
};
