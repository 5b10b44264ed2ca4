// Every relative link in README.md and docs/*.md points to a file that exists, and every #anchor to a
// heading of that file (GitHub's slug rule: lower case, punctuation except "-" and "_" dropped,
// spaces → "-"), so a renamed heading or a moved page breaks this test and not a reader's click.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's heading anchor: lower case, drop everything but letters, digits, spaces, "-" and "_", spaces → "-". */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors a markdown file offers (duplicate headings get -1, -2, … as on GitHub). */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const noCode = text.replace(/```[\s\S]*?```/g, "");
  for (const m of noCode.matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const s = slug(m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
    const n = seen.get(s) ?? 0;
    out.add(n === 0 ? s : `${s}-${n}`);
    seen.set(s, n + 1);
  }
  return out;
}

interface Link { file: string; line: number; target: string }

function linksOf(file: string): Link[] {
  const text = readFileSync(join(root, file), "utf8").replace(/```[\s\S]*?```/g, (b) => b.replace(/[^\n]/g, " "));
  const out: Link[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
    out.push({ file, line: text.slice(0, m.index).split("\n").length, target });
  }
  return out;
}

const links = files.flatMap(linksOf);

describe("relative links in README.md and docs/*.md", () => {
  it("the slug rule gives GitHub's anchors", () => {
    expect(slug("The default job")).toBe("the-default-job");
    expect(slug("Durable clients: `fedquant join --state DIR`")).toBe("durable-clients-fedquant-join---state-dir");
    expect(slug("E5 — federated CNN on MNIST (`fedquant e5 [--quick]`)")).toBe("e5--federated-cnn-on-mnist-fedquant-e5---quick");
  });

  it("finds the links (the check is not vacuous)", () => {
    expect(links.length).toBeGreaterThanOrEqual(10);
    expect(links.some((l) => l.target.includes("#"))).toBe(true);
  });

  it("every linked file exists", () => {
    const broken = links.filter((l) => {
      const path = l.target.split("#")[0]!;
      return path !== "" && !existsSync(resolve(root, dirname(l.file), decodeURIComponent(path)));
    });
    expect(broken.map((l) => `${l.file}:${l.line}: ${l.target}`)).toEqual([]);
  });

  it("every #anchor names a heading of the linked markdown file", () => {
    const broken = links.filter((l) => {
      const [path, anchor] = l.target.split("#") as [string, string | undefined];
      if (anchor === undefined) return false;
      const target = path === "" ? join(root, l.file) : resolve(root, dirname(l.file), path);
      if (!target.endsWith(".md") || !existsSync(target)) return false; // the file check reports it
      return !anchorsOf(readFileSync(target, "utf8")).has(anchor);
    });
    expect(broken.map((l) => `${l.file}:${l.line}: ${l.target}`)).toEqual([]);
  });
});
