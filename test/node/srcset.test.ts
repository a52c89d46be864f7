// srcset as the HTML standard parses it, as a table: a data: URL keeps its commas (and is then dropped by the scheme
// rules), descriptors with commas in parentheses stay whole, and URLs are made absolute.
import { describe, expect, it } from "vitest";
import { absoluteSrcset, parseSrcset, renderMarkdown } from "../../src/core/markdown.ts";

const base = { siteUrl: "https://news.example.com/edition", pageUrl: "https://news.example.com/edition/articles/a" };

describe("parseSrcset", () => {
  it.each([
    { input: "a.jpg", expected: [["a.jpg"]] },
    {
      input: "a.jpg 1x, b.jpg 2x",
      expected: [
        ["a.jpg", "1x"],
        ["b.jpg", "2x"],
      ],
    },
    {
      input: "  a.jpg   640w  ,b.jpg 1280w,",
      expected: [
        ["a.jpg", "640w"],
        ["b.jpg", "1280w"],
      ],
    },
    { input: "a.jpg,b.jpg 2x", expected: [["a.jpg,b.jpg", "2x"]] },
    { input: "a.jpg, b.jpg 2x", expected: [["a.jpg"], ["b.jpg", "2x"]] },
    { input: "a.jpg,, b.jpg", expected: [["a.jpg"], ["b.jpg"]] },
    {
      input: "data:image/png;base64,AAAA,BBBB 1x, /images/a.jpg 2x",
      expected: [
        ["data:image/png;base64,AAAA,BBBB", "1x"],
        ["/images/a.jpg", "2x"],
      ],
    },
    { input: "data:image/svg+xml,<svg>,</svg>", expected: [["data:image/svg+xml,<svg>,</svg>"]] },
    { input: "a.jpg 100w 50h", expected: [["a.jpg", "100w", "50h"]] },
    { input: "a.jpg 1.5x", expected: [["a.jpg", "1.5x"]] },
    { input: "a.jpg 1x 2x, b.jpg 3x", expected: [["b.jpg", "3x"]] },
    { input: "a.jpg 100w 2x, b.jpg", expected: [["b.jpg"]] },
    { input: "a.jpg (foo, bar) 1x, b.jpg", expected: [["b.jpg"]] },
    { input: "a.jpg huge, b.jpg 2x", expected: [["b.jpg", "2x"]] },
    { input: "", expected: [] },
    { input: " , , ", expected: [] },
  ])("$input", ({ input, expected }) => {
    expect(parseSrcset(input).map((c) => [c.url, ...c.descriptors])).toEqual(expected);
  });
});

describe("absoluteSrcset and the sanitised body", () => {
  it.each([
    {
      name: "a data: URL is dropped whole, its payload never becomes a link",
      srcset: "data:image/png;base64,iVBORw0KGgo,AAAA 1x, /images/a.jpg 2x",
      expected: "https://news.example.com/edition/images/a.jpg 2x",
    },
    {
      name: "relative and root-relative URLs",
      srcset: "/images/a.jpg 1x, b.jpg 2x",
      expected: "https://news.example.com/edition/images/a.jpg 1x, https://news.example.com/edition/articles/b.jpg 2x",
    },
    {
      name: "javascript: dropped",
      srcset: "javascript:alert(1) 1x, ok.jpg 2x",
      expected: "https://news.example.com/edition/articles/ok.jpg 2x",
    },
    {
      name: "a URL with a comma stays one URL",
      srcset: "https://cdn.example.com/w_640,h_360/a.jpg 640w",
      expected: "https://cdn.example.com/w_640,h_360/a.jpg 640w",
    },
  ])("$name", ({ srcset, expected }) => {
    expect(absoluteSrcset(srcset, base)).toBe(expected);
    const html = renderMarkdown(`<img src="/images/a.jpg" srcset="${srcset}">`, base).html;
    expect(html).toContain(`srcset="${expected}"`);
    expect(html).not.toMatch(/AAAA|iVBOR|javascript/);
  });
});
