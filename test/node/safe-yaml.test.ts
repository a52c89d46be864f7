// YAML within the budget, as tables: anchors and aliases refused (and only real ones), nesting bounded, and malformed
// YAML located at the line of the actual problem, in front matter and in authors.yaml / partners.yaml.
import { describe, expect, it } from "vitest";
import { parseAuthors } from "../../src/core/authors.ts";
import { splitFrontMatter } from "../../src/core/front-matter.ts";
import { parsePartners } from "../../src/core/partners.ts";
import { loadYaml } from "../../src/core/safe-yaml.ts";
import { site } from "../support/site.ts";

describe("loadYaml: anchors and aliases", () => {
  it.each([
    { name: "anchor on a scalar", yaml: "a: &x foo\nb: *x\n", line: 0 },
    { name: "anchor on a flow list", yaml: "a: &x [1, 2]\nb: *x\n", line: 0 },
    { name: "anchor on a block map", yaml: "a: &x\n  k: v\nb: *x\n", line: 0 },
    { name: "anchor on an empty value", yaml: "title: t\na: &x\nb: *x\n", line: 1 },
    { name: "self-referencing anchor", yaml: "a: &x [*x]\n", line: 0 },
    { name: "anchor on a key", yaml: "&k a: 1\n", line: 0 },
    { name: "merge key", yaml: "base: &b {x: 1}\nc:\n  <<: *b\n", line: 0 },
    { name: "anchor on a list item", yaml: "tags:\n  - &i one\n  - *i\n", line: 1 },
    { name: "alias without an anchor", yaml: "title: x\nsummary: *ghost\n", line: 1 },
    { name: "plain value that YAML reads as an anchor", yaml: "title: &amp; co\n", line: 0 },
  ])("$name is refused at line $line", ({ yaml, line }) => {
    const result = loadYaml(yaml);
    expect(result).toMatchObject({ ok: false, problem: "alias", line });
  });

  it.each([
    {
      name: "& and * in quoted text",
      yaml: "title: \"Q&A *star* &x\"\nsummary: '*a &b'\n",
      value: { title: "Q&A *star* &x", summary: "*a &b" },
    },
    { name: "& and * inside plain text", yaml: "title: Q&A *really*\n", value: { title: "Q&A *really*" } },
    { name: "& in a comment", yaml: "title: x # see &a and *a\n", value: { title: "x" } },
    { name: "& in a block scalar", yaml: "summary: |\n  &a *a\n", value: { summary: "&a *a\n" } },
  ])("$name is ordinary text", ({ yaml, value }) => {
    expect(loadYaml(yaml)).toEqual({ ok: true, data: value });
  });
});

describe("loadYaml: nesting", () => {
  it("accepts the nesting the files need", () => {
    expect(loadYaml("acme:\n  utm: { source: x }\n  origins: [https://a.example]\n").ok).toBe(true);
  });
  it.each([
    { name: "flow lists", yaml: `tags: ${"[".repeat(50)}x${"]".repeat(50)}\n`, line: 0 },
    { name: "10,000 flow lists (deeper than js-yaml's own recursion allows)", yaml: `tags: ${"[".repeat(10_000)}\n`, line: 0 },
    { name: "block maps", yaml: Array.from({ length: 12 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " x\n", line: 7 },
  ])("refuses $name", ({ yaml, line }) => {
    expect(loadYaml(yaml)).toMatchObject({ ok: false, problem: "depth", line });
  });
});

describe("malformed YAML points at the actual problem", () => {
  // The file's lines: 1 is '---', the YAML starts on 2.
  it.each([
    { name: "unclosed double quote", yaml: 'title: "An unclosed quote\ndate: 2025-05-01\nslug: x', line: 2, field: "title" },
    { name: "unclosed single quote", yaml: "title: t\ndate: 2025-05-01\nsummary: 'It runs on\nslug: x", line: 4, field: "summary" },
    { name: "unclosed quote running over lines", yaml: 'title: t\nsummary: "line one\n  line two\ntags: [a]', line: 3, field: "summary" },
    {
      name: "unclosed quote in a nested field",
      yaml: 'title: t\nimage:\n  src: /images/a.jpg\n  alt: "unclosed\ndate: 1',
      line: 5,
      field: "image",
    },
    { name: "unclosed flow list", yaml: "title: t\ntags: [a, b\ndate: 2025-05-01\nslug: x", line: 3, field: "tags" },
    { name: "unclosed flow map", yaml: "title: t\nimage: { src: a\ndate: 2025-05-01", line: 3, field: "image" },
    { name: "bad indentation", yaml: "title: t\n  date: 2025\nslug: x", line: 3, field: "title" },
    { name: "tab indentation", yaml: "title: t\ntags:\n\t- a", line: 4, field: "tags" },
    { name: "duplicated key", yaml: "title: t\ndate: 1\ntitle: u", line: 4, field: "title" },
    { name: "colon in a plain value", yaml: "date: 1\ntitle: Iran: the talks", line: 3, field: "title" },
    { name: "text after a quoted value", yaml: 'date: 1\ntitle: "Q" and A', line: 3, field: "title" },
    { name: "unknown tag", yaml: "date: 1\ntitle: !!js/function x", line: 3, field: "title" },
  ])("$name → line $line [$field]", ({ yaml, line, field }) => {
    const result = splitFrontMatter("a.md", `---\n${yaml}\n---\nThe body.\n`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ file: "a.md", line, field });
  });

  it.each([
    { name: "authors.yaml", read: (t: string) => parseAuthors(t, site).issues, file: "authors.yaml" },
    { name: "partners.yaml", read: (t: string) => parsePartners(t).issues, file: "partners.yaml" },
  ])("in $name: the line and key of an unclosed quote", ({ read, file }) => {
    const issues = read('first:\n  name: First\nsecond:\n  name: "Unclosed\nthird:\n  name: Third\n');
    expect(issues).toEqual([expect.objectContaining({ file, line: 4, field: "second", found: expect.stringMatching(/malformed YAML/) })]);
  });

  it.each([
    { name: "authors.yaml", read: (t: string) => parseAuthors(t, site).issues },
    { name: "partners.yaml", read: (t: string) => parsePartners(t).issues },
  ])("$name refuses anchors, naming the key", ({ read }) => {
    const issues = read("a: &x\n  name: A\nb: *x\n");
    expect(issues).toEqual([expect.objectContaining({ line: 1, field: "a", found: "a YAML anchor &x" })]);
  });
});
