// The two live plots (chart.js): loss against rounds and loss against bits exchanged (payload
// bits, up + down). Each run adds a curve to both, so runs can be compared side by side.
import {
  Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title,
  type ChartDataset,
} from "chart.js";

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title);

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

type Point = { x: number; y: number };

function lineChart(canvas: HTMLCanvasElement, title: string, xTitle: string, xLog: boolean): Chart<"line", Point[]> {
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
        x: { type: xLog ? "logarithmic" : "linear", title: { display: true, text: xTitle } },
        y: { type: "linear", title: { display: true, text: "loss F(w)" } },
      },
    },
  });
}

export class LossCharts {
  private readonly byRound: Chart<"line", Point[]>;
  private readonly byBits: Chart<"line", Point[]>;
  private runs = 0;

  constructor(roundCanvas: HTMLCanvasElement, bitsCanvas: HTMLCanvasElement) {
    this.byRound = lineChart(roundCanvas, "loss against rounds", "round", false);
    this.byBits = lineChart(bitsCanvas, "loss against bits exchanged (up + down)", "payload bits (log scale)", true);
  }

  /** Start a curve; returns the function that appends (round, bits, loss) points to it. */
  addRun(label: string, initialLoss: number): (round: number, bits: number, loss: number) => void {
    const color = PALETTE[this.runs++ % PALETTE.length]!;
    const style = (data: Point[]): ChartDataset<"line", Point[]> => ({
      label, data, borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0, tension: 0,
    });
    const r = style([{ x: 0, y: initialLoss }]), b = style([]);
    this.byRound.data.datasets.push(r);
    this.byBits.data.datasets.push(b);
    this.byRound.update("none");
    return (round, bits, loss) => {
      r.data.push({ x: round + 1, y: loss });
      if (bits > 0) b.data.push({ x: bits, y: loss });
      this.byRound.update("none");
      this.byBits.update("none");
    };
  }

  clear(): void {
    this.byRound.data.datasets = [];
    this.byBits.data.datasets = [];
    this.runs = 0;
    this.byRound.update("none");
    this.byBits.update("none");
  }
}
