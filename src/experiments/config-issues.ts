// Config mistakes as lines a user can act on: where (the dotted path), what was expected (the
// accepted forms, for fields with several), and what was found (the value itself, quoted).
import type { z } from "zod";

function at(input: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== "object" || !(k in (v as object))) return { found: false };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { found: true, value: v };
}

function show(v: unknown): string {
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** One "  path: message; found <value>" line per issue (no "found" for a missing or unknown key). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  return issues.map((i) => {
    const where = i.path.length ? i.path.map(String).join(".") : "(root)";
    const v = at(input, i.path);
    if (!v.found || i.code === "unrecognized_keys") return `  ${where}: ${i.message}`;
    // zod's type errors end "received string": the value follows the type ("received string "1"")
    const found = /received \w+$/.test(i.message) ? ` ${show(v.value)}` : `; found ${show(v.value)}`;
    return `  ${where}: ${i.message}${found}`;
  }).join("\n");
}
