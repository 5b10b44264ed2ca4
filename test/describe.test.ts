// describeValue (src/describe.ts): the type first, then a short value — what "got …" says in errors.
import { describe, expect, it } from "vitest";
import { describeValue, isPlainObject, kindOf } from "../src/describe.js";

describe("describeValue", () => {
  it.each([
    [3, "number 3"], [NaN, "number NaN"], ["3", 'string "3"'], [null, "null"], [undefined, "undefined"], [true, "boolean true"],
    [5n, "bigint 5n"], [[1, 2], "array of length 2"], [new Float32Array(3), "Float32Array of length 3"], [{ a: 1, b: 2 }, "object {a, b}"],
    [new Map(), "object Map"], [() => 1, "function"],
  ])("%o → %s", (v, text) => { expect(describeValue(v)).toBe(text); });
  it("shortens a long string to 40 characters and an ellipsis", () => {
    expect(describeValue("x".repeat(100))).toBe(`string "${"x".repeat(40)}…"`);
  });
  it("kindOf tells arrays and null from objects; isPlainObject takes neither", () => {
    expect([kindOf([]), kindOf(null), kindOf({}), kindOf(1)]).toEqual(["array", "null", "object", "number"]);
    expect([isPlainObject([]), isPlainObject(null), isPlainObject({}), isPlainObject("x")]).toEqual([false, false, true, false]);
  });
});
