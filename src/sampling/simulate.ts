// One round of a federated sampler driven in-process: the same bytes a network transport would
// carry (spec/langevin.md; DESIGN.md "what is tested in-process is what runs over the wire").
import type { SamplerClient } from "./client.js";
import type { ClientPotential } from "./model.js";
import type { SamplerServer, Uplink } from "./server.js";

export function simulateRound(server: SamplerServer, clients: readonly SamplerClient[], potentials: readonly ClientPotential[]): void {
  const round = server.round;
  const down = server.broadcast(round);
  const uplinks: Uplink[] = [];
  for (const i of server.participants(round)) uplinks.push({ client: i, bytes: clients[i]!.step(round, down, potentials[i]!) });
  server.receive(round, uplinks);
}
