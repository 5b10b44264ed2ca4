// `fedquant serve <config.json>`: run a federation's server over WebSocket (docs/network.md).
// Prints how each client joins, logs joins / drops / deadlines, shows round progress, and
// writes the per-round reports as JSON when asked.
import { nodeModelBuilder } from "../cnn-model.js";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { ready } from "../../kernel/index.js";
import { mnistDigits, mnistSelection } from "../../data/mnist-node.js";
import { createAlgorithmRoundDriver } from "../../federation/transport/algorithm-driver.js";
import { checkServeConfig } from "../../federation/transport/serve-config.js";
import { buildServeCheckpoint, type ServeCheckpoint } from "../../federation/transport/serve-checkpoint.js";
import { readServeCheckpoint } from "../../federation/transport/serve-checkpoint-node.js";
import { ServeStore } from "../../federation/transport/serve-store-node.js";
import { serveFederation } from "../../federation/transport/server-node.js";
import type { LogEvent } from "../../federation/transport/driver.js";
import type { DigitsLoader } from "../../federation/transport/problem.js";
import { progressBar } from "../progress.js";
import { checkOutDir } from "../validate/out-dir.js";

function readJson(path: string): unknown {
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    throw new FedquantError("E_IO", `cannot read ${path}: ${(e as Error).message}`);
  }
  try { return JSON.parse(text); } catch (e) {
    throw new FedquantError("E_CONFIG", `${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Where `--out` writes: a path ending in .json is the reports file (its checkpoint sits next to it,
 * `<name>.checkpoint.json`); any other path is a directory holding reports.json and checkpoint.json.
 */
export function servePaths(out: string): { reports: string; checkpoint: string; log: string; dir?: string } {
  if (/\.json$/i.test(out)) return { reports: out, checkpoint: out.replace(/\.json$/i, ".checkpoint.json"), log: out.replace(/\.json$/i, ".reports.jsonl") };
  return { dir: out, reports: join(out, "reports.json"), checkpoint: join(out, "checkpoint.json"), log: join(out, "reports.jsonl") };
}

function readPem(path: string, what: string): string {
  try { return readFileSync(path, "utf8"); } catch (e) { throw new FedquantError("E_IO", `cannot read the TLS ${what} ${path}: ${(e as Error).message}`); }
}

/** The same digits in Node as the demo's asset holds in browsers. */
/** The `mnist` package's digits; `select` lets a joining client copy only its own rows (mnistSelection). */
export const nodeDigits: DigitsLoader = Object.assign((count: number, seed: number) => mnistDigits({ count, seed }), {
  select: (count: number, seed: number) => mnistSelection({ count, seed }),
});

export function registerServe(program: Command): void {
  program.command("serve")
    .argument("<config>", "a serve config (JSON, see examples/serve-*.json and docs/network.md)")
    .description("serve a federated session over WebSocket: clients join with `fedquant join` or from the browser demo")
    .option("--port <n>", "override the config's port (0: any free port)")
    .option("--host <h>", "override the config's host")
    .option("--out <dir>", "write a checkpoint after every checkpointEvery rounds, and the per-round reports at the end, into this directory (or: reports to this .json file, checkpoint next to it)")
    .option("--resume", "continue the session from the checkpoint in --out (same session config required)")
    .option("--tls-cert <pem>", "serve wss:// with this certificate chain (PEM); needs --tls-key")
    .option("--tls-key <pem>", "the private key of --tls-cert (PEM)")
    .option("--quiet", "no progress bar, no join/leave lines")
    .action(async (path: string, opts: { port?: string; host?: string; out?: string; quiet?: boolean; resume?: boolean; tlsCert?: string; tlsKey?: string }) => {
      const cfg = checkServeConfig(readJson(path));
      if (opts.port !== undefined) {
        const p = Number(opts.port);
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new FedquantError("E_CONFIG", `--port must be an integer in [0, 65535], got ${opts.port}`);
        cfg.port = p;
      }
      if (opts.host !== undefined) cfg.host = opts.host;
      if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new FedquantError("E_CONFIG", "--tls-cert and --tls-key go together");
      const tls = opts.tlsCert !== undefined ? { cert: readPem(opts.tlsCert, "certificate"), key: readPem(opts.tlsKey!, "key") } : undefined;
      const paths = opts.out !== undefined ? servePaths(opts.out) : undefined;
      if (opts.resume && !paths) throw new FedquantError("E_CONFIG", "--resume needs --out <dir>: the checkpoint is read from there");
      // everything about the checkpoint is checked before the server listens: a bad one, no server
      const resumed: ServeCheckpoint | undefined = opts.resume ? readServeCheckpoint(paths!.checkpoint, cfg.session, cfg.tokens) : undefined;
      if (paths) checkOutDir(paths.dir ?? dirname(resolve(paths.reports)));
      await ready();
      const driver = await createAlgorithmRoundDriver(cfg.session, { loadDigits: nodeDigits, buildModel: nodeModelBuilder, restore: resumed?.server, maxNormRatio: cfg.maxNormRatio, absent: cfg.absent });
      const n = cfg.session.problem.clients;
      const tokens = resumed?.tokens ?? cfg.tokens ?? Array.from({ length: n }, () => randomBytes(12).toString("hex"));
      const quiet = opts.quiet ?? false;
      const bar = progressBar("rounds", cfg.session.rounds, { quiet });
      if (resumed) bar.tick(resumed.coordinator.round);
      const log = (e: LogEvent): void => {
        if (e.level === "warn" || e.event === "missing" || !quiet) console.error(`[${new Date().toISOString().slice(11, 19)}] ${e.event}: ${e.message}`);
      };
      let upBits = 0, downBits = 0;
      for (const r of resumed?.coordinator.reports ?? []) { upBits += r.bitsUp; downBits += r.bitsDown; }
      const initialLoss = resumed ? (resumed.initialLoss ?? undefined) : driver.initialLoss;
      // O(1) per round: reports to an append-only log, a rolling snapshot of the rest
      const store = paths ? new ServeStore(paths.checkpoint, paths.log, resumed?.coordinator.round ?? 0) : undefined;
      const checkpoint = (round: number): boolean => {
        const err = store!.save(buildServeCheckpoint({
          session: driver.checked.spec, tokens, initialLoss, coordinator: srv.coordinator.checkpoint(false), server: driver.server.toJSON(),
        }));
        // a failed write (EMFILE, ENOSPC, …) is no reason to end the session: the rounds stay
        // queued and the next checkpoint writes them; until then a crash would lose them
        if (err) log({ level: "warn", event: "checkpoint", round, message: `checkpoint after round ${round} failed (${store!.failures} in a row), retried at the next one: ${err.message}` });
        return err === undefined;
      };
      const srv = await serveFederation(driver, {
        tokens, host: cfg.host, port: cfg.port, deadlineMs: cfg.deadlineMs, maxFrameBytes: cfg.maxFrameBytes,
        minClients: cfg.minClients, quorum: cfg.quorum, startTimeoutMs: cfg.startTimeoutMs, log,
        handshakeMs: cfg.handshakeMs, maxPending: cfg.maxPending, maxPendingPerAddress: cfg.maxPendingPerAddress, heartbeatMs: cfg.heartbeatMs,
        maxMissedRounds: cfg.maxMissedRounds, maxWrongTokens: cfg.maxWrongTokens, allowOrigins: cfg.allowOrigins, tls, roundGapMs: cfg.roundGapMs, roundEveryMs: cfg.roundEveryMs,
        resume: resumed?.coordinator,
        onRound: (r) => {
          // between rounds (after receive, before the next broadcast): what a restart needs
          if (store) {
            store.add(r);
            if ((r.round + 1) % cfg.checkpointEvery === 0 || r.round + 1 === cfg.session.rounds || store.failures > 0) checkpoint(r.round);
          }
          upBits += r.bitsUp; downBits += r.bitsDown;
          bar.tick(1, { loss: r.outcome.loss?.toPrecision(5) ?? "-", up: upBits, down: downBits });
        },
      });
      console.log(`fedquant serve: ${driver.checked.spec.algorithm} on ${cfg.session.problem.kind} (${n} clients, dimension ${driver.problem.dim}), ${cfg.session.rounds} rounds, at ${srv.url}`);
      if (srv.urls.length > 1) console.log(`also reachable at ${srv.urls.slice(1).join(", ")}`);
      if (resumed) console.log(`resumed from ${paths!.checkpoint} after round ${resumed.coordinator.round - 1}: clients reconnect with their tokens (the server logs who is still missing)`);
      console.log(`waiting for ${cfg.minClients ?? n} client(s); join with:`);
      tokens.forEach((t, i) => console.log(`  client ${i}: fedquant join ${srv.url} --token ${t}`));
      const stop = (): void => { void srv.close(); };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        const done = await srv.finished;
        bar.stop();
        // the last checkpoint must land: a few more tries, spaced, before giving up loudly
        for (let i = 0; store && store.failures > 0 && i < 5; i++) {
          await new Promise((r) => setTimeout(r, 200 * 2 ** i));
          checkpoint(done.reports.length - 1);
        }
        if (store && store.failures > 0) throw new FedquantError("E_IO", `the final checkpoint could not be written to ${paths!.checkpoint} (see the log above)`);
        const last = done.reports.at(-1)!;
        console.log(`finished ${done.reports.length} rounds: loss ${initialLoss?.toPrecision(6)} → ${last.outcome.loss?.toPrecision(6)}; ` +
          `payload bits up ${done.bitsUp}, down ${done.bitsDown} (used); not used: ${done.bitsUpRejected} up (late, refused or lost), ` +
          `${done.bitsDownUnused} down (to clients absent from their round); on the wire ${done.wireBytesUp} B up, ${done.wireBytesDown} B down`);
        if (cfg.roundEveryMs !== undefined) {
          const late = done.reports.filter((r) => r.late).length;
          console.log(`cadence ${cfg.roundEveryMs} ms: ${done.reports.length - late} round(s) on time, ${late} late (closed after their period)`);
        }
        if (paths) {
          writeFileSync(paths.reports, JSON.stringify({ session: driver.checked.spec, initialLoss, ...done }, null, 1));
          console.log(`reports written to ${paths.reports}`);
        }
      } finally {
        bar.stop();
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        await srv.close();
      }
    });
}
