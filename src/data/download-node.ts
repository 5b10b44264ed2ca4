// Node-only: downloads a file over HTTP(S) and keeps it only if its SHA-256 is the expected one
// (streamed into the hash and a temp file, renamed into place after the check: a failed or
// tampered download never leaves a file that later runs would trust).
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { FedquantError } from "../errors.js";

export interface DownloadOptions {
  url: string;
  dest: string;
  /** lower-case hex SHA-256 of the expected bytes */
  sha256: string;
  /** refuse bodies larger than this (default 256 MiB) */
  maxBytes?: number;
  fetchImpl?: typeof fetch;
}

export async function downloadVerified(o: DownloadOptions): Promise<{ path: string; bytes: number }> {
  const max = o.maxBytes ?? 256 * 2 ** 20;
  let res: Response;
  try {
    res = await (o.fetchImpl ?? fetch)(o.url, { redirect: "follow" });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
    throw new FedquantError("E_IO", `could not download ${o.url}: ${cause}`, { cause: e });
  }
  if (!res.ok || !res.body) throw new FedquantError("E_IO", `could not download ${o.url}: HTTP ${res.status}`);
  mkdirSync(dirname(o.dest), { recursive: true });
  const tmp = `${o.dest}.part-${process.pid}`;
  const hash = createHash("sha256");
  const out = createWriteStream(tmp);
  let bytes = 0;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > max) throw new FedquantError("E_DATA", `${o.url}: larger than ${max} bytes; not the expected file`);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (e) {
    out.destroy();
    rmSync(tmp, { force: true });
    if (e instanceof FedquantError) throw e;
    throw new FedquantError("E_IO", `could not download ${o.url}: ${(e as Error).message}`, { cause: e });
  }
  const got = hash.digest("hex");
  if (got !== o.sha256.toLowerCase()) {
    rmSync(tmp, { force: true });
    throw new FedquantError("E_DATA", `${o.url}: SHA-256 ${got} is not the expected ${o.sha256}; the download was discarded`);
  }
  try { renameSync(tmp, o.dest); } catch (e) {
    rmSync(tmp, { force: true });
    throw new FedquantError("E_IO", `cannot write ${o.dest}: ${(e as Error).message}`, { cause: e });
  }
  return { path: o.dest, bytes };
}
