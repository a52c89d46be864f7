// Where the lead figure goes in the content (after the body's first block, so excerpts start with the article's
// words), and the body's own images as Media RSS lists them (alt, caption, credit, facts), as tables.
import { describe, expect, it } from "vitest";
import { parseArticle } from "../../src/core/article.ts";
import { parseAuthors } from "../../src/core/authors.ts";
import { listInlineImages } from "../../src/core/body-images.ts";
import { renderMarkdown } from "../../src/core/markdown.ts";
import { renderArticle } from "../../src/core/render.ts";
import { site } from "../support/site.ts";

const base = { siteUrl: "https://news.example.com", pageUrl: "https://news.example.com/articles/story" };
const FIGURE = '<figure><img src="https://img.example/lead.jpg" alt=""></figure>';

describe("the lead figure follows the body's first block", () => {
  it.each([
    { name: "a paragraph", body: "First words.\n\nSecond.", expected: `<p>First words.</p>\n${FIGURE}<p>Second.</p>\n` },
    { name: "a heading", body: "## Background\n\nText.", expected: `<h2>Background</h2>\n${FIGURE}<p>Text.</p>\n` },
    { name: "a list, whole", body: "- a\n- b\n\nText.", expected: `<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n${FIGURE}<p>Text.</p>\n` },
    { name: "a one-paragraph body: at the end", body: "Only words.", expected: `<p>Only words.</p>\n${FIGURE}` },
    { name: "an empty body: alone", body: "", expected: FIGURE },
  ])("$name", ({ body, expected }) => {
    expect(renderMarkdown(body, base, { afterFirstBlock: FIGURE }).html).toBe(expected.replace('alt=""', 'alt="" /'));
  });

  it("and goes through the sanitiser with the body (an unclosed raw element cannot swallow it unescaped)", () => {
    const html = renderMarkdown('<div class="x">\n\nInside.\n\n</div>', base, { afterFirstBlock: '<figure onclick="x()"></figure>' }).html;
    expect(html).not.toContain("onclick");
    expect(html).toContain("<figure></figure>");
  });

  it("in a rendered article: the dateline, the first paragraph, then the figure with its caption", () => {
    const text = `---\ntitle: T\ndate: 2025-05-01\ndateline: BAKU\nimage:\n  src: https://img.example/lead.jpg\n  caption: The caption.\n  credit: The credit\n---\n\nThe article's first words.\n\nMore.\n`;
    const parsed = parseArticle("t.md", text, { site, authors: parseAuthors(null, site).authors, image: () => null, exists: () => false });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const { html } = renderArticle(parsed.record);
    expect(html.indexOf("BAKU")).toBeLessThan(html.indexOf("The article's first words."));
    expect(html.indexOf("The article's first words.")).toBeLessThan(html.indexOf("The caption."));
  });
});

describe("listInlineImages", () => {
  const facts = { type: "image/png", width: 3, height: 2, length: 70 };
  const list = (body: string, exclude: string[] = []) =>
    listInlineImages(renderMarkdown(body, base).html, {
      siteUrl: base.siteUrl,
      facts: (file) => (file === "images/local.png" ? facts : undefined),
      exclude,
    });

  it.each([
    {
      name: "markdown: alt, and the title as the caption",
      body: '![A map](https://img.example/map.webp "The route")',
      expected: [{ url: "https://img.example/map.webp", alt: "A map", caption: "The route", type: "image/webp" }],
    },
    {
      name: "a local image with its measured facts",
      body: "![Local](/images/local.png)",
      expected: [{ url: "https://news.example.com/images/local.png", alt: "Local", ...facts }],
    },
    {
      name: "a figure: caption from the figcaption, credit from its .credit element",
      body: '<figure>\n<img src="/images/local.png" alt="Two presidents">\n<figcaption>In Baku &amp; Tehran. <small class="credit">Photo: AFP</small></figcaption>\n</figure>',
      expected: [
        {
          url: "https://news.example.com/images/local.png",
          alt: "Two presidents",
          caption: "In Baku & Tehran.",
          credit: "Photo: AFP",
          ...facts,
        },
      ],
    },
    {
      name: "document order, each image once, no type for an unknown extension",
      body: "![b](https://img.example/b.svgz) ![a](https://img.example/a.gif) ![b again](https://img.example/b.svgz)",
      expected: [
        { url: "https://img.example/b.svgz", alt: "b" },
        { url: "https://img.example/a.gif", alt: "a", type: "image/gif" },
      ],
    },
    {
      name: "the lead image left out (announced first already)",
      body: "![lead](https://img.example/lead.jpg) ![other](https://img.example/other.jpg)",
      exclude: ["https://img.example/lead.jpg"],
      expected: [{ url: "https://img.example/other.jpg", alt: "other", type: "image/jpeg" }],
    },
    { name: "an image whose src the sanitiser dropped is no image", body: '<img src="javascript:alert(1)" alt="x">', expected: [] },
  ])("$name", ({ body, exclude, expected }) => {
    expect(list(body, exclude)).toEqual(expected);
  });
});
