// Objectives as data, so a worker thread can rebuild the same closures (a function cannot cross
// threads): the five model families of src/models are recognised from the fields their factories
// expose, rebuilt in the worker, and — because a user's own objective may carry a known name —
// checked on the main thread to give bit-identical gradients before any worker starts.
import { FedquantError } from "../../errors.js";
import { gaussianMean, leastSquares, logistic, mlp, softmax, type Dataset, type Objective } from "../../models/index.js";

export type ObjectiveSpec =
  | { kind: "lsr" | "logistic" | "gaussian"; p: number; ridge: number }
  | { kind: "softmax"; p: number; classes: number; ridge: number }
  | { kind: "mlp"; p: number; hidden: number; classes: number; ridge: number; activation: "tanh" | "relu" };

function unknown(o: Objective): never {
  throw new FedquantError("E_CONFIG", `threads > 1: the objective "${String(o?.name)}" is not one of src/models' factories (lsr, logistic, softmax, mlp, gaussian), so a worker thread cannot rebuild it; use threads: 1`);
}

/** The factory call that makes `o` (E_CONFIG when it is not a src/models objective). */
export function describeObjective(o: Objective): ObjectiveSpec {
  const x = o as unknown as Record<string, unknown>;
  const ridge = x.ridge;
  if (typeof ridge !== "number") unknown(o);
  switch (o.name) {
    case "lsr": case "logistic": case "gaussian": return { kind: o.name, p: o.dim, ridge };
    case "softmax": {
      const classes = x.classes;
      if (typeof classes !== "number" || o.dim % classes !== 0) unknown(o);
      return { kind: "softmax", p: o.dim / classes, classes, ridge };
    }
    case "mlp": {
      const { p, hidden, classes, activation } = x;
      if (typeof p !== "number" || typeof hidden !== "number" || typeof classes !== "number" || (activation !== "tanh" && activation !== "relu")) unknown(o);
      return { kind: "mlp", p, hidden, classes, ridge, activation };
    }
    default: return unknown(o);
  }
}

export function buildObjective(s: ObjectiveSpec): Objective {
  switch (s.kind) {
    case "lsr": return leastSquares({ p: s.p, ridge: s.ridge });
    case "logistic": return logistic({ p: s.p, ridge: s.ridge });
    case "gaussian": return gaussianMean({ p: s.p, ridge: s.ridge });
    case "softmax": return softmax({ p: s.p, classes: s.classes, ridge: s.ridge });
    case "mlp": return mlp({ p: s.p, hidden: s.hidden, classes: s.classes, ridge: s.ridge, activation: s.activation });
  }
}

/**
 * The spec of `o`, after checking that the rebuilt objective gives the same bits as `o` (gradient
 * gradient sum and loss at a deterministic non-trivial point, on `data`): a user objective that only
 * borrows a model's name is refused instead of silently replaced.
 */
export function portableObjective(o: Objective, data: Dataset): ObjectiveSpec {
  const spec = describeObjective(o);
  const twin = buildObjective(spec);
  const w = new Float64Array(o.dim);
  for (let j = 0; j < w.length; j++) w[j] = Math.sin(1 + j) / 4; // away from 0, where many terms vanish
  const a = new Float64Array(o.dim), b = new Float64Array(o.dim);
  // a Uint32Array, as every oracle of the library passes: one call with a plain array made the
  // models' row loads polymorphic for the rest of the process (E4's gradients 5–8 % slower on the
  // calling thread after its first threaded run, `npm run scaling`)
  const rows = data.n > 1 ? Uint32Array.of(data.n - 1, 0) : undefined;
  const same = (): boolean => { for (let j = 0; j < a.length; j++) if (!Object.is(a[j], b[j])) return false; return true; };
  o.grad(w, data, a, rows); twin.grad(w, data, b, rows);
  let ok = same();
  if (ok) { o.gradSum(w, data, a); twin.gradSum(w, data, b); ok = same(); }
  // the pool evaluates the loss curve on the workers too
  if (ok) ok = Object.is(o.loss(w, data), twin.loss(w, data));
  if (!ok) throw new FedquantError("E_CONFIG", `threads > 1: the objective "${o.name}" does not behave like src/models' ${spec.kind} with the same fields, so a worker thread cannot rebuild it; use threads: 1`);
  return spec;
}
