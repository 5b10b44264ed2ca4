// Which Philox sub-stream each synthetic generator draws from: RandomStream.of(seed, "data",
// round, worker) with round = generator tag + component, worker = the worker/client index. Two
// generators given the same seed therefore never share numbers. Tags are stable: never renumber
// (a renumbering silently changes every published dataset).
export const DataTag = {
  syntheticLsr: 0x10,
  heterogeneousLogistic: 0x20,
  gaussianToy: 0x30,
  logisticBayes: 0x40,
  lsrE2: 0x50,
  mnist: 0x60,
} as const;
