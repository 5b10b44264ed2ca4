// What a value is, for error messages that say what was given ("got number 3", "got array of
// length 2"): the type first, so a wrong-typed argument is named as such, then a short value.
// Lowest layer (imports nothing): every layer's argument checks use it.

/** "number 3", "string \"3\"", "null", "array of length 2", "Float64Array of length 3", "object {a, b}" … */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "undefined": return "undefined";
    case "number": return `number ${String(v)}`;
    case "bigint": return `bigint ${String(v)}n`;
    case "boolean": return `boolean ${String(v)}`;
    case "string": return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case "symbol": return "symbol";
    case "function": return "function";
    default: break;
  }
  if (Array.isArray(v)) return `array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} of length ${(v as unknown as ArrayLike<number>).length ?? v.byteLength}`;
  const ctor = (v as object).constructor?.name;
  if (ctor && ctor !== "Object") return `object ${ctor}`;
  const keys = Object.keys(v as object);
  return `object {${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", …" : ""}}`;
}

/** The type word a check names ("array", "null" and "object" apart, unlike typeof). */
export function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** A plain object (not null, not an array): what options / params / config arguments must be. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
