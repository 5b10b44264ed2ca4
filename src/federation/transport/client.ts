// Joining a federation over WebSocket, in browsers (the native WebSocket) and in Node (pass the
// `ws` constructor; client-node.ts does): one Participant, reconnected after a dropped
// connection with exponential back-off, so its algorithm state and catch-up survive the drop.
import { FedquantError } from "../../errors.js";
import { CloseCode, isFinalClose, linkOverWebSocket, type WebSocketCtor, type WebSocketLike } from "./link.js";
import { Participant, type ParticipantOptions, type ParticipantResult } from "./participant.js";
import { Backoff } from "./backoff.js";

export interface JoinOptions extends ParticipantOptions {
  /** Default: globalThis.WebSocket (browsers, Node ≥ 22). */
  WebSocket?: WebSocketCtor;
  /** Reconnection attempts in a row before giving up (default: no count limit, see retryForMs); reset by every successful connection. */
  retries?: number;
  /**
   * Keep trying to reconnect for this long (ms) after the last working connection ended, then
   * give up (default 10 minutes: long enough to ride out a server restart with --resume).
   */
  retryForMs?: number;
  /**
   * First back-off delay in ms, doubled per failed attempt up to maxRetryDelayMs (default 200);
   * each wait is drawn in [d/2, d] from a Philox stream keyed by the token (backoff.ts).
   */
  retryDelayMs?: number;
  /** The back-off's cap in ms (default 5000). */
  maxRetryDelayMs?: number;
  /** Called before each wait between attempts (the attempt that failed, counted from 1, and the wait in ms). */
  onRetry?: (info: { failures: number; delayMs: number; why: string }) => void;
}

export interface Membership {
  readonly participant: Participant;
  /** Resolves when the server says the session is over; rejects if we are refused or give up. */
  readonly result: Promise<ParticipantResult>;
  /** Leave now (the server treats us as absent from then on). */
  leave(): void;
}

function opened(ws: WebSocketLike): Promise<boolean> {
  return new Promise((resolve) => {
    ws.addEventListener("open", () => resolve(true));
    ws.addEventListener("close", () => resolve(false));
  });
}

export function joinFederation(url: string, opts: JoinOptions): Membership {
  const WS = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (!WS) throw new FedquantError("E_CONFIG", "no WebSocket implementation: pass one as opts.WebSocket (in Node, use joinFederationNode)");
  const participant = new Participant(opts);
  let current: WebSocketLike | undefined;
  let left = false;

  const retryFor = opts.retryForMs ?? 600_000;
  const maxDelay = opts.maxRetryDelayMs ?? 5000;
  const run = async (): Promise<ParticipantResult> => {
    let failures = 0;
    const backoff = new Backoff(opts.token, opts.retryDelayMs ?? 200, maxDelay);
    let delay = backoff.next();
    let since = Date.now();
    let lastWhy = "";
    for (;;) {
      if (left) throw new FedquantError("E_STATE", "left the federation before it finished");
      let ws: WebSocketLike;
      // the constructor throws on a malformed address (browsers and `ws` alike): a user error, not a crash
      try { ws = new WS(url); } catch (e) {
        throw new FedquantError("E_CONFIG", `cannot connect to ${JSON.stringify(url)}: ${(e as Error).message}`, { cause: e });
      }
      current = ws;
      // listeners must exist before the socket can open: the link is made right away
      const link = linkOverWebSocket(ws, url);
      const isOpen = opened(ws);
      if (await isOpen) {
        const end = await participant.attach(link);
        if (participant.finished) return participant.finished;
        if (participant.failed) throw participant.failed;
        if (left) throw new FedquantError("E_STATE", "left the federation before it finished");
        lastWhy = `${end.bye ?? end.reason} (close code ${end.code})`;
        if (isFinalClose(end.code)) throw new FedquantError("E_PROTOCOL", `the server closed the connection: ${lastWhy}`);
        // a connection that got as far as a welcome was working: the budget starts again
        if (participant.client !== undefined && end.code !== CloseCode.busy && end.code !== CloseCode.throttled) {
          failures = 0;
          backoff.reset();
          delay = backoff.next();
          since = Date.now();
        }
        opts.log?.({ level: "warn", event: "disconnected", client: participant.client, message: `connection lost: ${lastWhy}; reconnecting` });
      } else {
        lastWhy = `could not connect to ${url}`;
      }
      failures++;
      if (opts.retries !== undefined && failures > opts.retries) throw new FedquantError("E_PROTOCOL", `gave up after ${failures} failed attempts: ${lastWhy}`);
      if (Date.now() - since + delay > retryFor) throw new FedquantError("E_PROTOCOL", `gave up after ${failures} failed attempts in ${Math.round((Date.now() - since) / 1000)} s: ${lastWhy}`);
      opts.onRetry?.({ failures, delayMs: delay, why: lastWhy });
      await new Promise((r) => setTimeout(r, delay));
      delay = backoff.next();
    }
  };

  const result = run();
  result.catch(() => {});
  return {
    participant,
    result,
    leave() { left = true; current?.close(CloseCode.normal, "leaving"); },
  };
}
