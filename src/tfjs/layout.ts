// The flat layout of a TF.js model's trainable weights: the order, names and shapes of its
// variables, recorded once, so weights and gradients travel as one Float32Array (what every
// fedquant compressor and algorithm takes) and come back as tensors of the right shapes.
// Every call re-checks the tensors it is given against the record: a model that changed (a layer
// added, a variable reshaped, another model's gradients) is an E_DIM, never a silent misplacement.
import * as tf from "@tensorflow/tfjs-core";
import { FedquantError } from "../errors.js";

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  /** first coordinate of this variable in the flat vector */
  readonly offset: number;
}

/** Anything with a name and a shape: tf.Variable, tf.Tensor (name optional), LayerVariable. */
interface Shaped { readonly shape: readonly number[]; readonly name?: string }

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export class WeightLayout {
  readonly specs: readonly WeightSpec[];
  /** D, the total number of trainable coordinates */
  readonly dim: number;

  private constructor(specs: WeightSpec[]) {
    this.specs = specs;
    this.dim = specs.reduce((s, v) => s + v.size, 0);
  }

  /** The layout of these variables, in this order (names must be distinct). */
  static of(variables: readonly Shaped[]): WeightLayout {
    if (!Array.isArray(variables) || variables.length === 0) throw new FedquantError("E_CONFIG", "WeightLayout.of: expected a non-empty array of variables");
    const specs: WeightSpec[] = [];
    const names = new Set<string>();
    let offset = 0;
    for (const [i, v] of variables.entries()) {
      if (!v || !Array.isArray(v.shape)) throw new FedquantError("E_CONFIG", `WeightLayout.of: entry ${i} is not a tensor or variable`);
      const name = v.name ?? `#${i}`;
      if (names.has(name)) throw new FedquantError("E_CONFIG", `WeightLayout.of: two variables are named "${name}"`);
      names.add(name);
      const size = sizeOf(v.shape);
      specs.push({ name, shape: [...v.shape], size, offset });
      offset += size;
    }
    return new WeightLayout(specs);
  }

  /** E_DIM unless `tensors` match the recorded shapes one for one (and names, where given). */
  check(tensors: readonly Shaped[], what: string, names = false): void {
    if (tensors.length !== this.specs.length) throw new FedquantError("E_DIM", `${what}: expected ${this.specs.length} tensors (the recorded layout), got ${tensors.length}`);
    for (let i = 0; i < tensors.length; i++) {
      const s = this.specs[i]!, t = tensors[i]!;
      if (!same(t.shape, s.shape)) throw new FedquantError("E_DIM", `${what}: tensor ${i} ("${s.name}") should have shape [${s.shape}], got [${t.shape}]`);
      if (names && t.name !== undefined && t.name !== s.name) throw new FedquantError("E_DIM", `${what}: tensor ${i} should be "${s.name}", got "${t.name}"`);
    }
  }

  /** E_DIM unless flat has exactly dim coordinates. */
  checkFlat(flat: ArrayLike<number>, what: string): void {
    if (!flat || typeof flat.length !== "number" || flat.length !== this.dim) {
      throw new FedquantError("E_DIM", `${what}: expected a vector of ${this.dim} coordinates (the recorded layout), got ${flat?.length}`);
    }
  }

  /** The tensors' values concatenated in layout order (written into `out` if given). */
  flatten(tensors: readonly tf.Tensor[], out: Float32Array | Float64Array = new Float32Array(this.dim)): Float32Array | Float64Array {
    this.check(tensors, "WeightLayout.flatten");
    this.checkFlat(out, "WeightLayout.flatten (out)");
    for (let i = 0; i < tensors.length; i++) out.set(tensors[i]!.dataSync() as Float32Array, this.specs[i]!.offset);
    return out;
  }

  /**
   * A name → tensor map (what tf.variableGrads returns) flattened in layout order. Names must
   * be exactly the recorded ones: a missing or extra variable is E_DIM.
   */
  flattenNamed(map: tf.NamedTensorMap, out: Float32Array | Float64Array = new Float32Array(this.dim)): Float32Array | Float64Array {
    const keys = Object.keys(map);
    if (keys.length !== this.specs.length) throw new FedquantError("E_DIM", `WeightLayout.flattenNamed: expected ${this.specs.length} named tensors, got ${keys.length}`);
    const tensors = this.specs.map((s) => {
      const t = map[s.name];
      if (!t) throw new FedquantError("E_DIM", `WeightLayout.flattenNamed: no tensor named "${s.name}" (got ${keys.join(", ")})`);
      return t;
    });
    return this.flatten(tensors, out);
  }

  /** New tensors (float32, the recorded shapes) holding `flat`'s coordinates; the caller disposes them. */
  unflatten(flat: ArrayLike<number>): tf.Tensor[] {
    this.checkFlat(flat, "WeightLayout.unflatten");
    const f32 = flat instanceof Float32Array ? flat : Float32Array.from(flat);
    return this.specs.map((s) => tf.tensor(f32.subarray(s.offset, s.offset + s.size), [...s.shape], "float32"));
  }

  /** variables[i] ← flat's slice i (float32), checking shapes and names first. */
  assign(variables: readonly tf.Variable[], flat: ArrayLike<number>): void {
    this.check(variables, "WeightLayout.assign", true);
    this.checkFlat(flat, "WeightLayout.assign");
    const f32 = flat instanceof Float32Array ? flat : Float32Array.from(flat);
    for (let i = 0; i < variables.length; i++) {
      const s = this.specs[i]!;
      const t = tf.tensor(f32.subarray(s.offset, s.offset + s.size), [...s.shape], "float32");
      variables[i]!.assign(t);
      t.dispose(); // assign copies the values into the variable
    }
  }
}
