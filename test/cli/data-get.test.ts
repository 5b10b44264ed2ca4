// `fedquant data get`: downloads from a local HTTP server on 127.0.0.1 serving ../shared/data (this
// machine has no internet; the real source is the LIBSVM data-sets page), checks the SHA-256 against
// the digests of the files the experiments use, caches them with the shipped split, and refuses a
// corrupted download without leaving a file behind. Skipped (noted) when ../shared/data is absent.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/program.js";
import { referenceFiles } from "../../src/cli/data-dir.js";
import { DATA_SOURCES } from "../../src/data/sources.js";
import { noteSkip } from "../helpers/chromium.js";

const SHARED = "../shared/data";
const have = existsSync(join(SHARED, "phishing.libsvm"));
if (!have) noteSkip(`test/cli/data-get.test.ts: ${SHARED}/phishing.libsvm absent (the local server serves it)`);

describe.skipIf(!have)("fedquant data get", () => {
  let server: Server;
  let base = "";
  let cache = "";
  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), "fedquant-cache-"));
    process.env.FEDQUANT_CACHE_DIR = cache;
    server = createServer((req, res) => {
      const name = (req.url ?? "").split("/").pop()!;
      // one connection per request: a kept-alive socket the server times out reads as ECONNRESET
      const close = { Connection: "close" };
      if (name === "phishing") res.writeHead(200, close).end(readFileSync(join(SHARED, "phishing.libsvm")));
      else if (name === "a9a") res.writeHead(200, close).end(Buffer.from("corrupted\n")); // wrong bytes
      else res.writeHead(404, close).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}/datasets/binary/`;
  });
  afterAll(() => { server?.close(); delete process.env.FEDQUANT_CACHE_DIR; rmSync(cache, { recursive: true, force: true }); });
  afterEach(() => vi.restoreAllMocks());

  async function cli(...args: string[]): Promise<{ code: number; err: string }> {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => { lines.push(a.join(" ")); });
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => { lines.push(a.join(" ")); });
    return { code: await runCli(["node", "fedquant", ...args], { exitOverride: true }), err: lines.join("\n") };
  }

  it("the digests in the source table are those of ../shared/data's files", () => {
    for (const s of Object.values(DATA_SOURCES)) {
      expect(createHash("sha256").update(readFileSync(join(SHARED, s.file))).digest("hex")).toBe(s.sha256);
    }
  });

  it("downloads phishing, checks it, caches it with its split, and run/e3 then find it there", { timeout: 180_000 }, async () => {
    // the real command in a child process (as a user runs it) against this process's server
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "data", "get", "phishing", "--from", base], { env: { ...process.env, FEDQUANT_CACHE_DIR: cache }, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => { err += String(d); });
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code, err).toBe(0);
    const dir = join(cache, "data");
    expect(readFileSync(join(dir, "phishing.libsvm"))).toEqual(readFileSync(join(SHARED, "phishing.libsvm")));
    expect(readFileSync(join(dir, "phishing-noniid-20.json"))).toEqual(readFileSync(join(SHARED, "phishing-noniid-20.json")));
    expect(referenceFiles("phishing", join(cache, "nowhere"))).toEqual({ dir });
  });

  it("a download whose SHA-256 differs is E_DATA and leaves no file", async () => {
    const r = await cli("data", "get", "a9a", "--from", base);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_DATA: .*SHA-256 [0-9a-f]{64} is not the expected f5d5ffd8/);
    expect(existsSync(join(cache, "data", "a9a.libsvm"))).toBe(false);
  });

  it("an unreachable mirror is E_IO naming the URL; an unknown set gets a suggestion", async () => {
    const r = await cli("data", "get", "phishing", "--force", "--from", "http://127.0.0.1:1/");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_IO: could not download http:\/\/127\.0\.0\.1:1\/phishing/);
    const u = await cli("data", "get", "phishng");
    expect(u.err).toMatch(/E_CONFIG: unknown data set "phishng"; did you mean "phishing"\?/);
  });
});
