// The flat layout: weights and gradients ↔ one vector, and every mismatch is E_DIM.
import { beforeAll, describe, expect, it } from "vitest";
import { WeightLayout } from "../../src/tfjs/index.js";
import { backend, tf } from "./setup.js";

beforeAll(async () => { await backend("cpu"); });

const vars = () => [
  tf.variable(tf.tensor([[1, 2, 3], [4, 5, 6]]), true, "a"),
  tf.variable(tf.tensor([7]), true, "b"),
  tf.variable(tf.tensor([[[8], [9]]]), true, "c"),
];

describe("WeightLayout", () => {
  it("records order, shapes and offsets, and flattens to the concatenation of the row-major values", () => {
    const v = vars();
    const L = WeightLayout.of(v);
    expect(L.dim).toBe(9);
    expect(L.specs.map((s) => [s.name, s.offset, s.size])).toEqual([["a", 0, 6], ["b", 6, 1], ["c", 7, 2]]);
    expect([...L.flatten(v)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    v.forEach((x) => x.dispose());
  });

  it("assign then flatten returns the vector (float32), and unflatten gives the recorded shapes", () => {
    const v = vars();
    const L = WeightLayout.of(v);
    const w = Float64Array.from({ length: 9 }, (_, i) => 0.5 * i - 1);
    L.assign(v, w);
    expect([...L.flatten(v)]).toEqual([...w]); // multiples of 0.5 are exact in float32
    const ts = L.unflatten(w);
    expect(ts.map((t) => t.shape)).toEqual([[2, 3], [1], [1, 2, 1]]);
    expect([...ts[2]!.dataSync()]).toEqual([2.5, 3]);
    ts.forEach((t) => t.dispose());
    v.forEach((x) => x.dispose());
  });

  it("a vector of the wrong length, a changed shape, a missing, extra or renamed variable is E_DIM", () => {
    const v = vars();
    const L = WeightLayout.of(v);
    const e = { code: "E_DIM" };
    expect(() => L.assign(v, new Float64Array(8))).toThrow(expect.objectContaining(e));
    expect(() => L.unflatten(new Float32Array(10))).toThrow(expect.objectContaining(e));
    expect(() => L.flatten(v.slice(0, 2))).toThrow(expect.objectContaining(e));
    const reshaped = [v[0]!, v[1]!, tf.variable(tf.tensor([[8, 9]]), true, "c2")];
    expect(() => L.flatten(reshaped)).toThrow(expect.objectContaining(e));
    const renamed = [v[0]!, v[1]!, tf.variable(tf.tensor([[[8], [9]]]), true, "d")];
    expect(() => L.assign(renamed, new Float64Array(9))).toThrow(expect.objectContaining(e));
    const grads = { a: tf.zeros([2, 3]), b: tf.zeros([1]) };
    expect(() => L.flattenNamed(grads)).toThrow(expect.objectContaining(e));
    expect(() => L.flattenNamed({ ...grads, x: tf.zeros([1, 2, 1]) })).toThrow(expect.objectContaining(e));
    expect(() => L.flatten(v, new Float32Array(3))).toThrow(expect.objectContaining(e));
  });

  it("two variables of one name are E_CONFIG", () => {
    const a = tf.variable(tf.zeros([1]), true, "same"), b = tf.tensor([1]);
    expect(() => WeightLayout.of([a, { shape: b.shape, name: "same" }])).toThrow(expect.objectContaining({ code: "E_CONFIG" }));
  });
});
