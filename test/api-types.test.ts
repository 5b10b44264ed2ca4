// Wrong-typed arguments at every public entry give a FedquantError (E_CONFIG / E_INPUT) that names
// the parameter, the expected type and what was given ("got number 3") — never a bare TypeError,
// RangeError, a wasm trap or a silent default. fast-check draws the wrong values.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bayesModel, compressorNames, createAlgorithm, createCompressor, federatedSampler, FedquantError, gaussianPrior,
  kernel, logistic, mala, RandomStream, ready, sgld, simulate, syntheticHeterogeneousLogistic,
} from "../src/index.js";

type Kind = "string" | "number" | "bigint" | "boolean" | "null" | "undefined" | "array" | "object";
const kindOf = (v: unknown): Kind => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v) as Kind;

/** Values of every kind but the accepted ones (undefined only where the argument is required). */
function wrong(accepted: readonly Kind[], required = true): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double()),
    fc.string({ maxLength: 6 }),
    fc.constant(null),
    fc.boolean(),
    fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("a", "b", "zz"), fc.integer(), { maxKeys: 2 }),
    fc.bigInt({ min: -5n, max: 5n }),
    ...(required ? [fc.constant(undefined)] : []),
  ).filter((v) => !accepted.includes(kindOf(v)));
}

const NUM = /number|integer/;

function checkError(e: unknown, param: string, expected: RegExp, v: unknown): void {
  if (!(e instanceof FedquantError)) throw new Error(`${param} = ${String(v)}: not a FedquantError: ${String(e)}`);
  expect(["E_CONFIG", "E_INPUT"], e.message).toContain(e.code);
  expect(e.message, `names the parameter ${param}`).toContain(param);
  expect(e.message, "names the expected type").toMatch(expected);
  expect(e.message, "names the type given").toContain(`got ${kindOf(v)}`);
}

function expectTypeError(param: string, expected: RegExp, accepted: readonly Kind[], call: (v: unknown) => unknown, required = true): void {
  fc.assert(fc.property(wrong(accepted, required), (v) => {
    let err: unknown = null;
    try { call(v); } catch (e) { err = e; }
    if (err === null) throw new Error(`${param} = ${String(v)} was accepted`);
    checkError(err, param, expected, v);
  }), { seed: 14, numRuns: 60 });
}

async function expectTypeErrorAsync(param: string, expected: RegExp, accepted: readonly Kind[], call: (v: unknown) => Promise<unknown>, required = true): Promise<void> {
  await fc.assert(fc.asyncProperty(wrong(accepted, required), async (v) => {
    let err: unknown = null;
    try { await call(v); } catch (e) { err = e; }
    if (err === null) throw new Error(`${param} = ${String(v)} was accepted`);
    checkError(err, param, expected, v);
  }), { seed: 14, numRuns: 40 });
}

const anyArg = (f: unknown) => f as (...a: unknown[]) => unknown;

beforeAll(async () => { await ready(); });

describe("createCompressor", () => {
  it("says `unknown compressor \"3\"` for createCompressor(3) and that the name must be a string", () => {
    expect(() => anyArg(createCompressor)(3)).toThrow(/compressor name must be a string, got number 3/);
  });
  it("a wrong-typed name", () => expectTypeError("compressor name", /string/, ["string"], (v) => anyArg(createCompressor)(v)));
  it("wrong-typed parameters", () => expectTypeError("parameters", /object/, ["object"], (v) => anyArg(createCompressor)("qsgd", v), false));
  // parameters documented to take a second type (hsq: sharedCodebook true = seed 1)
  const ALSO: Record<string, Kind[]> = { sharedCodebook: ["boolean"] };
  it("every parameter of every compressor, wrong-typed", () => {
    for (const name of compressorNames()) {
      for (const [key, def] of Object.entries(createCompressor(name).params)) {
        const k = kindOf(def);
        const expected = k === "number" ? NUM : k === "boolean" ? /boolean|true or false/ : /string|one of|"\w+" or "\w+"/;
        expectTypeError(key, expected, [k, ...(ALSO[key] ?? [])], (v) => createCompressor(name, { [key]: v }), false);
      }
    }
  });
});

