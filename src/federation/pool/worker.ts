// A pool worker thread (Node worker_threads): serve.ts answers on the port, then the shared flag
// wakes the main thread blocked in Atomics.wait (thread.ts).
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import type { Request } from "./protocol.js";
import { serveClients } from "./serve.js";

const { port, flag } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const signal = new Int32Array(flag);

const handle = serveClients((r, transfer) => {
  port.postMessage(r, transfer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
port.on("message", (m: Request) => handle(m));
parentPort?.postMessage("up");
