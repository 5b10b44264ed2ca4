// Keeps a `fedquant run` from losing finished work: each algorithm's trajectory is written
// (atomically: temp file + rename) as soon as it completes, keyed by a hash of the whole config,
// so `--resume` after a crash or Ctrl-C recomputes only the algorithms that had not finished.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RunConfig } from "./run-config.js";
import type { Trajectory } from "./run-report.js";

export class RunProgress {
  private readonly dir: string;
  private readonly key: string;

  constructor(outDir: string, cfg: RunConfig) {
    this.dir = join(outDir, ".progress");
    this.key = createHash("sha256").update(JSON.stringify(cfg)).digest("hex").slice(0, 16);
  }

  private file(index: number): string { return join(this.dir, `${this.key}-${index}.json`); }

  /** The saved trajectory of algorithm `index` of this exact config, if any. */
  load(index: number, label: string): Trajectory | undefined {
    const f = this.file(index);
    if (!existsSync(f)) return undefined;
    try {
      const t = JSON.parse(readFileSync(f, "utf8")) as Trajectory;
      return t.label === label && Array.isArray(t.excessLoss) ? t : undefined;
    } catch {
      return undefined; // a torn or foreign file is recomputed, never trusted
    }
  }

  save(index: number, t: Trajectory): void {
    mkdirSync(this.dir, { recursive: true });
    const f = this.file(index);
    writeFileSync(`${f}.tmp`, JSON.stringify(t));
    renameSync(`${f}.tmp`, f);
  }

  /** Once the report is written the partial results are redundant. */
  clear(): void { rmSync(this.dir, { recursive: true, force: true }); }
}
