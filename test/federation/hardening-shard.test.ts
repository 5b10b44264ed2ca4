// Clients build only their own shard (issue #10, problem 10): a client's shard equals the
// server's shards[i] bit for bit, and a hostile server whose welcome names absurd sizes gets a
// typed FedquantError from the joining client — before the client allocates them.
import { createRequire } from "node:module";
import { WebSocketServer, type WebSocket } from "ws";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ready } from "../../src/kernel/index.js";
import { FedquantError } from "../../src/errors.js";
import { mnistDigits, mnistSelection } from "../../src/data/mnist-node.js";
import { buildClientProblem, buildProblem, clientShardBytes, checkProblemSpec, type DigitsLoader } from "../../src/federation/transport/problem.js";
import { algorithmParticipantFactory } from "../../src/federation/transport/algorithm-driver.js";
import { joinFederationNode } from "../../src/federation/transport/client-node.js";
import { decodeFrame, encodeFrame, NO_ROUND } from "../../src/federation/transport/frames.js";

beforeAll(async () => { await ready(); });
const digits = (count: number, seed: number) => mnistDigits({ count, seed });
const hasMnist = (() => { try { createRequire(import.meta.url).resolve("mnist"); return true; } catch { return false; } })();

describe("a client builds its own shard only", () => {
  it("logistic: each client's shard is buildProblem's shards[i], bit for bit (even and odd clients)", async () => {
    const spec = { kind: "logistic", clients: 5, perClient: 37, seed: 11 };
    const full = await buildProblem(spec);
    for (let i = 0; i < 5; i++) {
      const mine = await buildClientProblem(spec, i);
      expect(mine.shard).toEqual(full.shards[i]);
      expect(mine.dim).toBe(full.dim);
    }
  });

  it.skipIf(!hasMnist)("MNIST: each client's shard is buildProblem's shards[i], bit for bit", async () => {
    const spec = { kind: "mnist", clients: 4, count: 300, labelsPerClient: 3, seed: 5 };
    const full = await buildProblem(spec, digits);
    for (let i = 0; i < 4; i++) {
      const mine = await buildClientProblem(spec, i, { loadDigits: digits });
      expect(mine.shard.n).toBe(full.shards[i]!.n);
      expect(mine.shard).toEqual(full.shards[i]);
    }
  });

  it.skipIf(!hasMnist)("mnistSelection: its labels and rows are mnistDigits' (same seeded order), without the other rows", () => {
    const all = mnistDigits({ count: 500, seed: 9 });
    const sel = mnistSelection({ count: 500, seed: 9 });
    expect(sel.labels).toEqual(all.y);
    const ix = [499, 0, 17, 250];
    const some = sel.rows(ix);
    expect(some.n).toBe(4);
    ix.forEach((k, j) => {
      expect(some.X.subarray(j * 784, (j + 1) * 784)).toEqual(all.X.subarray(k * 784, (k + 1) * 784));
      expect(some.y[j]).toBe(all.y[k]);
    });
    expect(() => sel.rows([500])).toThrow(expect.objectContaining({ code: "E_DIM" }));
  });

  it.skipIf(!hasMnist)("MNIST with a selective loader: labels first, then only this client's rows; the shard is still shards[i], bit for bit", async () => {
    const spec = { kind: "mnist", clients: 4, count: 300, labelsPerClient: 3, seed: 5 };
    const full = await buildProblem(spec, digits);
    let wholeCalls = 0;
    const asked: number[] = [];
    const loader: DigitsLoader = Object.assign((c: number, s: number) => { wholeCalls++; return digits(c, s); }, {
      select: (c: number, s: number) => {
        const sel = mnistSelection({ count: c, seed: s });
        return { labels: sel.labels, rows: (ix: readonly number[]) => { asked.push(ix.length); return sel.rows(ix); } };
      },
    });
    for (let i = 0; i < 4; i++) {
      const mine = await buildClientProblem(spec, i, { loadDigits: loader });
      expect(mine.shard).toEqual(full.shards[i]);
      expect(asked.at(-1)).toBe(full.shards[i]!.n);
    }
    expect(wholeCalls).toBe(0);
  });

  it.skipIf(!hasMnist)("MNIST with a selective loader: maxShardBytes bounds the client's own rows, checked before they are copied", async () => {
    const spec = { kind: "mnist", clients: 4, count: 300, labelsPerClient: 3, seed: 5 };
    const full = await buildProblem(spec, digits);
    const n0 = full.shards[0]!.n;
    // labels 300 × 8 bytes, then n0 rows × (785 loaded + 786 with the bias) × 8 bytes
    const exact = 300 * 8 + n0 * (785 + 786) * 8;
    let rowsCalls = 0;
    const loader: DigitsLoader = Object.assign((c: number, s: number) => digits(c, s), {
      select: (c: number, s: number) => { const sel = mnistSelection({ count: c, seed: s }); return { labels: sel.labels, rows: (ix: readonly number[]) => { rowsCalls++; return sel.rows(ix); } }; },
    });
    await expect(buildClientProblem(spec, 0, { loadDigits: loader, maxShardBytes: exact - 1 }))
      .rejects.toThrow(expect.objectContaining({ code: "E_CONFIG", message: expect.stringContaining(`${n0} digits, ${exact} bytes`) }));
    expect(rowsCalls).toBe(0);
    expect((await buildClientProblem(spec, 0, { loadDigits: loader, maxShardBytes: exact })).shard.n).toBe(n0);
    // the whole-digits path would have needed all 300 digits twice over
    expect(clientShardBytes(checkProblemSpec(spec))).toBe(300 * (785 + 786) * 8);
    expect(exact).toBeLessThan(clientShardBytes(checkProblemSpec(spec)));
  });

  it("the allocation a spec implies is counted from the spec: 1000 clients × 100k rows cost one client 100k rows", () => {
    const s = checkProblemSpec({ kind: "logistic", clients: 1000, perClient: 100_000, seed: 1 });
    // 100,000 rows × (2 features + 1 label) × 8 bytes, independent of the 1000 clients
    expect(clientShardBytes(s)).toBe(100_000 * 3 * 8);
  });
});

