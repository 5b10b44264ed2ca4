// Test helper: a small well-formedness check for the SVG/HTML we emit (balanced tags, quoted
// attributes, no stray "<" or "&" in text) — enough to catch broken post-processing and escaping.
export function xmlProblems(doc: string, voidTags: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+(?:\s*=\s*"[^"]*")?)*)\s*(\/?)>/y;
  let i = 0;
  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    const text = doc.slice(i, lt === -1 ? doc.length : lt);
    if (/&(?!(?:amp|lt|gt|quot|#39|#\d+|#x[\da-f]+);)/i.test(text)) problems.push(`bare & in text near ${JSON.stringify(text.slice(0, 40))}`);
    if (lt === -1) break;
    if (doc.startsWith("<!DOCTYPE", lt) || doc.startsWith("<?xml", lt)) {
      i = doc.indexOf(">", lt) + 1;
      continue;
    }
    if (doc.startsWith("<!--", lt)) {
      i = doc.indexOf("-->", lt) + 3;
      continue;
    }
    tag.lastIndex = lt;
    const m = tag.exec(doc);
    if (!m) {
      problems.push(`malformed tag at ${lt}: ${JSON.stringify(doc.slice(lt, lt + 60))}`);
      i = lt + 1;
      continue;
    }
    const [, close, name, , selfClose] = m;
    const lower = name!.toLowerCase();
    if (close) {
      const open = stack.pop();
      if (open !== lower) problems.push(`</${name}> closes <${open ?? "nothing"}>`);
    } else if (!selfClose && !voidTags.has(lower)) {
      stack.push(lower);
      // Raw-text elements: skip to their end tag.
      if (lower === "style" || lower === "script") {
        const end = doc.indexOf(`</${lower}>`, tag.lastIndex);
        i = end === -1 ? doc.length : end;
        continue;
      }
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(" > ")}`);
  return problems;
}

export const HTML_VOID = new Set(["meta", "link", "br", "hr", "img", "input"]);

/** RFC 4180 reader, the inverse of toCsv, for round-trip tests. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
