// The body stored once (src/core/publish/stored-body.ts): every writer's template with the body put back is the item it
// writes whole, byte for byte, for bodies and texts written to break the mark, the CDATA section or the JSON string.
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/model.ts";
import { articleWithBody, articleWithoutBody, BODY_MARK, itemTemplate, withBody, writesBody } from "../../src/core/publish/stored-body.ts";
import { ITEM_WRITERS } from "../../src/formats/index.ts";

const BASE: Article = {
  file: "2026/01/a.md",
  slug: "a",
  id: "https://news.example.com/articles/a",
  idIsUrl: true,
  title: "Ministers meet in Baku",
  url: "https://news.example.com/articles/a",
  siteUrl: "https://news.example.com/",
  published: new Date("2026-01-10T08:00:00Z"),
  updated: new Date("2026-01-10T09:30:00Z"),
  authors: [{ key: "ana-lima", name: "Ana Lima" }],
  section: "News",
  tags: ["Energy"],
  summary: "Talks on the corridor.",
  image: { url: "https://news.example.com/images/a.jpg", alt: "A port", type: "image/jpeg", length: 1234, width: 800, height: 600 },
  html: "<p>Ministers met on Monday.</p>",
};

/** Bodies and texts that a careless mark or splice would get wrong. */
const CASES: readonly { name: string; article: Partial<Article> }[] = [
  { name: "an ordinary body", article: {} },
  { name: "an empty body", article: { html: "" } },
  { name: "a body holding ]]> (split across CDATA sections)", article: { html: "<p>a ]]> b ]]]]> c</p>" } },
  { name: "carriage returns (normalised in CDATA)", article: { html: "<p>one\r\ntwo\rthree</p>" } },
  { name: "characters XML forbids, U+0000 among them", article: { html: "<p>a\u0000b\u0001c\uFFFEd\uFFFF</p>" } },
  { name: "a lone surrogate", article: { html: "<p>x\uD800y</p>" } },
  { name: "JSON's own specials", article: { html: '<p title="q">"\\ \u2028 \u2029 \t</p>' } },
  { name: "astral characters and right-to-left text", article: { html: "<p>𝔘 نفت 🚢</p>" } },
  { name: "the stand-in itself in the body", article: { html: "<p>\uE000edge-feeds:body\uE001</p>" } },
  { name: "the stand-in in the title (the item is stored whole)", article: { title: "\uE000edge-feeds:body\uE001" } },
  { name: "the stand-in in the summary", article: { summary: "x \uE000edge-feeds:body\uE001 y" } },
  { name: "a U+0000 in the title", article: { title: "a\u0000b" } },
  {
    name: "the mark's own character (U+FFFF) in the title, summary and body",
    article: { title: "a\uFFFFb", summary: "\uFFFF", html: "<p>\uFFFF</p>" },
  },
  { name: "a long body", article: { html: "<p>word </p>".repeat(20_000) } },
];

describe("a whole item stored without its body", () => {
  for (const writer of ITEM_WRITERS) {
    describe(writer.part, () => {
      it.each(CASES)("is the item written whole once the body is back: $name", ({ article }) => {
        const full = { ...BASE, ...article };
        const template = itemTemplate(writer, full);
        expect(withBody(writer, template, full.html)).toBe(writer.renderItem(full));
        // At most one mark, and none in an excerpt (it has no body).
        expect(template.split(BODY_MARK).length - 1).toBeLessThanOrEqual(writesBody(writer) ? 1 : 0);
      });
    });
  }

  it("leaves the body out of the whole items (RSS, Atom, JSON Feed), and keeps the excerpts as they are", () => {
    const html = `<p>${"A paragraph the body repeats. ".repeat(200)}</p>`;
    const full = { ...BASE, html };
    const withBodyWriters = ITEM_WRITERS.filter(writesBody).map((w) => w.part);
    expect(withBodyWriters).toEqual(["rss", "atom", "json"]);
    for (const writer of ITEM_WRITERS) {
      const template = itemTemplate(writer, full);
      expect(template.includes("A paragraph the body repeats."), writer.part).toBe(false);
      if (writesBody(writer)) expect(template.length, writer.part).toBeLessThan(writer.renderItem(full).length - html.length / 2);
      else expect(template).toBe(writer.renderItem(full));
    }
  });

  it("stores an item whole when the body's place cannot be told apart (the stand-in written as another text)", () => {
    // JSON Feed writes the title as a JSON string, as it writes the body: the stand-in's slot is then there twice.
    const full = { ...BASE, title: "\uE000edge-feeds:body\uE001" };
    const json = ITEM_WRITERS.find((w) => w.part === "json")!;
    expect(itemTemplate(json, full)).toBe(json.renderItem(full));
    // RSS and Atom write the title as escaped text and the body as CDATA: the slot is found once, and the mark placed.
    for (const writer of ITEM_WRITERS.filter((w) => w.part === "rss" || w.part === "atom")) {
      expect(itemTemplate(writer, full).split(BODY_MARK).length - 1, writer.part).toBe(1);
    }
  });

  it("reads an item stored whole (before this layout) as it is, whatever body is beside it", () => {
    for (const writer of ITEM_WRITERS) {
      const whole = writer.renderItem(BASE);
      expect(withBody(writer, whole, "<p>other</p>")).toBe(whole);
      expect(withBody(writer, whole, undefined)).toBe(whole);
    }
  });
});

describe("the stored article beside its body", () => {
  it("is stored without html and read back with the body part", () => {
    const stored = JSON.parse(JSON.stringify(articleWithoutBody(BASE))) as Omit<Article, "html">;
    expect("html" in stored).toBe(false);
    expect(articleWithBody({ ...stored, published: BASE.published, updated: BASE.updated }, BASE.html)).toEqual(BASE);
  });

  it("keeps the html of an article stored before bodies were stored apart", () => {
    expect(articleWithBody(BASE, undefined)).toEqual(BASE);
    expect(articleWithBody(BASE, "<p>ignored</p>").html).toBe(BASE.html);
  });
});
