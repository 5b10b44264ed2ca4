// The demo's settings check (demo/src/settings.ts): every numeric input is bounded in code (an
// HTML max is only a hint), α is filled in for biased compressors, and a checked session is one
// `fedquant serve` accepts.
import { describe, expect, it } from "vitest";
import { createAlgorithm } from "../../src/algorithms/index.js";
import { checkServeConfig } from "../../src/federation/transport/serve-config.js";
import { checkField, LIMITS, parseSettings, type Field, type SettingsFields } from "../../demo/src/settings.js";
import { serveConfig } from "../../demo/src/results.js";
import { FedquantError } from "../../src/errors.js";

const base: SettingsFields = {
  problem: "mnist", clients: "4", labels: "3", count: "2000", seed: "1",
  algorithm: "artemis", up: "qsgd", "up-params": '{"s":4,"bucket":512}', down: "qsgd", "down-params": '{"s":4,"bucket":512}',
  gamma: "0.5", alpha: "", participation: "1", batch: "32", rounds: "40", deadline: "", pace: "50", target: "",
};
const withField = (patch: Partial<SettingsFields>): SettingsFields => ({ ...base, ...patch });

function configError(f: () => unknown): FedquantError {
  try { f(); } catch (e) { expect(e).toBeInstanceOf(FedquantError); expect((e as FedquantError).code).toBe("E_CONFIG"); return e as FedquantError; }
  throw new Error("expected an E_CONFIG");
}

describe("demo settings: limits", () => {
  it("refuses 200 clients (the 16-worker bound that an HTML max did not enforce)", () => {
    expect(configError(() => parseSettings(withField({ clients: "200" }))).message).toMatch(/clients must be an integer in \[1, 16\], got "200"/);
  });

  // each bounded field just outside its range, and a non-number, is an E_CONFIG naming the field
  const outside: [Field, string][] = [];
  for (const [k, l] of Object.entries(LIMITS) as [Field, (typeof LIMITS)[Field]][]) {
    outside.push([k, String(l.max + 1)], [k, String(l.min - 1)], [k, "abc"]);
    if (l.kind === "int") outside.push([k, String(l.min + 0.5)]);
  }
  it.each(outside)("refuses %s = %s", (field, text) => {
    expect(configError(() => checkField(field, text)).message).toContain(LIMITS[field].what);
  });

  it.each(Object.entries(LIMITS) as [Field, (typeof LIMITS)[Field]][])("accepts %s at both ends of its range (open ends excluded)", (field, l) => {
    expect(checkField(field, String(l.max))).toBe(l.max);
    if ("minOpen" in l && l.minOpen) expect(() => checkField(field, String(l.min))).toThrow(FedquantError);
    else expect(checkField(field, String(l.min))).toBe(l.min);
  });

  it("passes every bounded field of the form through the check (no field read unchecked)", () => {
    for (const [field, text] of [["labels", "11"], ["count", "9001"], ["seed", "-1"], ["gamma", "0"], ["participation", "1.5"], ["batch", "0"], ["rounds", "10001"], ["deadline", "5"], ["pace", "10001"], ["alpha", "2"], ["target", "-1"]] as const) {
      expect(() => parseSettings(withField({ [field]: text })), `${field} = ${text}`).toThrow(FedquantError);
    }
  });

  it("ignores the digit fields for the logistic problem (they are disabled there)", () => {
    const s = parseSettings(withField({ problem: "logistic", count: "abc", labels: "99" }));
    expect(s.session.problem).toEqual({ kind: "logistic", clients: 4, perClient: 200, seed: 1 });
  });

  it("reads an empty deadline as none, and an empty batch as full", () => {
    const s = parseSettings(withField({ deadline: "", batch: "" }));
    expect(s.deadlineMs).toBeUndefined();
    expect(s.session.batchSize).toBe("full");
    expect(parseSettings(withField({ deadline: "2500" })).deadlineMs).toBe(2500);
  });
});

describe("demo settings: α for biased compressors", () => {
  it("fills α = 1 for a biased uplink (top-k) where the algorithm would refuse to build", () => {
    const cfg = { gamma: 0.5, up: { name: "topk", params: { k: 78 } }, down: { name: "qsgd", params: { s: 4, bucket: 512 } } };
    expect(() => createAlgorithm("artemis", cfg)).toThrow(/biased/);
    const s = parseSettings(withField({ up: "topk", "up-params": '{"k":78}' }));
    expect(s.session.config.alpha).toBe(1);
    expect(s.notes.join(" ")).toMatch(/α = 1 filled in: topk is biased/);
    expect(() => createAlgorithm("artemis", s.session.config)).not.toThrow();
  });

  it("fills the downlink α of MCM for a biased downlink (sign)", () => {
    const s = parseSettings(withField({ algorithm: "mcm", down: "sign", "down-params": "{}" }));
    expect(s.session.config.alphaDown).toBe(1);
    expect(s.session.config.alpha).toBeUndefined();
  });

  it("keeps a user's α", () => {
    expect(parseSettings(withField({ up: "topk", "up-params": '{"k":78}', alpha: "0.25" })).session.config.alpha).toBe(0.25);
  });

  it("drops the filled-in α (and its note) for an algorithm without memory", () => {
    const s = parseSettings(withField({ algorithm: "ef-sgd", up: "topk", "up-params": '{"k":78}', down: "topk", "down-params": '{"k":78}' }));
    expect(s.session.config.alpha).toBeUndefined();
    expect(s.notes.join(" ")).not.toMatch(/α = 1 filled in/);
  });
});

describe("demo settings → fedquant serve", () => {
  it.each(["artemis", "sgd", "qsgd", "mcm", "diana"])("the session of %s is a serve config fedquant serve accepts, unchanged", (algorithm) => {
    const s = parseSettings(withField({ algorithm }));
    const checked = checkServeConfig(JSON.parse(JSON.stringify(serveConfig(s.session))));
    expect(checked.session.algorithm).toBe(algorithm);
    expect(checked.session.problem).toEqual(s.session.problem);
    expect(checked.session.config).toEqual(s.session.config);
    expect(checked.session.rounds).toBe(40);
  });
});
