// Splitting text into lines (\n or \r\n), shared by the pure parsers.

/** The lines of a string; a final newline does not add an empty last line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