/** A fake server: answers every hello with `welcome` (or any frame bytes), then stays silent. */
const wss: WebSocketServer[] = [];
afterEach(async () => { for (const s of wss.splice(0)) await new Promise((r) => s.close(r)); });
async function fakeServer(reply: () => Uint8Array): Promise<string> {
  const s = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.push(s);
  await new Promise((r) => s.once("listening", r));
  s.on("connection", (ws: WebSocket) => {
    ws.on("message", (data: Buffer) => {
      if (decodeFrame(new Uint8Array(data)).type === "hello") ws.send(reply());
    });
  });
  return `ws://127.0.0.1:${(s.address() as { port: number }).port}`;
}
const welcome = (client: number, problem: unknown): Uint8Array => encodeFrame({
  type: "welcome", round: 0, client, accepted: NO_ROUND,
  session: { algorithm: "sgd", config: { gamma: 0.1 }, problem, seed: 1, rounds: 3 },
});

async function joinError(url: string, opts: { maxShardBytes?: number; maxFrameBytes?: number } = {}): Promise<FedquantError> {
  const m = joinFederationNode(url, {
    token: "any-token-0123456789", retries: 0, maxFrameBytes: opts.maxFrameBytes,
    factory: algorithmParticipantFactory({ loadDigits: digits, maxShardBytes: opts.maxShardBytes }),
  });
  const e = await m.result.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(FedquantError);
  return e as FedquantError;
}

describe("a hostile server cannot make a joining client allocate without bound", () => {
  it("rows per client beyond the validated maximum: E_CONFIG", async () => {
    const url = await fakeServer(() => welcome(0, { kind: "logistic", clients: 2, perClient: 1e12, seed: 1 }));
    const e = await joinError(url);
    expect(e.code).toBe("E_CONFIG");
    expect(e.message).toMatch(/perClient/);
  });

  it("a valid problem whose shard exceeds the client's maxShardBytes: E_CONFIG naming the limit", async () => {
    const url = await fakeServer(() => welcome(999, { kind: "logistic", clients: 1000, perClient: 100_000, seed: 1 }));
    const e = await joinError(url, { maxShardBytes: 2 ** 20 });
    expect(e.code).toBe("E_CONFIG");
    expect(e.message).toMatch(/2400000 bytes.*1048576 bytes \(maxShardBytes\)/);
  });

  it("a client id outside the problem's clients: E_PROTOCOL", async () => {
    const url = await fakeServer(() => welcome(5000, { kind: "logistic", clients: 4, seed: 1 }));
    const e = await joinError(url);
    expect(e.code).toBe("E_PROTOCOL");
    expect(e.message).toMatch(/client 5000.*4 clients/);
  });

  it("MNIST with more digits than the validated maximum: E_CONFIG", async () => {
    const url = await fakeServer(() => welcome(0, { kind: "mnist", clients: 2, count: 1e9, seed: 1 }));
    const e = await joinError(url);
    expect(e.code).toBe("E_CONFIG");
    expect(e.message).toMatch(/count/);
  });

  it("a frame above the client's maxFrameBytes is refused before it is buffered: E_PROTOCOL with close 1009", async () => {
    const url = await fakeServer(() => new Uint8Array(2 ** 20)); // 1 MiB of zeros
    const e = await joinError(url, { maxFrameBytes: 4096 });
    expect(e.code).toBe("E_PROTOCOL");
    expect(e.message).toMatch(/1009/);
  });
});
