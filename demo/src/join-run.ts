// This tab as one client of a Node server (`fedquant serve`): a worker joins over WebSocket.
import type { ToWorker, WorkerStatus } from "./messages.js";

export function startJoin(url: string, token: string, digitsUrl: string, onStatus: (s: WorkerStatus) => void): { stop(): void } {
  const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "fedquant client (join)" });
  w.addEventListener("message", (ev: MessageEvent) => {
    const m = ev.data as WorkerStatus;
    if (m?.fq === "status") onStatus(m);
  });
  w.postMessage({ fq: "init", mode: "ws", url, token, digitsUrl } satisfies ToWorker);
  return { stop: () => w.terminate() };
}