describe("createAlgorithm", () => {
  it("a wrong-typed name", () => expectTypeError("algorithm name", /string/, ["string"], (v) => anyArg(createAlgorithm)(v, { gamma: 0.1 })));
  it("a wrong-typed config", () => expectTypeError("config", /object/, ["object"], (v) => anyArg(createAlgorithm)("sgd", v)));
  const keys: [string, RegExp, Kind[]][] = [
    ["gamma", NUM, ["number"]], ["up", /string|object/, ["string", "object"]], ["down", /string|object/, ["string", "object"]],
    ["alpha", NUM, ["number"]], ["participation", /number|object/, ["number", "object"]],
    ["aggregate", /string|"mean"/, ["string"]], ["serverMemory", /string|"all-workers"/, ["string"]],
    ["memoryInit", /string|"zero"/, ["string"]],
  ];
  for (const [key, expected, accepted] of keys) {
    it(`a wrong-typed ${key}`, () => expectTypeError(key, expected, accepted,
      (v) => createAlgorithm("artemis", { gamma: 0.1, [key]: v } as never), key === "gamma"));
  }
  it("createServer / createClient arguments", () => {
    const a = createAlgorithm("sgd", { gamma: 0.1 });
    const ok = { w0: [0, 0], clients: 2, seed: 1 };
    expectTypeError("createServer options", /object/, ["object"], (v) => anyArg(a.createServer.bind(a))(v));
    expectTypeError("w0", /array/, ["array", "object"], (v) => a.createServer({ ...ok, w0: v } as never));
    expectTypeError("clients", /number|count|list/, ["number", "array"], (v) => a.createServer({ ...ok, clients: v } as never));
    expectTypeError("seed", /integer|bigint|string/, ["number", "bigint", "string"], (v) => a.createServer({ ...ok, seed: v } as never));
    expectTypeError("id", NUM, ["number"], (v) => a.createClient({ w0: [0, 0], seed: 1, id: v } as never));
  });
});

describe("simulate", () => {
  const data = syntheticHeterogeneousLogistic({ workers: 2, perWorker: 4, seed: 1 });
  const ok = { algorithm: "sgd", gamma: 0.1, objective: logistic({ p: 2 }), workers: data.workers, iterations: 1, seed: 1 };
  it("a wrong-typed options object", () => expectTypeError("options", /object/, ["object"], (v) => anyArg(simulate)(v)));
  const keys: [string, RegExp, Kind[], boolean][] = [
    ["algorithm", /string|Algorithm/, ["string", "object"], true], ["gamma", NUM, ["number"], false],
    ["iterations", NUM, ["number"], true], ["evalEvery", NUM, ["number"], false], ["threads", NUM, ["number"], false],
    ["seed", /integer|bigint|string/, ["number", "bigint", "string"], true], ["objective", /Objective/, [], true],
    ["workers", /array/, ["array"], true], ["batchSize", /number|integer/, ["number", "object"], false],
  ];
  for (const [key, expected, accepted, required] of keys) {
    it(`a wrong-typed ${key}`, () => expectTypeError(key, expected, accepted, (v) => simulate({ ...ok, [key]: v } as never), required));
  }
});

