// The messages between the main thread and a pool worker (worker.ts), and the rules of the
// handshake (Node): every request carries a sequence number that its reply echoes; the worker
// posts its reply on its port, then stores that number in the shared flag and notifies, so a main
// thread blocked in Atomics.wait finds the reply with receiveMessageOnPort. The flag only ever
// moves forward (or to DEAD), so a notify that arrives late — a worker descheduled between its
// store and its notify while the main thread already read the reply and sent the next request —
// wakes a main thread that sees the old number and sleeps again, instead of taking it for a reply.
import type { ClientId, ClientState } from "../../algorithms/index.js";
import { FedquantError, type FedquantErrorCode } from "../../errors.js";
import type { Flavour } from "../../kernel/index.js";
import type { ChainState } from "../../sampling/browser.js";
import type { HostedClient, Recipe } from "./recipe.js";

/** The flag's value once the worker thread is gone (its 'exit' handler stores it): no reply will come. */
export const DEAD = -1;

/** The sequence number after `s`: 1, 2, … 2^31 − 1, then 1 again (never 0, the flag's start, nor DEAD). */
export function nextSeq(s: number): number { return s >= 0x7fffffff ? 1 : s + 1; }

/** The request's sequence number (Node pool), echoed in its reply; Web Workers need none. */
interface Numbered { seq?: number }

export type Request = Numbered & (
  | { op: "init"; flavour: Flavour; recipe: Recipe; hosted: HostedClient[]; model?: SharedArrayBuffer }
  /** decode: also return each uplink's vector as the server decodes it (Node pool; absent = no) */
  | { op: "step"; round: number; downlinks: [ClientId, Uint8Array][]; decode?: boolean }
  /** F_i at w, or (Node) at the model the main thread wrote into the shared `model` buffer of init */
  | { op: "loss"; w?: Float64Array }
  | { op: "save" }
  | { op: "load"; states: [ClientId, ClientState, ChainState | undefined][] });

export interface WireError { code: string; message: string }

export type Reply = Numbered & (
  | { op: "init" }
  | { op: "step"; uplinks: [ClientId, Uint8Array][]; failed?: { id: ClientId; error: WireError }; decoded?: [ClientId, Float32Array][] }
  | { op: "loss"; losses: [ClientId, number][]; failed?: { id: ClientId; error: WireError } }
  | { op: "save"; states: [ClientId, ClientState, ChainState | undefined][] }
  | { op: "load" }
  | { op: "error"; error: WireError });

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

/**
 * Below this size a message is copied, not transferred. Transferring detaches the sender's
 * ArrayBuffer, and from the first detached buffer on V8 makes every typed-array access of that
 * thread's optimised code check for detachment, for good (its ArrayBufferDetaching protector,
 * `node --trace-protector-invalidation`): E3 phishing's gradient and loss code (d = 69, messages
 * of a few hundred bytes) ran 30–45 % slower after one threaded run, and its 2-thread run was only
 * 1.05× the fresh one-thread run. Copying everything instead, E4's 2-thread run (100 KB messages,
 * ~30 MB per round) took 25.5 s against 22.8 s with transfers (runs an hour apart). So small
 * messages are copied — cheap, and no thread detaches a buffer for them — and large ones, where a
 * copy costs more than the checks, are moved (docs/scaling.md).
 */
export const MOVE_MIN_BYTES = 64 * 1024;

/** The buffers of `arrays` worth moving instead of copying: whole, unshared, ≥ MOVE_MIN_BYTES, each once. */
export function movable(arrays: Iterable<ArrayBufferView>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) {
    const b = a.buffer;
    if (b instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === b.byteLength && b.byteLength >= MOVE_MIN_BYTES) out.add(b);
  }
  return [...out];
}
