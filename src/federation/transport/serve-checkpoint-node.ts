// Node-only: the serve checkpoint on disk, written atomically (temp file, fsync, rename), so a
// crash leaves the previous checkpoint or the new one, never a torn file.
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { FedquantError } from "../../errors.js";
import { writeAtomic } from "../../sampling/checkpoint-node.js";
import { checkServeCheckpoint, type ServeCheckpoint } from "./serve-checkpoint.js";
import { readReportsLog } from "./serve-store-node.js";
import type { SessionSpec } from "./session.js";

const utf8 = new TextEncoder();

export function writeServeCheckpoint(path: string, cp: ServeCheckpoint): void {
  writeAtomic(path, utf8.encode(JSON.stringify(cp)));
  try { chmodSync(path, 0o600); } catch { /* the tokens are bearer secrets; best effort where modes exist */ }
}

/** Read and check a serve checkpoint: missing ⇒ E_IO, damaged ⇒ E_STATE, another session ⇒ E_CONFIG. */
export function readServeCheckpoint(path: string, session: SessionSpec, tokens: readonly string[] | undefined): ServeCheckpoint {
  if (!existsSync(path)) throw new FedquantError("E_IO", `--resume: no checkpoint at ${path}`);
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    throw new FedquantError("E_IO", `cannot read the checkpoint ${path}: ${(e as Error).message}`, { cause: e });
  }
  let x: unknown;
  try { x = JSON.parse(text); } catch (e) {
    throw new FedquantError("E_STATE", `the checkpoint ${path} is damaged (not JSON: ${(e as Error).message})`, { cause: e });
  }
  const cp = checkServeCheckpoint(x, session, tokens);
  // version 2 keeps its reports in an append-only log next to it (serve-store-node.ts)
  if (cp.version === 2) cp.coordinator = { ...cp.coordinator, reports: readReportsLog(join(dirname(path), cp.reportsLog!.path), cp.coordinator.round) };
  return cp;
}
