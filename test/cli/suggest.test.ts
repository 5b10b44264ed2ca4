// "did you mean": edit distance from its definition, suggestions only when close.
import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../src/cli/validate/suggest.js";

describe("editDistance (optimal string alignment)", () => {
  it.each([
    ["", "", 0], ["abc", "", 3], ["", "ab", 2], ["kitten", "sitting", 3], ["qsgd", "qsdg", 1], ["ab", "ba", 1], ["flaw", "lawn", 2],
  ])("d(%j, %j) = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d); // symmetric
  });
});

describe("closest", () => {
  const algos = ["sgd", "qsgd", "diana", "biqsgd", "artemis", "double-squeeze", "ef-sgd", "mcm", "rand-mcm"];
  it("finds misspellings, case and separator slips, and misspelt prefixes", () => {
    expect(closest("doublesqueeze", algos)).toBe("double-squeeze");
    expect(closest("Double_Squeeze", algos)).toBe("double-squeeze");
    expect(closest("artemsi", algos)).toBe("artemis");
    expect(closest("phishng", ["synthetic-lsr", "phishing-noniid", "phishing-iid"])).toBe("phishing-noniid");
  });
  it("offers nothing for an unrelated name", () => {
    expect(closest("foo", ["double-squeeze", "artemis"])).toBeUndefined();
    expect(didYouMean("zzzzzz", algos)).toBe("");
    expect(didYouMean("diana", algos)).toBe("");
  });
});
