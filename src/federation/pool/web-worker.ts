// A pool worker in a browser (a module Web Worker): serve.ts answers with postMessage; the page's
// WebClientPool (web-pool.ts) awaits each reply. Start it with
//   new Worker(new URL("fedquant/dist/federation/pool/web-worker.js", import.meta.url), { type: "module" })
// or let webThreads() do it.
import type { Request } from "./protocol.js";
import { serveClients } from "./serve.js";

interface WorkerScope { postMessage(m: unknown, transfer: ArrayBuffer[]): void; onmessage: ((ev: { data: Request }) => void) | null }
const scope = globalThis as unknown as WorkerScope;
const handle = serveClients((r, transfer) => scope.postMessage(r, transfer));
scope.onmessage = (ev) => handle(ev.data);
