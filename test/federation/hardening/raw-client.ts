// Test helper: a hand-driven WebSocket client of the round protocol — says hello (or not), then
// sends whatever the test wants, recording every frame and how the connection ended.
import WebSocket from "ws";
import { decodeFrame, encodeFrame, NO_ROUND, type Frame } from "../../../src/federation/transport/frames.js";

export class RawClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (d: Buffer) => { this.frames.push(decodeFrame(new Uint8Array(d))); for (const w of this.waiters.splice(0)) w(); });
    this.closed = new Promise((r) => ws.on("close", (code, reason) => r({ code, reason: reason.toString() })));
  }
  /** Open a connection; with a token, say hello (claiming `applied` as the last applied round). */
  static async connect(url: string, tok?: string, applied = NO_ROUND, headers?: Record<string, string>): Promise<RawClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers });
    const c = new RawClient(ws);
    await new Promise<void>((res, rej) => { ws.once("open", () => res()); ws.once("error", rej); ws.once("unexpected-response", (_q, r) => rej(new Error(`HTTP ${r.statusCode}`))); });
    if (tok !== undefined) ws.send(encodeFrame({ type: "hello", round: applied, token: tok }));
    return c;
  }
  /** The first frame of this type (waits for it; bounded by the test timeout). */
  async next(type: Frame["type"]): Promise<Frame> {
    for (;;) {
      const f = this.frames.find((x) => x.type === type);
      if (f) return f;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
  send(b: Uint8Array): void { this.ws.send(b); }
}
