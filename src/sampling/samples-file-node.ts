// Node-only: the samples file, written row by row as the chain draws (spec/langevin.md "Output":
// a killed run keeps every sample written). Layout: "FQSMPL" 0 1 | u32 d | u32 dtype (0 float64,
// 1 float32) | rows of d little-endian values. Rows past a checkpoint's offset are cut on resume.
import { closeSync, fsyncSync, openSync, readFileSync, readSync, ftruncateSync, writeSync, fstatSync } from "node:fs";
import { FedquantError } from "../errors.js";

export type SampleDtype = "float64" | "float32";
const MAGIC = [0x46, 0x51, 0x53, 0x4d, 0x50, 0x4c, 0x00, 0x01];
export const SAMPLES_HEADER_BYTES = 16;

function io(what: string, path: string, e: unknown): never {
  throw new FedquantError("E_IO", `${what} ${path}: ${(e as Error).message}`, { cause: e });
}

export class SampleWriter {
  private fd: number;
  private pos: number;
  private readonly row: Uint8Array;
  private readonly view: Float64Array | Float32Array;

  private constructor(readonly path: string, readonly dim: number, readonly dtype: SampleDtype, fd: number, pos: number) {
    this.fd = fd; this.pos = pos;
    const size = dtype === "float64" ? 8 : 4;
    this.row = new Uint8Array(dim * size);
    this.view = dtype === "float64" ? new Float64Array(this.row.buffer) : new Float32Array(this.row.buffer);
  }

  /** A new file (any old one is replaced) holding just the header. */
  static create(path: string, dim: number, dtype: SampleDtype): SampleWriter {
    let fd: number;
    try { fd = openSync(path, "w+"); } catch (e) { io("cannot create", path, e); }
    const h = new Uint8Array(SAMPLES_HEADER_BYTES);
    h.set(MAGIC);
    const v = new DataView(h.buffer);
    v.setUint32(8, dim, true); v.setUint32(12, dtype === "float64" ? 0 : 1, true);
    writeSync(fd, h, 0, h.length, 0);
    return new SampleWriter(path, dim, dtype, fd, SAMPLES_HEADER_BYTES);
  }

  /** Reopen an existing file and cut it at `offset` (the end of the last checkpointed row). */
  static resume(path: string, dim: number, dtype: SampleDtype, offset: number): SampleWriter {
    let fd: number;
    try { fd = openSync(path, "r+"); } catch (e) { io("cannot reopen the samples file", path, e); }
    const size = fstatSync(fd).size;
    const h = new Uint8Array(SAMPLES_HEADER_BYTES);
    if (size < SAMPLES_HEADER_BYTES) { closeSync(fd); throw new FedquantError("E_STATE", `samples file ${path} is shorter than its header`); }
    readSync(fd, h, 0, SAMPLES_HEADER_BYTES, 0);
    const hv = new DataView(h.buffer);
    if (MAGIC.some((b, i) => h[i] !== b) || hv.getUint32(8, true) !== dim || hv.getUint32(12, true) !== (dtype === "float64" ? 0 : 1)) {
      closeSync(fd);
      throw new FedquantError("E_STATE", `samples file ${path} does not match the run (dimension ${dim}, ${dtype})`);
    }
    if (size < offset) { closeSync(fd); throw new FedquantError("E_STATE", `samples file ${path} has ${size} bytes, fewer than the checkpoint's ${offset}: it was modified`); }
    ftruncateSync(fd, offset);
    return new SampleWriter(path, dim, dtype, fd, offset);
  }

  /** Bytes written so far (header included): what a checkpoint records. */
  get offset(): number { return this.pos; }

  append(theta: ArrayLike<number>): void {
    if (theta.length !== this.dim) throw new FedquantError("E_DIM", `samples file: row of length ${theta.length}, expected ${this.dim}`);
    this.view.set(theta);
    try { writeSync(this.fd, this.row, 0, this.row.length, this.pos); } catch (e) { io("cannot write", this.path, e); }
    this.pos += this.row.length;
  }

  /** Flush to disk: rows before a checkpoint must be durable before the checkpoint names them. */
  sync(): void { fsyncSync(this.fd); }

  close(): void { if (this.fd >= 0) { closeSync(this.fd); this.fd = -1; } }
}

export interface SamplesFile { dim: number; dtype: SampleDtype; rows: Float64Array[] }

export function readSamples(path: string): SamplesFile {
  let b: Buffer;
  try { b = readFileSync(path); } catch (e) { io("cannot read", path, e); }
  if (b.length < SAMPLES_HEADER_BYTES || MAGIC.some((x, i) => b[i] !== x)) throw new FedquantError("E_DATA", `${path} is not a fedquant samples file`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dim = v.getUint32(8, true), code = v.getUint32(12, true);
  if (code > 1 || dim < 1) throw new FedquantError("E_DATA", `${path}: bad header (d = ${dim}, dtype ${code})`);
  const dtype: SampleDtype = code === 0 ? "float64" : "float32";
  const rowBytes = dim * (code === 0 ? 8 : 4);
  const body = b.length - SAMPLES_HEADER_BYTES;
  if (body % rowBytes !== 0) throw new FedquantError("E_DATA", `${path}: ${body} bytes of rows is not a multiple of the ${rowBytes}-byte row (a torn write? resume the run to repair it)`);
  const n = body / rowBytes, rows: Float64Array[] = [];
  const copy = new Uint8Array(body);
  copy.set(b.subarray(SAMPLES_HEADER_BYTES));
  const all = code === 0 ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer);
  for (let k = 0; k < n; k++) rows.push(Float64Array.from(all.subarray(k * dim, (k + 1) * dim)));
  return { dim, dtype, rows };
}
