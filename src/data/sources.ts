// Where the real data sets of E3 come from: the public LIBSVM data-sets page (binary classification),
// and the SHA-256 of the exact files the experiments were run on (../shared/data). The 20-worker
// split files are derived data and ship inside the package (data/*-noniid-20.json).
export const LIBSVM_BINARY_URL = "https://www.csie.ntu.edu.tw/~cjlin/libsvmtools/datasets/binary/";

export interface DataSource {
  /** file name on the LIBSVM page */
  remote: string;
  /** local file name */
  file: string;
  sha256: string;
  rows: number;
  features: number;
}

export const DATA_SOURCES: Record<"phishing" | "a9a", DataSource> = {
  phishing: { remote: "phishing", file: "phishing.libsvm", sha256: "0cf66ef36604c393da9359b2e5d894a2df8aee31fd184633cefa138add2ef08a", rows: 11055, features: 68 },
  a9a: { remote: "a9a", file: "a9a.libsvm", sha256: "f5d5ffd8d865ff41328e7ee043e4b020816914ff6843ff15b98905ddbedce906", rows: 32561, features: 123 },
};