describe("RandomStream and the kernel's fills", () => {
  it("RandomStream.of's arguments", () => {
    expectTypeError("seed", /integer|bigint/, ["number", "bigint"], (v) => RandomStream.of(v as never, "test"));
    expectTypeError("purpose", /string|one of/, ["string"], (v) => RandomStream.of(1, v as never));
    expectTypeError("round", NUM, ["number"], (v) => RandomStream.of(1, "test", v as never), false);
    expectTypeError("worker", NUM, ["number"], (v) => RandomStream.of(1, "test", 0, v as never), false);
  });
  it("counts given to the stream's methods", () => {
    const s = RandomStream.of(1, "test");
    for (const m of ["uniforms", "uniforms53", "normals", "words", "permutation", "int"] as const) {
      expectTypeError(m, NUM, ["number"], (v) => anyArg(s[m].bind(s))(v));
    }
    expectTypeError("sampleWithoutReplacement", NUM, ["number"], (v) => s.sampleWithoutReplacement(v as never, 1));
    expectTypeError("sampleWithoutReplacement", NUM, ["number"], (v) => s.sampleWithoutReplacement(5, v as never));
  });
  it("fillNormal / fillUniform given something other than a RandomStream and a Float32Array", () => {
    const k = kernel();
    for (const m of ["fillNormal", "fillUniform"] as const) {
      expectTypeError("RandomStream", /RandomStream/, [], (v) => anyArg(k[m].bind(k))(v, new Float32Array(4)));
      expectTypeError("Float32Array", /Float32Array/, [], (v) => anyArg(k[m].bind(k))(RandomStream.of(1, "test"), v));
    }
  });
});

describe("ready", () => {
  it("wrong-typed options, flavour and source", async () => {
    await expectTypeErrorAsync("options", /object/, ["object"], (v) => anyArg(ready)(v) as Promise<unknown>, false);
    await expectTypeErrorAsync("flavour", /string|one of/, ["string"], (v) => ready({ flavour: v as never }), false);
    await expectTypeErrorAsync("source", /object/, ["object"], (v) => ready({ source: v as never }), false);
  });
});

describe("samplers", () => {
  const data = syntheticHeterogeneousLogistic({ workers: 2, perWorker: 4, seed: 1 });
  const model = bayesModel({ likelihood: logistic({ p: 2 }), prior: gaussianPrior(10), clients: data.workers });
  it("federatedSampler's parameters", () => {
    expectTypeError("sampler parameters", /object/, ["object"], (v) => anyArg(federatedSampler)(model, v));
    const ok = { algorithm: "qlsd++", stepSize: 0.01 };
    const keys: [string, RegExp, Kind[], boolean][] = [
      ["algorithm", /string|one of|known/, ["string"], true], ["stepSize", NUM, ["number"], true],
      ["batchSize", NUM, ["number"], false], ["participation", NUM, ["number"], false], ["refresh", NUM, ["number"], false],
      ["memory", /boolean|true or false/, ["boolean"], false], ["compressor", /Compressor/, [], false],
    ];
    for (const [key, expected, accepted, required] of keys) {
      expectTypeError(key, expected, accepted, (v) => federatedSampler(model, { ...ok, [key]: v } as never), required);
    }
  });
  it("a model that is not a BayesModel, given to each sampler and to bayesModel", () => {
    expectTypeError("model", /BayesModel/, [], (v) => federatedSampler(v as never, { algorithm: "qlsd++", stepSize: 0.01 }));
    expectTypeError("model", /BayesModel/, [], (v) => sgld(v as never, { stepSize: 0.01, batchSize: 2 }));
    expectTypeError("model", /BayesModel/, [], (v) => mala(v as never, { stepSize: 0.01 }));
    expectTypeError("options", /object/, ["object"], (v) => anyArg(bayesModel)(v));
  });
  it("sgld's and mala's parameters", () => {
    expectTypeError("parameters", /object/, ["object"], (v) => anyArg(sgld)(model, v));
    expectTypeError("parameters", /object/, ["object"], (v) => anyArg(mala)(model, v));
    expectTypeError("stepSize", NUM, ["number"], (v) => sgld(model, { stepSize: v as never, batchSize: 2 }));
    expectTypeError("batchSize", NUM, ["number"], (v) => sgld(model, { stepSize: 0.01, batchSize: v as never }));
    expectTypeError("stepSize", NUM, ["number"], (v) => mala(model, { stepSize: v as never }));
  });
});
