// The messages between the demo page and its client workers, besides the protocol frames that
// travel on the same channel (src/federation/transport/link.ts linkOverPort tags those "frame").
export type ToWorker =
  /** be a client of the page's coordinator, over this worker's port */
  | { fq: "init"; mode: "port"; token: string; digitsUrl: string }
  /** join a Node server (`fedquant serve`) over WebSocket */
  | { fq: "init"; mode: "ws"; url: string; token: string; digitsUrl: string };

export type WorkerState = "starting" | "joined" | "running" | "done" | "failed";

export interface WorkerStatus {
  fq: "status";
  state: WorkerState;
  client?: number;
  /** rows and distinct labels of this client's shard */
  rows?: number;
  labels?: number[];
  round?: number;
  /** the client's own counters: information bits of what it sent / received */
  bitsUp: number;
  bitsDown: number;
  /** of bitsUp, what the server did not use (late or lost uplinks) */
  bitsUpRejected: number;
  /** loss of the client's model on its own shard, after its last step */
  localLoss?: number;
  /** join mode, MNIST: test accuracy of the model this client holds (rebuilt from the server's frames) */
  accuracy?: number;
  /** the session the server sent (join mode shows its rounds) */
  session?: { rounds: number };
  message?: string;
  /** the server's end-of-session summary (JSON) */
  summary?: unknown;
}
