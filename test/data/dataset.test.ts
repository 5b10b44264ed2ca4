// Dataset helpers: validation, row selection, the bias column, stacking, ±1 labels.
import { describe, expect, it } from "vitest";
import { concatRows, makeDataset, meanGramSmoothness, prependBias, selectRows, sliceRows, toPlusMinusOne } from "../../src/data/index.js";
import { referenceSmoothness } from "../../src/models/index.js";
import { syntheticLsr } from "../../src/data/index.js";

const d = makeDataset(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(0, 1, 1));

describe("dataset helpers", () => {
  it("makeDataset throws E_DIM when X is not n × p", () => {
    expect(() => makeDataset(3, 2, new Float64Array(5), new Float64Array(3))).toThrow(/E_DIM.*n·p = 3·2 = 6/);
  });

  it("selectRows copies the given rows in order, repeats allowed", () => {
    const s = selectRows(d, [2, 0, 2]);
    expect(Array.from(s.X)).toEqual([5, 6, 1, 2, 5, 6]);
    expect(Array.from(s.y)).toEqual([1, 0, 1]);
  });

  it("sliceRows and concatRows are inverse", () => {
    expect(concatRows([sliceRows(d, 0, 1), sliceRows(d, 1, 3)])).toEqual(d);
  });

  it.each([[2, 1], [-1, 1], [0, 4], [0.5, 2]])("sliceRows refuses the range [%d, %d) of 3 rows with E_DIM", (start, end) => {
    expect(() => sliceRows(d, start, end)).toThrow(/E_DIM.*not a row range within \[0, 3\]/);
  });

  it("prependBias puts a 1 in front of every row", () => {
    expect(Array.from(prependBias(d).X)).toEqual([1, 1, 2, 1, 3, 4, 1, 5, 6]);
    expect(prependBias(d).p).toBe(3);
  });

  it("toPlusMinusOne maps 0 → −1 and rejects non-binary labels with E_DATA", () => {
    expect(Array.from(toPlusMinusOne(d).y)).toEqual([-1, 1, 1]);
    expect(() => toPlusMinusOne({ ...d, y: Float64Array.of(0, 2, 1) })).toThrow(/E_DATA.*row 1 has label 2/);
  });

  it("meanGramSmoothness (data's twin) equals the models' referenceSmoothness", () => {
    const { workers } = syntheticLsr({ seed: 1, workers: 3, perWorker: 37 });
    expect(meanGramSmoothness(workers)).toBeCloseTo(referenceSmoothness(workers), 10);
  });
});
