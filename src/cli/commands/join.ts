// `fedquant join <url> --token <t>`: take part in a served federation as one client. The client
// rebuilds its own data shard and state machine from the session the server sends, answers each
// round, and reconnects (with catch-up) if the connection drops. With --state DIR it saves its
// whole state atomically after every step, and a restarted process continues from it
// (docs/network.md "Durable clients").
import { nodeModelBuilder } from "../cnn-model.js";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { ready } from "../../kernel/index.js";
import { writeAtomic } from "../../sampling/checkpoint-node.js";
import { algorithmParticipantFactory } from "../../federation/transport/algorithm-driver.js";
import { joinFederationNode } from "../../federation/transport/client-node.js";
import { checkParticipantState, type ParticipantState } from "../../federation/transport/participant.js";
import { nodeDigits } from "./serve.js";

/** The saved state of a client, or undefined if DIR holds none yet. */
export function readClientState(dir: string): ParticipantState | undefined {
  const path = join(dir, "client-state.json");
  if (!existsSync(path)) return undefined;
  let x: unknown;
  try { x = JSON.parse(readFileSync(path, "utf8")); } catch (e) {
    throw new FedquantError("E_STATE", `the client state ${path} is damaged: ${(e as Error).message}`, { cause: e });
  }
  return checkParticipantState(x);
}

export function registerJoin(program: Command): void {
  program.command("join")
    .argument("<url>", "the server's address, e.g. ws://127.0.0.1:8787")
    .requiredOption("--token <token>", "this client's token (printed by `fedquant serve`)")
    .option("--state <dir>", "save this client's state here after every round, and resume from it when restarted")
    .option("--retry-for <seconds>", "keep reconnecting this long after a connection is lost (covers a server restart)", "600")
    .option("--retries <n>", "also give up after this many failed reconnection attempts in a row")
    .option("--ca <pem>", "trust this certificate (PEM) for wss://, e.g. a self-signed server's")
    .option("--quiet", "print only the final line")
    .description("join a federated session served by `fedquant serve` as one client")
    .action(async (url: string, opts: { token: string; retries?: string; retryFor: string; state?: string; quiet?: boolean; ca?: string }) => {
      if (!/^wss?:\/\//.test(url)) throw new FedquantError("E_CONFIG", `the url must start with ws:// or wss://, got ${url}`);
      const retries = opts.retries === undefined ? undefined : Number(opts.retries);
      if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0)) throw new FedquantError("E_CONFIG", `--retries must be an integer ≥ 0, got ${opts.retries}`);
      const retryFor = Number(opts.retryFor);
      if (!(Number.isFinite(retryFor) && retryFor >= 0 && retryFor <= 7 * 86_400)) throw new FedquantError("E_CONFIG", `--retry-for must be a number of seconds in [0, 604800], got ${opts.retryFor}`);
      let state: ParticipantState | undefined;
      const statePath = opts.state !== undefined ? join(opts.state, "client-state.json") : undefined;
      if (opts.state !== undefined) {
        try { mkdirSync(opts.state, { recursive: true }); } catch (e) { throw new FedquantError("E_IO", `cannot create ${opts.state}: ${(e as Error).message}`); }
        state = readClientState(opts.state);
      }
      let ca: string | undefined;
      if (opts.ca !== undefined) {
        try { ca = readFileSync(opts.ca, "utf8"); } catch (e) { throw new FedquantError("E_IO", `cannot read --ca ${opts.ca}: ${(e as Error).message}`); }
        if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new FedquantError("E_CONFIG", `--ca ${opts.ca} holds no PEM certificate`);
      }
      await ready();
      const quiet = opts.quiet ?? false;
      const utf8 = new TextEncoder();
      if (state && !quiet) console.error(`resuming client ${state.client} from ${statePath} (last applied round ${state.lastRound})`);
      const m = joinFederationNode(url, {
        token: opts.token, retries, retryForMs: retryFor * 1000, state, ca,
        factory: algorithmParticipantFactory({ loadDigits: nodeDigits, buildModel: nodeModelBuilder }),
        // atomically, before the uplink leaves: the saved state never lags what the server may use
        onState: statePath ? (s) => writeAtomic(statePath, utf8.encode(JSON.stringify(s))) : undefined,
        log: (e) => { if (!quiet || e.level === "warn") console.error(`${e.event}: ${e.message}`); },
        onStep: (s) => { if (!quiet) console.error(`round ${s.round}: sent ${s.bitsUp} bits, received ${s.bitsDown} bits so far`); },
      });
      const stop = (): void => m.leave();
      process.once("SIGINT", stop);
      try {
        const r = await m.result;
        console.log(`client ${r.client}: ${r.accepted} uplinks used by the server (${r.steps} steps); ` +
          `payload bits sent ${r.bitsUp} (of which ${r.bitsUpRejected} in uplinks the server did not use), received ${r.bitsDown}; ` +
          `server summary ${JSON.stringify(r.summary)}`);
      } finally {
        process.off("SIGINT", stop);
      }
    });
}
