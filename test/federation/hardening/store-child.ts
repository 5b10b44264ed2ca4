// Test helper process: writes serve checkpoints with ServeStore in a tight loop, from round
// argv[3] on, until it is killed (hardening-checkpoint.test.ts kills it with SIGKILL at random
// points). Each snapshot's server field names its round, so a reader can check they agree.
import { ServeStore } from "../../../src/federation/transport/serve-store-node.js";
import { storeSnapshot, storeReport } from "./store-fixture.js";

const [dir, fromArg] = process.argv.slice(2);
let round = Number(fromArg);
const store = new ServeStore(`${dir}/checkpoint.json`, `${dir}/reports.jsonl`, round);
process.stdout.write("ready\n");
for (;;) {
  store.add(storeReport(round));
  round++;
  const err = store.save(storeSnapshot(round));
  if (err) throw err;
}
