// Progress bars for long CLI jobs (cli-progress). Quiet when stderr is not a terminal or
// when --quiet is set, so CI logs stay readable.
import cliProgress from "cli-progress";

export interface Progress { tick(n?: number, info?: Record<string, string | number>): void; stop(): void }

export function progressBar(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || !process.stderr.isTTY) {
    return { tick() {}, stop() {} };
  }
  const bar = new cliProgress.SingleBar({
    format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} | eta {eta_formatted} {info}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { info: "" });
  return {
    tick(n = 1, info) {
      bar.increment(n, { info: info ? Object.entries(info).map(([k, v]) => `${k}=${v}`).join(" ") : "" });
    },
    stop() { bar.stop(); },
  };
}
