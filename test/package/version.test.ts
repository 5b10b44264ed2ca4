// src/version.ts (stamped into CLI output, results and figures) must be package.json's version.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { version } from "../../src/version.js";

describe("version", () => {
  it("equals package.json's", () => {
    expect(version).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});
