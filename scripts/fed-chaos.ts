// `npm run chaos:federation [-- --absent repeat|skip] [--seed n] [--clients n] [--rounds n]`:
// the clean run, then the chaos run (fed-chaos-lib.ts), and whether they end in the same state.
// Loopback only; stops by itself (each run is bounded by 10 minutes). Exit 1 if a run fails, or
// if with absent "repeat" the final states differ.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compare, killStarted, runSession, type ChaosOptions } from "./fed-chaos-lib.js";

for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => { killStarted(); process.exit(130); });

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const dir = mkdtempSync(join(tmpdir(), "fedquant-chaos-"));
const o: ChaosOptions = {
  dir,
  clients: Number(arg("clients", "4")),
  rounds: Number(arg("rounds", "120")),
  roundGapMs: Number(arg("gap", "50")),
  seed: Number(arg("seed", "1")),
  absent: arg("absent", "repeat") as "repeat" | "skip",
  serverKills: 2,
  maxEvents: Number(arg("events", "20")),
  eventGapMs: [400, 1500],
  timeoutMs: 600_000,
  log: (l) => console.log(l),
};
try {
  console.log(`chaos: ${o.clients} clients, ${o.rounds} rounds, absent "${o.absent}", seed ${o.seed}; clean run first`);
  const clean = await runSession(o, "clean", false);
  console.log(`clean run: ${clean.reports.length} rounds in ${clean.seconds.toFixed(1)} s`);
  const chaos = await runSession(o, "chaos", true);
  const c = compare(clean, chaos);
  const kills = chaos.events.filter((e) => /server SIGKILLed/.test(e)).length;
  const clientEvents = chaos.events.filter((e) => /client \d+ SIG/.test(e)).length;
  console.log(`chaos run: ${c.rounds} rounds in ${chaos.seconds.toFixed(1)} s, ${clientEvents} client events and ${kills} server kills (above), ${c.absentRounds} round(s) closed with absent clients`);
  console.log(`final loss: clean ${c.finalLoss[0]}, chaos ${c.finalLoss[1]}`);
  console.log(`server state equal: ${c.sameServer}; per-round losses equal: ${c.sameLosses}; used bits per round equal: ${c.sameUsedBits}; client states equal: ${c.sameClients.join(", ")}`);
  if (chaos.unfinished.length > 0) console.log(`clients that did not see the end: ${chaos.unfinished.join(", ")} (their saved state is from before it)`);
  console.log(`sent and not used in the chaos run: ${c.unused.bitsDownUnused} bits down, ${c.unused.bitsUpRejected} bits up`);
  if (o.absent === "repeat" && !(c.sameServer && c.sameLosses && c.sameUsedBits && c.sameClients.every(Boolean))) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
