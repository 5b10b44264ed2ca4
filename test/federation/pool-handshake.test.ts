// The Node pool's handshake with a worker (thread.ts, protocol.ts), driven by scripted workers that
// do what a loaded machine or a crashing thread can do: notify long after setting the flag (a
// worker descheduled between its store and its notify, the cause of the E_STATE "signalled without
// a reply" seen on main under load), and end in the middle of a request. The caller must get each
// reply to its own request, and an E_STATE — not a hang — from a worker that is gone.
import { afterAll, describe, expect, it } from "vitest";
import { PoolThread, acquireThread, closeIdleThreads, releaseThread } from "../../src/federation/pool/thread.js";

afterAll(() => closeIdleThreads());

// Works 100 ms on each request, answers with the request's `echo`, posts the reply and sets the
// flag, but notifies 40 ms later (descheduled between its store and its notify). Stores 1 for an
// unnumbered request (the handshake before numbers), so the same script shows what the old
// wait() did with it: it threw "signalled without a reply".
const LATE_NOTIFY = `const { workerData } = require("node:worker_threads");
const f = new Int32Array(workerData.flag); const nap = new Int32Array(new SharedArrayBuffer(4));
workerData.port.on("message", (m) => {
  Atomics.wait(nap, 0, 0, 100);
  workerData.port.postMessage({ op: "load", seq: m.seq, echo: m.echo });
  Atomics.store(f, 0, m.seq ?? 1);
  Atomics.wait(nap, 0, 0, 40);
  Atomics.notify(f, 0);
});`;

const nap = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number) => Atomics.wait(nap, 0, 0, ms);

// The real worker (worker.ts, through tsx as thread.ts's BOOT does) whose port ends the thread
// when worker.ts is about to post the reply to a "save" request: it dies without answering.
const dying = (how: string) => `const { workerData } = require("node:worker_threads");
const port = workerData.port, post = port.postMessage.bind(port);
port.postMessage = (r, t) => { if (r.op === "save") { ${how} } return post(r, t); };
import(workerData.tsx).then((m) => { m.register(); return import(workerData.entry); });`;

describe("pool handshake: each reply to its own request", () => {
  it("a notify arriving after the next request was sent is not taken for its reply", () => {
    const th = new PoolThread(LATE_NOTIFY);
    try {
      for (let k = 0; k < 6; k++) {
        th.post({ op: "load", states: [], echo: k } as never);
        // even k: the caller's own clients take 120 ms, so it comes to wait() after the flag was
        // set but before the notify, and reads the reply at once; odd k: it waits at once, and
        // the previous reply's notify wakes it 100 ms before this reply is posted
        if (k % 2 === 0) sleep(120);
        expect((th.wait() as unknown as { echo: number }).echo).toBe(k);
      }
    } finally { th.close(); }
  });
});

describe("pool handshake: a worker that ends without answering fails the call (E_STATE), never hangs", () => {
  it.each([
    ["process.exit()", "process.exit(3);"],
    // the save reply is dropped and the thread dies of an uncaught exception
    ["an uncaught exception", "setImmediate(() => { throw new Error('boom'); }); return;"],
    // no JavaScript runs as it ends (its own exit handler neither): the warden sees it go
    ["running out of heap", "const a = []; for (;;) a.push(new Array(1e5).fill(1));"],
  ])("%s during a request", (_, how) => {
    const th = new PoolThread(dying(how), { maxOldGenerationSizeMb: 64 });
    try {
      // the real worker answers (an init-less load is an empty one) before the fatal request
      expect(th.call({ op: "load", states: [] }).op).toBe("load");
      expect(() => th.call({ op: "save" })).toThrow(expect.objectContaining({ code: "E_STATE", message: expect.stringMatching(/exited without answering/) }));
      expect(th.alive).toBe(false);
      // nothing more is sent to it, and it is not kept for the next pool
      expect(() => th.post({ op: "save" })).toThrow(expect.objectContaining({ code: "E_STATE", message: expect.stringMatching(/has exited/) }));
      releaseThread(th, true);
      const next = acquireThread();
      expect(next).not.toBe(th);
      releaseThread(next, true);
    } finally { th.close(); }
  }, 20_000);
});

describe("pool handshake: a worker that cannot start", () => {
  // what thread.ts's BOOT does when the worker's code fails to load: an unnumbered error, then DEAD
  const NO_START = `const { workerData } = require("node:worker_threads");
workerData.port.postMessage({ op: "error", error: { code: "E_WASM", message: "pool worker failed to start: no module" } });
const f = new Int32Array(workerData.flag); Atomics.store(f, 0, -1); Atomics.notify(f, 0);`;
  it.each([
    ["asked before it failed", 0],
    ["asked after it failed", 300],
  ])("its error reaches the caller (E_WASM) when %s", (_, after) => {
    const th = new PoolThread(NO_START);
    try {
      if (after > 0) sleep(after);
      expect(() => th.call({ op: "save" })).toThrow(expect.objectContaining({ code: "E_WASM", message: expect.stringMatching(/failed to start: no module/) }));
    } finally { th.close(); }
  });
});
