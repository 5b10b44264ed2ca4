// The chaos run, small (issue #10; the full one is `npm run chaos:federation`, docs/network.md):
// `fedquant serve --out` and two `fedquant join --state` processes; one client SIGKILLed and
// restarted or SIGSTOPped and SIGCONTed (Philox-seeded choice), the server SIGKILLed once and
// restarted with --resume. With absent "repeat" every round is run with every client, so the
// final server state, the per-round losses and bits and each client's state must equal an
// undisturbed run of the same session (here in process) bit for bit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { algorithmParticipantFactory, createAlgorithmRoundDriver } from "../../src/federation/transport/algorithm-driver.js";
import { serveFederation } from "../../src/federation/transport/server-node.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import { chaosSession, chaosTokens, killStarted, runSession } from "../../scripts/fed-chaos-lib.js";

const dir = mkdtempSync(join(tmpdir(), "fedquant-chaos-test-"));
beforeAll(async () => { await ready(); });
afterAll(() => { killStarted(); rmSync(dir, { recursive: true, force: true }); });

describe("chaos (small)", () => {
  it("clients killed or paused and the server killed and resumed: the run ends as the undisturbed one, bit for bit (absent: repeat)", async () => {
    const clients = 2, rounds = 24;
    const session = chaosSession(clients, rounds);
    const tokens = chaosTokens(clients);
    const refDriver = await createAlgorithmRoundDriver(session, { absent: "repeat" });
    const ref = await serveFederation(refDriver, { tokens, deadlineMs: 20_000, maxFrameBytes: 1 << 20 });
    const members = tokens.map((token) => joinFederationNode(ref.url, { token, factory: algorithmParticipantFactory() }));
    const refResult = await ref.finished;
    await Promise.all(members.map((m) => m.result));
    await ref.close();

    // rounds ≥ 300 ms apart: event n waits for a window of ~7 rounds, polled every 200–600 ms; at
    // 50 ms a quiet machine ran the whole window between two polls and the second event never came
    const chaos = await runSession({
      dir, clients, rounds, roundGapMs: 300, seed: 2, absent: "repeat", serverKills: 1, maxEvents: 2,
      eventGapMs: [200, 600], timeoutMs: 200_000,
    }, "chaos", true);
    // the chaos did happen: one server kill and two client events
    expect(chaos.events.filter((e) => /server SIGKILLed/.test(e))).toHaveLength(1);
    expect(chaos.events.filter((e) => /client \d (SIGKILLed|SIGSTOPped)/.test(e))).toHaveLength(2);
    expect(chaos.server).toEqual(JSON.parse(JSON.stringify(refDriver.server.toJSON())));
    expect(chaos.reports.map((r) => [r.round, r.outcome.loss, r.bitsUp, r.bitsDown, r.participants]))
      .toEqual(refResult.reports.map((r) => [r.round, r.outcome.loss, r.bitsUp, r.bitsDown, r.participants]));
    expect(chaos.clients).toEqual(members.map((m) => JSON.parse(JSON.stringify(m.participant.exportState()!.driver))));
  }, 240_000);
});
