// `fedquant join <url> --token <t>`: take part in a served federation as one client. The client
// rebuilds its own data shard and state machine from the session the server sends, answers each
// round, and reconnects (with catch-up) if the connection drops.
import type { Command } from "commander";
import { FedquantError } from "../../errors.js";
import { ready } from "../../kernel/index.js";
import { algorithmParticipantFactory } from "../../federation/transport/algorithm-driver.js";
import { joinFederationNode } from "../../federation/transport/client-node.js";
import { nodeDigits } from "./serve.js";

export function registerJoin(program: Command): void {
  program.command("join")
    .argument("<url>", "the server's address, e.g. ws://127.0.0.1:8787")
    .requiredOption("--token <token>", "this client's token (printed by `fedquant serve`)")
    .option("--retries <n>", "reconnection attempts in a row before giving up", "8")
    .option("--quiet", "print only the final line")
    .description("join a federated session served by `fedquant serve` as one client")
    .action(async (url: string, opts: { token: string; retries: string; quiet?: boolean }) => {
      if (!/^wss?:\/\//.test(url)) throw new FedquantError("E_CONFIG", `the url must start with ws:// or wss://, got ${url}`);
      const retries = Number(opts.retries);
      if (!Number.isInteger(retries) || retries < 0) throw new FedquantError("E_CONFIG", `--retries must be an integer ≥ 0, got ${opts.retries}`);
      await ready();
      const quiet = opts.quiet ?? false;
      const m = joinFederationNode(url, {
        token: opts.token, retries, factory: algorithmParticipantFactory({ loadDigits: nodeDigits }),
        log: (e) => { if (!quiet || e.level === "warn") console.error(`${e.event}: ${e.message}`); },
        onStep: (s) => { if (!quiet) console.error(`round ${s.round}: sent ${s.bitsUp} bits, received ${s.bitsDown} bits so far`); },
      });
      const stop = (): void => m.leave();
      process.once("SIGINT", stop);
      try {
        const r = await m.result;
        console.log(`client ${r.client}: ${r.accepted} uplinks used by the server (${r.steps} steps); ` +
          `payload bits sent ${r.bitsUp}, received ${r.bitsDown}; server summary ${JSON.stringify(r.summary)}`);
      } finally {
        process.off("SIGINT", stop);
      }
    });
}
