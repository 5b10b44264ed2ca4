// The runs table (results.ts summarize) and the download buttons: results as JSON / CSV, and the
// last run's session as a `fedquant serve` config to replay it over the network.
import { formatBits, formatLoss, formatMs } from "./format.js";
import { resultsCsv, resultsJson, serveConfig, summarize, type RunData } from "./results.js";

/** what `fedquant serve` needs for a CNN session (src/cli/cnn-model.ts TFJS_PACKAGES) */
const TFJS_INSTALL = "npm install @tensorflow/tfjs-core @tensorflow/tfjs-layers @tensorflow/tfjs-backend-cpu";

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url; a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function renderSummary(runs: readonly RunData[], target: number | undefined): void {
  const { rows, targets } = summarize(runs, target);
  const body = document.querySelector("#summary tbody")!;
  body.replaceChildren(...rows.map((r, i) => {
    const tr = document.createElement("tr");
    tr.dataset.state = r.state;
    const cells = [
      r.label + (r.state === "done" ? "" : ` [${r.state}]`), String(r.rounds), formatLoss(r.finalLoss),
      r.finalAccuracy === undefined ? "–" : `${(100 * r.finalAccuracy).toFixed(1)} %`,
      r.bitsToTarget === undefined ? "not reached" : formatBits(r.bitsToTarget) + (r.oscillated ? " (oscillated)" : ""),
      r.ratioToSgd === undefined ? "–" : `${r.ratioToSgd.toPrecision(3)}×`,
      formatBits(r.totalBits), r.wallMs === undefined ? "–" : formatMs(r.wallMs),
    ];
    for (const [k, c] of cells.entries()) {
      const td = document.createElement("td");
      td.textContent = c;
      if (k === 0) td.style.borderLeft = `4px solid var(--run-${i % 10})`;
      tr.append(td);
    }
    return tr;
  }));
  const ts = [...new Set(targets.values())].filter((t): t is number => t !== undefined);
  document.getElementById("summary-caption")!.textContent =
    `runs: final loss, payload bits (up + down) until the loss stays ≤ target ${ts.length ? ts.map((t) => formatLoss(t)).join(" / ") : "(none yet)"}` +
    `${target === undefined ? " (auto: the loosest final loss of the finished runs)" : ""}, ratio to SGD's bits on the same problem, wall time`;
  for (const id of ["dl-json", "dl-csv", "dl-serve"]) (document.getElementById(id) as HTMLButtonElement).disabled = runs.length === 0;
  // `fedquant serve` builds the CNN through fedquant/tfjs (src/cli/cnn-model.ts) when TF.js is installed
  const serve = document.getElementById("dl-serve") as HTMLButtonElement;
  serve.title = runs.at(-1)?.session.problem.kind === "mnist-model" ? `a CNN session: fedquant serve needs ${TFJS_INSTALL}` : "";
}

export function setupDownloads(runs: () => readonly RunData[], target: () => number | undefined): void {
  const on = (id: string, f: () => void): void => document.getElementById(id)!.addEventListener("click", f);
  on("dl-json", () => download("fedquant-demo-results.json", "application/json", resultsJson(runs(), target())));
  on("dl-csv", () => download("fedquant-demo-results.csv", "text/csv", resultsCsv(runs())));
  on("dl-serve", () => {
    const last = runs().at(-1);
    if (last) download("fedquant-serve.json", "application/json", JSON.stringify(serveConfig(last.session), null, 2) + "\n");
  });
}
