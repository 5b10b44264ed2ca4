// The messages between the main thread and a pool worker (worker.ts), and the one rule of the
// handshake: the worker posts its reply on its port, then sets the shared flag to 1 and notifies,
// so a main thread blocked in Atomics.wait finds the reply with receiveMessageOnPort.
import type { ClientId, ClientState } from "../../algorithms/index.js";
import { FedquantError, type FedquantErrorCode } from "../../errors.js";
import type { Flavour } from "../../kernel/index.js";
import type { ChainState } from "../../sampling/browser.js";
import type { HostedClient, Recipe } from "./recipe.js";

export type Request =
  | { op: "init"; flavour: Flavour; recipe: Recipe; hosted: HostedClient[]; model?: SharedArrayBuffer }
  | { op: "step"; round: number; downlinks: [ClientId, Uint8Array][] }
  /** F_i at w, or (Node) at the model the main thread wrote into the shared `model` buffer of init */
  | { op: "loss"; w?: Float64Array }
  | { op: "save" }
  | { op: "load"; states: [ClientId, ClientState, ChainState | undefined][] };

export interface WireError { code: string; message: string }

export type Reply =
  | { op: "init" }
  | { op: "step"; uplinks: [ClientId, Uint8Array][]; failed?: { id: ClientId; error: WireError } }
  | { op: "loss"; losses: [ClientId, number][]; failed?: { id: ClientId; error: WireError } }
  | { op: "save"; states: [ClientId, ClientState, ChainState | undefined][] }
  | { op: "load" }
  | { op: "error"; error: WireError };

/** A thrown value as data; FedquantError's "CODE: " prefix is dropped (the code travels apart). */
export function toWire(e: unknown): WireError {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? err.code : "E_STATE";
  const message = typeof err?.message === "string" ? err.message.replace(/^E_[A-Z_]+: /, "") : String(e);
  return { code, message };
}

/** A worker's error as the FedquantError it was. */
export function fromWire(e: WireError): FedquantError {
  return new FedquantError(e.code as FedquantErrorCode, e.message);
}

/** The buffers of `arrays` that can be moved instead of copied: whole, unshared, each once. */
export function movable(arrays: Iterable<Uint8Array>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) {
    const b = a.buffer;
    if (b instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === b.byteLength) out.add(b);
  }
  return [...out];
}
