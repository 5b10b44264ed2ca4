// M4 decimation (Jugel et al., VLDB 2014): per pixel column keep the first, last, lowest and highest
// point. A line drawn through those is the same picture as through all points, so a 10⁵-iteration
// trace costs ~4 points per pixel instead of a multi-megabyte SVG.

export interface XY { x: number; y: number }

/**
 * Returns the points to draw, in order. `columns` is the plot width in pixels; `log` says the x
 * axis is logarithmic (columns are then equal in log x). Series whose x is not non-decreasing are
 * returned unchanged: columns would not be contiguous runs.
 */
export function m4<T extends XY>(points: T[], columns: number, log: boolean): T[] {
  if (points.length <= 4 * columns) return points;
  const tx = log ? (x: number) => Math.log(x) : (x: number) => x;
  for (let i = 1; i < points.length; i++) if (points[i]!.x < points[i - 1]!.x) return points;
  const lo = tx(points[0]!.x);
  const span = tx(points[points.length - 1]!.x) - lo;
  if (!(span > 0)) return points;
  const keep: T[] = [];
  let start = 0;
  while (start < points.length) {
    const col = Math.min(columns - 1, Math.floor(((tx(points[start]!.x) - lo) / span) * columns));
    let end = start;
    let min = start;
    let max = start;
    while (end + 1 < points.length && Math.min(columns - 1, Math.floor(((tx(points[end + 1]!.x) - lo) / span) * columns)) === col) {
      end++;
      if (points[end]!.y < points[min]!.y) min = end;
      if (points[end]!.y > points[max]!.y) max = end;
    }
    for (const i of [...new Set([start, min, max, end])].sort((a, b) => a - b)) keep.push(points[i]!);
    start = end + 1;
  }
  return keep;
}
