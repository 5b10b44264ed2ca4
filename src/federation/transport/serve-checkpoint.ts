// The checkpoint of `fedquant serve --out`: everything the server side needs to continue a
// session after its process died — the algorithm's server (`server.toJSON()`), the coordinator's
// round, per-client acknowledgements and reports, the tokens, and the session it belongs to.
// Taken between rounds (after receive, before the next broadcast). Browser-safe: building and
// checking only; serve.ts writes it atomically.
import type { ServerState } from "../../algorithms/index.js";
import { FedquantError } from "../../errors.js";
import type { CoordinatorState } from "./coordinator.js";
import { checkSession, type SessionSpec } from "./session.js";

export const SERVE_CHECKPOINT_FORMAT = "fedquant.serve-checkpoint";

export interface ServeCheckpoint {
  format: typeof SERVE_CHECKPOINT_FORMAT;
  /** 1: the reports inside coordinator.reports; 2: in an append-only log next to the file (reportsLog) */
  version: 1 | 2;
  /** version 2: the log file (relative to the checkpoint's directory) and how many of its lines are this checkpoint's */
  reportsLog?: { path: string; rounds: number };
  /** the checked session spec (checkSession(...).spec) */
  session: SessionSpec;
  /** bearer secrets of the clients, in client order (the file is written mode 0600) */
  tokens: string[];
  /** F(w_0) */
  initialLoss: number | null;
  coordinator: CoordinatorState;
  server: ServerState;
}

/** Paths where two JSON values differ ("" for the root), at most `max`. */
export function jsonDiff(a: unknown, b: unknown, path = "", out: string[] = [], max = 8): string[] {
  if (out.length >= max) return out;
  const obj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object";
  if (obj(a) && obj(b) && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[k] === undefined && b[k] === undefined) continue;
      jsonDiff(a[k], b[k], path ? `${path}.${k}` : k, out, max);
    }
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(`${path || "(root)"}: ${JSON.stringify(a) ?? "absent"} in the config, ${JSON.stringify(b) ?? "absent"} in the checkpoint`);
  }
  return out;
}

/**
 * Check a parsed checkpoint against the session about to be served: damaged ⇒ E_STATE, another
 * session (or other tokens) ⇒ E_CONFIG naming what differs. The parts the coordinator and the
 * algorithm restore are checked again, field by field, where they are restored.
 */
export function checkServeCheckpoint(x: unknown, session: SessionSpec, tokens: readonly string[] | undefined): ServeCheckpoint {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw new FedquantError("E_STATE", "the serve checkpoint is not a JSON object");
  const o = x as Partial<ServeCheckpoint>;
  if (o.format !== SERVE_CHECKPOINT_FORMAT || (o.version !== 1 && o.version !== 2)) {
    throw new FedquantError("E_STATE", `not a fedquant serve checkpoint (format ${JSON.stringify(o.format)}, version ${JSON.stringify(o.version)})`);
  }
  for (const k of ["session", "coordinator", "server"] as const) {
    if (o[k] === null || typeof o[k] !== "object") throw new FedquantError("E_STATE", `the serve checkpoint's ${k} is missing or damaged`);
  }
  if (!Array.isArray(o.tokens) || o.tokens.some((t) => typeof t !== "string" || t.length === 0)) throw new FedquantError("E_STATE", "the serve checkpoint's tokens are missing or damaged");
  if (o.initialLoss !== null && typeof o.initialLoss !== "number") throw new FedquantError("E_STATE", "the serve checkpoint's initialLoss is damaged");
  if (o.version === 2 && (o.reportsLog === null || typeof o.reportsLog !== "object" || typeof o.reportsLog.path !== "string"
    || !/^[\w.-]+$/.test(o.reportsLog.path) || o.reportsLog.rounds !== o.coordinator!.round)) {
    throw new FedquantError("E_STATE", "the serve checkpoint's reportsLog is missing or damaged");
  }
  let saved: SessionSpec;
  try { saved = checkSession(o.session).spec; } catch (e) {
    throw new FedquantError("E_STATE", `the serve checkpoint's session is damaged: ${(e as Error).message}`, { cause: e });
  }
  const diff = jsonDiff(checkSession(session).spec, saved);
  if (diff.length > 0) throw new FedquantError("E_CONFIG", `--resume needs the session the checkpoint was made with; session ${diff.join("; ")}`);
  if (tokens !== undefined && (tokens.length !== o.tokens.length || tokens.some((t, i) => t !== o.tokens![i]))) {
    const which = tokens.map((t, i) => (t !== o.tokens![i] ? i : -1)).filter((i) => i >= 0);
    throw new FedquantError("E_CONFIG", `--resume: the config's tokens differ from the checkpoint's (client(s) ${which.join(", ") || "count"}); clients reconnect with the tokens they were given`);
  }
  return { ...(o as ServeCheckpoint), session: saved };
}

/** The checkpoint of a session between rounds (call it from onRound, before the next round opens). */
export function buildServeCheckpoint(parts: {
  session: SessionSpec; tokens: readonly string[]; initialLoss: number | undefined;
  coordinator: CoordinatorState; server: ServerState;
}): ServeCheckpoint {
  if (parts.server.round !== parts.coordinator.round || parts.server.pending !== null) {
    throw new FedquantError("E_STATE", `a serve checkpoint is taken between rounds: the algorithm is at round ${parts.server.round}${parts.server.pending ? " (open)" : ""}, the coordinator at ${parts.coordinator.round}`);
  }
  return {
    format: SERVE_CHECKPOINT_FORMAT, version: 1, session: checkSession(parts.session).spec, tokens: [...parts.tokens],
    initialLoss: parts.initialLoss ?? null, coordinator: parts.coordinator, server: parts.server,
  };
}
