// describeValue and quote: how messages quote input, as a table; every description stays short whatever the input.
import { describe, expect, it } from "vitest";
import { clip, describeValue, QUOTE_CHARS, quote } from "../../src/core/describe-value.ts";
import { formatIssue } from "../../src/core/errors.ts";

const longString = "x".repeat(10_000);
const nineLists = Array.from({ length: 9 }, () => ["lol", "lol"]);
// Shared references, as YAML aliases would make: walking them fully would visit 9^7 leaves.
let laughs: unknown = ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"];
for (let i = 0; i < 7; i++) laughs = Array.from({ length: 9 }, () => laughs);

describe("describeValue", () => {
  it.each([
    { name: "missing", input: undefined, expected: "nothing" },
    { name: "YAML empty value", input: null, expected: "an empty value" },
    { name: "short string", input: "2025-02-30", expected: '"2025-02-30"' },
    { name: "number", input: 42, expected: "42" },
    { name: "boolean", input: true, expected: "true" },
    { name: "date", input: new Date("2025-05-01T00:00:00Z"), expected: "2025-05-01T00:00:00.000Z" },
    { name: "empty list", input: [], expected: "[] (an empty list)" },
    { name: "small list", input: ["a", 1, null], expected: '["a", 1, null]' },
    { name: "list of lists", input: nineLists, expected: "a list of 9 lists" },
    { name: "one list in a list", input: [[1]], expected: "a list of 1 list" },
    { name: "long list of strings", input: Array.from({ length: 40 }, () => "tag"), expected: "a list of 40 strings" },
    { name: "mixed list", input: ["a", 1, "b", 2, "c", 3, "d"], expected: "a list of 7 items" },
    { name: "the billion laughs value", input: laughs, expected: "a list of 9 lists" },
    { name: "empty map", input: {}, expected: "{} (an empty map)" },
    { name: "small map", input: { src: "a.jpg", width: 3 }, expected: '{ src: "a.jpg", width: 3 }' },
    {
      name: "large map",
      input: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`field${i}`, i])),
      expected: "a map of 12 fields (field0, field1, field2, …)",
    },
    { name: "map with a nested value", input: { a: [1] }, expected: "a map of 1 field (a)" },
  ])("$name → $expected", ({ input, expected }) => {
    expect(describeValue(input)).toBe(expected);
  });

  it("quotes a long string up to the cap, with … and its length", () => {
    const described = describeValue(longString);
    expect(described).toBe(`"${"x".repeat(QUOTE_CHARS)}…" (10,000 characters)`);
  });

  it("never cuts a surrogate pair in half", () => {
    const text = "a".repeat(QUOTE_CHARS - 1) + "😀".repeat(10);
    expect(clip(text)).toBe("a".repeat(QUOTE_CHARS - 1) + "…");
    expect(quote(text)).not.toMatch(/\\ud83d"/i);
  });

  it("keeps a formatted issue short even when its field name is huge", () => {
    const line = formatIssue({ file: "a.md", field: "k".repeat(100_000), found: describeValue(longString), expected: "less" });
    expect(line.length).toBeLessThan(300);
    expect(line).toContain("[kkkk");
  });
});
