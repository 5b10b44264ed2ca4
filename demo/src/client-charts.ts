// Per-client views of the current run: each client's cumulative uplink bits against rounds
// (one line per client), and a participation raster — one row per client, one column per round
// (squeezed to the canvas width), filled when that client's uplink was used in that round.
import type { Chart } from "chart.js";
import { lineChart, PALETTE } from "./charts.js";

type Point = { x: number; y: number };

export class ClientCharts {
  private readonly bits: Chart<"line", Point[]>;
  private cum: number[] = [];
  /** participation[round][client] */
  private rounds: boolean[][] = [];
  private clients = 0;

  constructor(bitsCanvas: HTMLCanvasElement, private readonly raster: HTMLCanvasElement) {
    this.bits = lineChart(bitsCanvas, "uplink bits per client (cumulative)", "round", "bits sent", false);
  }

  reset(clients: number): void {
    this.clients = clients;
    this.cum = new Array<number>(clients).fill(0);
    this.rounds = [];
    this.bits.data.datasets = Array.from({ length: clients }, (_, i) => ({
      label: `client ${i}`, data: [{ x: 0, y: 0 }], borderColor: PALETTE[i % PALETTE.length]!, backgroundColor: PALETTE[i % PALETTE.length]!,
      borderWidth: 1.5, pointRadius: 0, tension: 0,
    }));
    this.bits.update("none");
    this.draw();
  }

  add(round: number, up: readonly number[], participants: readonly number[]): void {
    const took = new Array<boolean>(this.clients).fill(false);
    for (const id of participants) took[id] = true;
    this.rounds.push(took);
    for (let i = 0; i < this.clients; i++) {
      this.cum[i]! += up[i] ?? 0;
      this.bits.data.datasets[i]!.data.push({ x: round + 1, y: this.cum[i]! });
    }
    this.bits.update("none");
    this.draw();
  }

  /** The raster, redrawn whole: ≤ 16 rows × the canvas width in columns. */
  private draw(): void {
    const c = this.raster, dpr = globalThis.devicePixelRatio || 1;
    const w = Math.max(1, c.clientWidth), h = Math.max(1, c.clientHeight);
    c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
    const g = c.getContext("2d");
    if (!g) return;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, h);
    const n = this.clients, R = this.rounds.length;
    if (n === 0) return;
    const left = 58, top = 18, rowH = Math.max(4, Math.min(16, (h - top - 4) / n));
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#6b7385";
    g.fillText(`participation: ${R} round(s); filled = uplink used`, left, 12);
    const width = w - left - 6;
    for (let i = 0; i < n; i++) {
      const y = top + i * rowH;
      g.fillStyle = "#6b7385";
      g.fillText(`client ${i}`, 2, y + rowH - 3);
      g.fillStyle = "#eef0f4";
      g.fillRect(left, y + 1, width, rowH - 2);
      if (R === 0) continue;
      g.fillStyle = PALETTE[i % PALETTE.length]!;
      // columns: rounds squeezed (or stretched) to the width; a column is filled if the client took part in any of its rounds
      const cols = Math.min(R, Math.floor(width));
      for (let k = 0; k < cols; k++) {
        const a = Math.floor((k * R) / cols), b = Math.max(a + 1, Math.floor(((k + 1) * R) / cols));
        let any = false;
        for (let r = a; r < b && !any; r++) any = this.rounds[r]![i]!;
        if (any) g.fillRect(left + (k * width) / cols, y + 1, Math.max(1, width / cols - (cols < 60 ? 1 : 0)), rowH - 2);
      }
    }
  }

  /** Share of rounds each client took part in (shown under the raster, read by tests). */
  participationRates(): number[] {
    return Array.from({ length: this.clients }, (_, i) => (this.rounds.length ? this.rounds.filter((r) => r[i]).length / this.rounds.length : 0));
  }
}
