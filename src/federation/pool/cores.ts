// How many threads "all the cores" is: os.availableParallelism() under Node (it honours CPU
// affinity), navigator.hardwareConcurrency in browsers, else 1.
type NodeOs = typeof import("node:os");

export function defaultThreads(): number {
  const get = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get === "function") {
    const os = get("node:os") as NodeOs;
    return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
  }
  const hc = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof hc === "number" && hc >= 1 ? hc : 1;
}
