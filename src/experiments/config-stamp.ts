// Which config wrote an output folder (issue #14: `--resume` must not mix two configs' results).
// Every run stamps its folder with a hash of its whole validated config (and the config itself, to
// say what changed); `--resume` compares before any work and refuses a folder stamped by another.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FedquantError } from "../errors.js";

export const STAMP_FILE = ".fedquant-config.json";

interface Stamp { hash: string; name?: string; config: unknown }

/** JSON with object keys sorted, so the hash depends on the config's values, not on key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** 16 hex digits of SHA-256 over the canonical JSON of the config. */
export function configHash(cfg: unknown): string {
  return createHash("sha256").update(canonical(cfg)).digest("hex").slice(0, 16);
}

/** Dotted paths where two configs differ (first 5), for the refusal message. */
export function configDiff(a: unknown, b: unknown, path = ""): string[] {
  if (canonical(a) === canonical(b)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => configDiff(a[k], b[k], path ? `${path}.${k}` : k)).slice(0, 5);
  }
  const show = (v: unknown) => { const s = v === undefined ? "(absent)" : JSON.stringify(v); return s.length > 40 ? `${s.slice(0, 37)}...` : s; };
  return [`${path || "(root)"}: ${show(a)} → ${show(b)}`];
}

function readStamp(dir: string): Stamp | undefined {
  let text: string;
  try { text = readFileSync(join(dir, STAMP_FILE), "utf8"); } catch { return undefined; }
  try {
    const s = JSON.parse(text) as Stamp;
    return typeof s.hash === "string" ? s : { hash: "unreadable", config: undefined };
  } catch {
    return { hash: "unreadable", config: undefined };
  }
}

/**
 * Throws E_STATE when `dir` was written by a config other than `cfg` (a folder without a stamp
 * has nothing to mix up and passes). `command` is how the user re-runs without --resume.
 */
export function checkResumable(dir: string, cfg: unknown, what = "--resume"): void {
  const stamp = readStamp(dir);
  if (!stamp || stamp.hash === configHash(cfg)) return;
  const diff = stamp.config === undefined ? [] : configDiff(stamp.config, cfg);
  throw new FedquantError("E_STATE", `${what}: ${dir} holds results of a different config${stamp.name ? ` ("${stamp.name}")` : ""}`
    + ` (config hash ${stamp.hash}, this one ${configHash(cfg)})${diff.length ? `; changed: ${diff.join("; ")}` : ""}. `
    + "Nothing was run. Run without --resume to start over in that folder, or give another --out.");
}

/** Records `cfg` as the config whose results `dir` holds (atomic: temp file + rename). */
export function writeStamp(dir: string, cfg: unknown, name?: string): void {
  mkdirSync(dir, { recursive: true });
  const f = join(dir, STAMP_FILE);
  writeFileSync(`${f}.tmp`, JSON.stringify({ hash: configHash(cfg), ...(name ? { name } : {}), config: cfg }, null, 2));
  renameSync(`${f}.tmp`, f);
}
