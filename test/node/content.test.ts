// Table-driven rules for article content: markdown features, sanitising, URL absolutising, summaries, slugs.
import { describe, expect, it } from "vitest";
import { absoluteUrl, renderMarkdown } from "../../src/core/markdown.ts";
import { excerpt, slugify } from "../../src/core/text.ts";

const base = { siteUrl: "https://news.example.com/edition", pageUrl: "https://news.example.com/edition/articles/story" };

describe("absoluteUrl", () => {
  it.each([
    { input: "/images/a.jpg", expected: "https://news.example.com/edition/images/a.jpg" },
    { input: "photo.jpg", expected: "https://news.example.com/edition/articles/photo.jpg" },
    { input: "../about", expected: "https://news.example.com/edition/about" },
    { input: "#fn1", expected: "https://news.example.com/edition/articles/story#fn1" },
    { input: "https://other.example.org/x?y=1", expected: "https://other.example.org/x?y=1" },
    { input: "//cdn.example.net/x.png", expected: "https://cdn.example.net/x.png" },
    { input: "mailto:desk@example.com", expected: "mailto:desk@example.com" },
    { input: "javascript:alert(1)", expected: undefined },
    { input: " JaVaScRiPt:alert(1)", expected: undefined },
    { input: "data:text/html,<script>", expected: undefined },
    { input: "vbscript:x", expected: undefined },
    { input: "http://[bad", expected: undefined },
  ])("$input → $expected", ({ input, expected }) => {
    expect(absoluteUrl(input, base)).toBe(expected);
  });
});

const render = (md: string) => renderMarkdown(md, base).html;

describe("renderMarkdown: CommonMark plus tables and footnotes", () => {
  it.each([
    { name: "emphasis", md: "*a* **b**", contains: "<em>a</em> <strong>b</strong>" },
    { name: "headings", md: "## Subhead", contains: "<h2>Subhead</h2>" },
    { name: "tables", md: "| a | b |\n|---|--:|\n| 1 | 2 |", contains: '<td style="text-align:right">2</td>' },
    { name: "footnotes", md: "x[^1]\n\n[^1]: note", contains: 'href="https://news.example.com/edition/articles/story#fn1"' },
    { name: "blockquote", md: "> quoted", contains: "<blockquote>" },
    { name: "relative links", md: "[x](/articles/other)", contains: 'href="https://news.example.com/edition/articles/other"' },
    { name: "relative images", md: "![alt](/images/a.jpg)", contains: 'src="https://news.example.com/edition/images/a.jpg"' },
    {
      name: "srcset",
      md: '<img src="a.jpg" srcset="/images/a.jpg 1x, b.jpg 2x">',
      contains: 'srcset="https://news.example.com/edition/images/a.jpg 1x, https://news.example.com/edition/articles/b.jpg 2x"',
    },
    {
      name: "figures",
      md: '<figure><img src="/images/a.jpg" alt="A"><figcaption>Cap</figcaption></figure>',
      contains: "<figcaption>Cap</figcaption>",
    },
  ])("$name", ({ md, contains }) => {
    expect(render(md)).toContain(contains);
  });
});

describe("renderMarkdown: sanitising", () => {
  it.each([
    { name: "script elements", md: "<script>alert(1)</script>x", absent: /<script|alert/i },
    { name: "event handlers", md: '<p onclick="x()">a</p><img src="a.jpg" onerror="x()">', absent: /onclick|onerror/i },
    { name: "javascript: links", md: '[a](javascript:alert(1)) <a href="javascript:x">b</a>', absent: /href="?\s*javascript:/i },
    { name: "javascript: in srcset", md: '<img srcset="javascript:alert(1) 1x">', absent: /javascript:/i },
    { name: "iframes", md: '<iframe src="https://evil.example"></iframe>', absent: /iframe/i },
    { name: "style elements", md: "<style>body{display:none}</style>", absent: /<style|display:none/i },
    { name: "forms", md: '<form action="https://evil.example"><input name="p"></form>', absent: /<form|<input/i },
    { name: "style attributes", md: '<p style="position:fixed">a</p>', absent: /position/i },
    { name: "data: URLs", md: '<img src="data:image/svg+xml,<svg onload=alert(1)>">', absent: /data:|onload/i },
  ])("removes $name", ({ md, absent }) => {
    expect(render(md)).not.toMatch(absent);
  });
});

describe("first paragraph as plain text", () => {
  it.each([
    { md: "Plain *emphasis* and [a link](/x) and `code`.\n\nSecond.", expected: "Plain emphasis and a link and code." },
    { md: "## Heading\n\nAfter &amp; the heading", expected: "After & the heading" },
    { md: "Line one\nline two", expected: "Line one line two" },
    { md: "Has <b>inline html</b> here", expected: "Has inline html here" },
    { md: "", expected: "" },
  ])("$md", ({ md, expected }) => {
    expect(renderMarkdown(md, base).firstParagraph).toBe(expected);
  });
});

describe("excerpt", () => {
  it.each([
    { input: "short text", max: 280, expected: "short text" },
    { input: "one two three four five", max: 12, expected: "one two…" },
    { input: "word, another, third", max: 15, expected: "word, another…" },
    { input: "x".repeat(20), max: 10, expected: "x".repeat(10) + "…" },
    { input: "😀".repeat(12), max: 10, expected: "😀".repeat(10) + "…" },
    { input: "spaces   collapse\n\nhere", max: 280, expected: "spaces collapse here" },
  ])("$input ($max) → $expected", ({ input, max, expected }) => {
    expect(excerpt(input, max)).toBe(expected);
  });

  it("cuts near 280 characters by default, at a word boundary", () => {
    const text = "word ".repeat(100);
    const cut = excerpt(text);
    expect(cut.endsWith("word…")).toBe(true);
    expect(Array.from(cut).length).toBeLessThanOrEqual(281);
    expect(Array.from(cut).length).toBeGreaterThan(250);
  });
});

describe("slugify", () => {
  it.each([
    { input: "South Caucasus", expected: "south-caucasus" },
    { input: "Oil & Gas", expected: "oil-gas" },
    { input: "  Q&A  ", expected: "q-a" },
    { input: "حمل‌ونقل شهری", expected: "حمل-ونقل-شهری" },
    { input: "Café Société", expected: "café-société" },
    { input: "INSTC", expected: "instc" },
  ])("$input → $expected", ({ input, expected }) => {
    expect(slugify(input)).toBe(expected);
  });
});
