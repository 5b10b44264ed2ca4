// The source maps shipped in the package point at nothing missing (issue #14 polish): `src/` is not
// in the tarball, so every map must carry its sources inline (tsconfig.build.json inlineSources),
// and every compiled file that names a map must ship it. Checked on `npm pack`'s own file list.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");

function packedFiles(): string[] {
  // --ignore-scripts: list what `npm pack` ships from the dist/ already built, without rebuilding
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe("shipped source maps", () => {
  const files = existsSync(join(root, "dist/index.js")) ? packedFiles() : [];
  const shipped = new Set(files);
  const maps = files.filter((f) => f.endsWith(".map"));

  it("the package has compiled code with source maps (run `npm run build:ts` first)", () => {
    expect(shipped.has("dist/index.js")).toBe(true);
    expect(maps.length).toBeGreaterThan(10);
  });

  it("every map has the text of each of its sources inline, or the source is shipped", () => {
    const missing: string[] = [];
    for (const m of maps) {
      const map = JSON.parse(readFileSync(join(root, m), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[]; sourceRoot?: string };
      map.sources.forEach((s, i) => {
        const inline = map.sourcesContent?.[i];
        const target = posix.normalize(posix.join(posix.dirname(m), map.sourceRoot ?? "", s));
        if (!(typeof inline === "string" && inline.length > 0) && !shipped.has(target)) missing.push(`${m}: ${s}`);
      });
    }
    expect(missing.slice(0, 10)).toEqual([]);
  });

  it("the inline text is the source it was compiled from", () => {
    const m = "dist/index.js.map";
    const map = JSON.parse(readFileSync(join(root, m), "utf8")) as { sources: string[]; sourcesContent: string[] };
    expect(map.sourcesContent[0]).toBe(readFileSync(resolve(root, dirname(m), map.sources[0]!), "utf8"));
  });

  it("every shipped file that names a map (sourceMappingURL) ships it", () => {
    const dangling: string[] = [];
    for (const f of files.filter((x) => /\.(m?js|d\.ts)$/.test(x))) {
      const ref = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, f), "utf8"))?.[1];
      if (ref && !ref.startsWith("data:") && !shipped.has(posix.join(posix.dirname(f), ref))) dangling.push(`${f} → ${ref}`);
    }
    expect(dangling).toEqual([]);
  });
});
