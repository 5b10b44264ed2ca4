// The live plots (chart.js): loss against rounds, loss against payload bits exchanged (up + down,
// log scale), and test accuracy against rounds (MNIST). Each run adds a curve to each, labelled
// with every hyper-parameter (results.ts runLabel), so runs can be compared side by side.
import {
  Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title,
  type ChartDataset, type Scale,
} from "chart.js";
import { logTickLabel } from "./format.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title);

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"];

type Point = { x: number; y: number };

/** Decades spanned by a log axis (for logTickLabel). */
const decadesOf = (s: Scale): number => Math.log10(Math.max(s.max, 1e-300) / Math.max(s.min, 1e-300));

export function lineChart(canvas: HTMLCanvasElement, title: string, xTitle: string, yTitle: string, xLog: boolean): Chart<"line", Point[]> {
  return new Chart(canvas, {
    type: "line",
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      plugins: {
        title: { display: true, text: title, font: { size: 14 } },
        legend: { position: "bottom", labels: { boxWidth: 12, font: { size: 11 } } },
      },
      scales: {
        x: {
          type: xLog ? "logarithmic" : "linear", title: { display: true, text: xTitle },
          ticks: xLog ? { autoSkip: false, maxRotation: 0, callback(v) { return logTickLabel(Number(v), decadesOf(this)); } } : { maxRotation: 0 },
        },
        y: { type: "linear", title: { display: true, text: yTitle } },
      },
    },
  });
}

export type AddPoint = (round: number, bits: number, loss: number | undefined, accuracy: number | undefined) => void;

export class RunCharts {
  private readonly byRound: Chart<"line", Point[]>;
  private readonly byBits: Chart<"line", Point[]>;
  private readonly acc: Chart<"line", Point[]>;
  private runs = 0;

  constructor(roundCanvas: HTMLCanvasElement, bitsCanvas: HTMLCanvasElement, accCanvas: HTMLCanvasElement) {
    this.byRound = lineChart(roundCanvas, "loss against rounds", "round", "loss F(w)", false);
    this.byBits = lineChart(bitsCanvas, "loss against bits exchanged (up + down)", "payload bits (log scale)", "loss F(w)", true);
    this.acc = lineChart(accCanvas, "test accuracy (1,000 held-out digits)", "round", "accuracy", false);
  }

  /** Start a curve; returns the function that appends (round, bits, loss, accuracy) points to it. */
  addRun(label: string, initialLoss: number | undefined, initialAccuracy: number | undefined, yTitle?: string): AddPoint {
    const color = PALETTE[this.runs++ % PALETTE.length]!;
    const style = (data: Point[]): ChartDataset<"line", Point[]> => ({
      label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0, tension: 0,
    });
    const r = style(initialLoss !== undefined ? [{ x: 0, y: initialLoss }] : []), b = style([]);
    const a = style(initialAccuracy !== undefined ? [{ x: 0, y: initialAccuracy }] : []);
    this.byRound.data.datasets.push(r);
    this.byBits.data.datasets.push(b);
    this.acc.data.datasets.push(a);
    if (yTitle) for (const c of [this.byRound, this.byBits]) (c.options.scales!.y as { title: { text: string } }).title.text = yTitle;
    this.update();
    return (round, bits, loss, accuracy) => {
      if (loss !== undefined) {
        r.data.push({ x: round + 1, y: loss });
        if (bits > 0) b.data.push({ x: bits, y: loss });
      }
      if (accuracy !== undefined) a.data.push({ x: round + 1, y: accuracy });
      this.update();
    };
  }

  private update(): void { for (const c of [this.byRound, this.byBits, this.acc]) c.update("none"); }

  clear(): void {
    for (const c of [this.byRound, this.byBits, this.acc]) c.data.datasets = [];
    this.runs = 0;
    this.update();
  }
}
