// Property: any hostile front matter or body (aliases, deep nesting, huge strings and keys, pathological markdown) is
// refused by the check within a time and an output budget, with an error that names the file and the field.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { formatIssue } from "../../src/core/errors.ts";
import { LIMITS } from "../../src/core/limits.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { site } from "../support/site.ts";

// Budget: checking one article, whatever it holds, takes under CHECK_BUDGET_MS and reports it in under
// OUTPUT_BUDGET_BYTES. Measured cost is a few tens of milliseconds at most (the size limits bound every pass);
// the time bound is generous so that only a super-linear or unbounded regression (the 472-byte article that took
// 5 s and 945 MB before) fails it.
const CHECK_BUDGET_MS = 1_000;
const OUTPUT_BUDGET_BYTES = 4_000;

/** A hostile article and the field its error must name. */
interface Hostile {
  kind: string;
  text: string;
  field: string;
}

const FIELDS = ["title", "summary", "tags", "dateline", "section", "image", "lang"] as const;
const field = fc.constantFrom(...FIELDS);
const anchorName = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.constantFrom("a0", "π", "😀", "a&b", "x*"));
const head = (title = "Hostile") => `---\ntitle: ${JSON.stringify(title)}\ndate: 2025-05-01\n`;
const article = (frontMatter: string, body = "Body.\n") => `${frontMatter}---\n${body}`;

/** The billion laughs, at any width and depth, under any field and anchor names. */
const aliases: fc.Arbitrary<Hostile> = fc
  .record({
    levels: fc.integer({ min: 1, max: 12 }),
    width: fc.integer({ min: 2, max: 12 }),
    names: fc.array(anchorName, { minLength: 12, maxLength: 12 }),
    target: field,
  })
  .filter(({ names }) => new Set(names).size === names.length)
  .map(({ levels, width, names, target }) => {
    const lines = [`x0: &${names[0]} [${Array(width).fill("lol").join(", ")}]`];
    for (let i = 1; i < levels; i++)
      lines.push(
        `x${i}: &${names[i]} [${Array(width)
          .fill(`*${names[i - 1]}`)
          .join(", ")}]`,
      );
    lines.push(
      `${target}: [${Array(width)
        .fill(`*${names[levels - 1]}`)
        .join(", ")}]`,
    );
    return { kind: "aliases", text: article(head() + lines.join("\n") + "\n"), field: "x0" };
  });

/** Lists and maps nested past the limit, in flow or block style. */
const nesting: fc.Arbitrary<Hostile> = fc
  .record({ depth: fc.integer({ min: LIMITS.yamlDepth, max: 20_000 }), style: fc.constantFrom("list", "map", "block"), target: field })
  .map(({ depth, style, target }) => {
    const value =
      style === "list"
        ? "[".repeat(depth) + "x" + "]".repeat(depth)
        : style === "map"
          ? "{a: ".repeat(depth) + "x" + "}".repeat(depth)
          : "\n" + Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${"  ".repeat(i + 1)}k${i}:`).join("\n") + " x";
    return { kind: `nesting (${style})`, text: article(head() + `${target}: ${value}\n`), field: target };
  });

/** A huge string: as a value, as an unknown field's name, or as a value of the wrong kind. */
const hugeString: fc.Arbitrary<Hostile> = fc
  .record({
    size: fc.integer({ min: LIMITS.frontMatterBytes, max: 3 * LIMITS.frontMatterBytes }),
    target: field,
    char: fc.constantFrom("x", "ж", "😀", "\\", '"', "&", "*"),
  })
  .chain(({ size, target, char }) => {
    const text = char.repeat(Math.ceil(size / new TextEncoder().encode(char).length));
    return fc.constantFrom<Hostile>(
      { kind: "huge value", text: article(head() + `${target}: ${JSON.stringify(text)}\n`), field: target },
      { kind: "huge key", text: article(head() + `k${"k".repeat(size)}: 1\n`), field: `k${"k".repeat(size)}` },
      { kind: "huge block scalar", text: article(head() + `${target}: |\n  ${text.replaceAll("\\", "/")}\n`), field: target },
    );
  });

/** A value of the wrong kind, long enough that quoting it whole would flood the output. */
const wrongValue: fc.Arbitrary<Hostile> = fc
  .record({ size: fc.integer({ min: 1_000, max: 60_000 }), target: fc.constantFrom("date", "lang", "canonical", "updated", "draft", "id") })
  .map(({ size, target }) => ({
    kind: "long wrong value",
    text: article(head() + `${target}: ${JSON.stringify("z ".repeat(size / 2))}\n`),
    field: target,
  }));

/** Markdown that is costly for markdown-it or sanitize-html, over the body limit or nested too deep. */
const pathological = fc.constantFrom(
  "![",
  "[",
  "*a",
  "*_",
  "<",
  "`a``",
  ">",
  "- ",
  "[^1] ",
  "|a",
  "<div>",
  "<span>x",
  "&amp;",
  "\\",
  "<!--",
);
const body: fc.Arbitrary<Hostile> = fc
  .record({
    pattern: pathological,
    extra: fc.integer({ min: 1, max: LIMITS.bodyBytes }),
    depth: fc.integer({ min: LIMITS.bodyHtmlDepth + 1, max: 50_000 }),
    deep: fc.boolean(),
  })
  .map(({ pattern, extra, depth, deep }) =>
    deep
      ? { kind: "deep HTML", text: article(head(), pattern.repeat(100) + "\n\n" + "<section>".repeat(depth)), field: "body" }
      : {
          kind: `huge body (${pattern})`,
          text: article(head(), pattern.repeat(Math.ceil((LIMITS.bodyBytes + extra) / pattern.length))),
          field: "body",
        },
  );

async function check({ text }: Hostile) {
  const start = performance.now();
  const catalog = await loadContent(createMemorySource({ "hostile.md": text }), site);
  const elapsed = performance.now() - start;
  const output = [...catalog.warnings, ...catalog.issues].map(formatIssue).join("\n");
  return { catalog, elapsed, output };
}

describe("every hostile article is refused within the budget, naming file and field", () => {
  it.each([
    ["YAML aliases", aliases],
    ["deep nesting", nesting],
    ["huge strings", hugeString],
    ["long values of the wrong kind", wrongValue],
    ["pathological bodies", body],
  ] as const)("%s", async (_, arbitrary) => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (hostile) => {
        const { catalog, elapsed, output } = await check(hostile);
        expect(elapsed, hostile.kind).toBeLessThan(CHECK_BUDGET_MS);
        expect(output.length, hostile.kind).toBeLessThan(OUTPUT_BUDGET_BYTES);
        expect(catalog.records).toEqual([]);
        expect(catalog.issues.length).toBeGreaterThan(0);
        for (const issue of catalog.issues) expect(issue.file).toBe("hostile.md");
        expect(catalog.issues.map((i) => i.field)).toContain(hostile.field);
      }),
      { numRuns: 40 },
    );
  });

  it("a hostile front matter over a pathological body is refused as fast", async () => {
    await fc.assert(
      fc.asyncProperty(aliases, pathological, async (hostile, pattern) => {
        const text = hostile.text.replace(/---\nBody\.\n$/, `---\n${pattern.repeat(Math.floor(LIMITS.bodyBytes / pattern.length))}`);
        const { catalog, elapsed, output } = await check({ ...hostile, text });
        expect(elapsed).toBeLessThan(CHECK_BUDGET_MS);
        expect(output.length).toBeLessThan(OUTPUT_BUDGET_BYTES);
        expect(catalog.issues.map((i) => i.field)).toContain("x0");
      }),
      { numRuns: 20 },
    );
  });
});
