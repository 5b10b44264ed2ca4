// A pool worker thread (Node worker_threads): serve.ts answers on the port, then the shared flag
// (the reply's sequence number, protocol.ts) wakes the main thread blocked in Atomics.wait
// (thread.ts). A thread that ends — uncaught error, process.exit() — sets the flag to DEAD, so a
// main thread waiting for a reply that will never come is woken and throws instead of hanging.
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import { DEAD, type Request } from "./protocol.js";
import { serveClients } from "./serve.js";

const { port, flag } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const signal = new Int32Array(flag);

process.on("exit", () => { Atomics.store(signal, 0, DEAD); Atomics.notify(signal, 0); });

const handle = serveClients((r, transfer) => {
  port.postMessage(r, transfer);
  // after the post: once the main thread sees this number, the reply is in its port's queue
  Atomics.store(signal, 0, r.seq ?? 0);
  Atomics.notify(signal, 0);
});
port.on("message", (m: Request) => handle(m));
parentPort?.postMessage("up");
