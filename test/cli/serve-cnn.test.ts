// `fedquant serve` / `join` with a CNN session ("mnist-model", model "cnn"): the Node model
// builder (src/cli/cnn-model.ts) gives the server and two Node clients E5's CNN through
// fedquant/tfjs, and the served rounds are the federated algorithm's (the simulator's run of the
// same problem, in this process, ends at the same model).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAll, serveAndJoin } from "../helpers/cli-session.js";
import { nodeModelBuilder } from "../../src/cli/cnn-model.js";
import { nodeDigits } from "../../src/cli/commands/serve.js";
import { simulate } from "../../src/federation/simulator.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import { serveFederation, type FederationServer } from "../../src/federation/transport/server-node.js";
import { checkServeConfig } from "../../src/federation/transport/serve-config.js";
import type { SessionSpec } from "../../src/federation/transport/session.js";
import { ready } from "../../src/kernel/index.js";

const session: SessionSpec = {
  algorithm: "artemis", config: { gamma: 0.3, up: { name: "qsgd", params: { s: 4, bucket: 512 } }, down: { name: "qsgd", params: { s: 4, bucket: 512 } } },
  problem: { kind: "mnist-model", model: "cnn", clients: 2, count: 200, labelsPerClient: 5, seed: 2 }, seed: 9, rounds: 2, batchSize: 16,
};
const opts = { loadDigits: nodeDigits, buildModel: nodeModelBuilder };

let srv: FederationServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "fedquant-cnn-"));
beforeAll(async () => { await ready(); });
afterAll(async () => {
  await srv?.close();
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe("a served CNN session", () => {
  it("builds E5's CNN (5,386 weights) and runs 2 rounds with 2 Node clients, as the simulator does", { timeout: 240_000 }, async () => {
    const driver = await createAlgorithmRoundDriver(session, opts);
    // conv 5×5×1×8 + 8 (28 → 12 × 12), conv 3×3×8×16 + 16 (12 → 5 × 5), dense (5·5·16)×10 + 10
    expect(driver.problem.dim).toBe(5 * 5 * 8 + 8 + 3 * 3 * 8 * 16 + 16 + 5 * 5 * 16 * 10 + 10);
    const tokens = ["cnn-zero", "cnn-one"];
    srv = await serveFederation(driver, { tokens, deadlineMs: 600_000, maxFrameBytes: 1 << 22 });
    const factory = algorithmParticipantFactory(opts);
    const members = tokens.map((token) => joinFederationNode(srv!.url, { token, factory }));
    const done = await srv.finished;
    await Promise.all(members.map((m) => m.result));
    expect(done.reports).toHaveLength(2);
    for (const r of done.reports) {
      expect(r.participants).toEqual([0, 1]);
      expect(r.bitsUp).toBeGreaterThan(0);
      expect(Number.isFinite(r.outcome.loss)).toBe(true);
    }

    const ref = await createAlgorithmRoundDriver(session, { ...opts, evaluate: false });
    const sim = simulate({ algorithm: ref.checked.algorithm, objective: ref.problem.objective, workers: ref.problem.shards, w0: ref.problem.w0,
      iterations: 2, batchSize: ref.checked.batchSize, seed: ref.checked.seed });
    expect(Array.from(driver.server.model)).toEqual(Array.from(sim.finalW));
  });

  it("refuses a model it cannot build with E_CONFIG naming the one it knows", async () => {
    await expect(nodeModelBuilder("resnet", 1)).rejects.toMatchObject({ code: "E_CONFIG", message: expect.stringMatching(/problem.model must be one of "cnn".*got "resnet"/) });
  });

  it("the shipped example is a valid serve config", () => {
    const cfg = checkServeConfig(JSON.parse(readFileSync("examples/serve-mnist-cnn.json", "utf8")));
    expect(cfg.session.problem).toMatchObject({ kind: "mnist-model", model: "cnn" });
  });

  it("`fedquant serve` of the example (2 clients, 2 rounds) with two `fedquant join` processes runs to the end", async () => {
    const cfg = JSON.parse(readFileSync("examples/serve-mnist-cnn.json", "utf8"));
    cfg.session.rounds = 2;
    cfg.session.problem = { ...cfg.session.problem, clients: 2, count: 200, labelsPerClient: 5 };
    cfg.tokens = ["cnn-token-of-client-0", "cnn-token-of-client-1"];
    writeFileSync(join(dir, "serve.json"), JSON.stringify(cfg));
    const results = join(dir, "reports.json");
    const { lines, reports } = await serveAndJoin(join(dir, "serve.json"), cfg.tokens, results);
    expect(reports.reports).toHaveLength(2);
    const sent = lines.map((l) => Number(/payload bits sent (\d+)/.exec(l)![1]));
    expect(sent[0]! + sent[1]!).toBe(reports.bitsUp);
    expect(reports.bitsUp).toBeGreaterThan(0);
  }, 240_000);
});
