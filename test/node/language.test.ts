// Rules for language on the pages: writing direction of a language tag, the label table and its fallbacks, list
// joining, Open Graph locales and dates with the site zone's offset; then the pages that use them, over HTTP.
import { describe, expect, it } from "vitest";
import { formatRfc3339InZone } from "../../src/core/dates.ts";
import { textDirection } from "../../src/core/language.ts";
import { joinList, openGraphLocale } from "../../src/http/article-pages.ts";
import { html } from "../../src/http/html.ts";
import { labelsFor } from "../../src/http/labels.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { NOW, site } from "../support/site.ts";

describe("textDirection", () => {
  it.each([
    ["fa", "rtl"],
    ["fa-IR", "rtl"],
    ["ar", "rtl"],
    ["he", "rtl"],
    ["ur", "rtl"],
    ["ckb", "rtl"],
    ["dv", "rtl"],
    ["az-Arab", "rtl"], // Azerbaijani in Arabic script, as written in Iran
    ["ku-Arab", "rtl"],
    ["syr", "rtl"],
    ["en", "ltr"],
    ["en-GB", "ltr"],
    ["az", "ltr"], // Latin script in Azerbaijan
    ["fa-Latn", "ltr"], // an explicit script wins over the language's usual one
    ["ru", "ltr"],
    ["zh-Hant", "ltr"],
    ["not a tag", "ltr"],
    ["", "ltr"],
  ])("%s is %s", (lang, dir) => {
    expect(textDirection(lang)).toBe(dir);
  });
});

describe("labelsFor", () => {
  it.each([
    // article language, site language → labels language, "By"
    ["fa", "en", "fa", "نوشتهٔ"],
    ["fa-IR", "en", "fa-IR", "نوشتهٔ"],
    ["en-GB", "en", "en-GB", "By"],
    ["de", "en", "en", "By"], // no German table: the site's language
    ["de", "fa", "fa", "نوشتهٔ"],
    ["de", "fr", "en", "By"], // neither has a table: English
  ])("an article in %s on a %s site has its labels in %s", (lang, site, labelLang, by) => {
    const found = labelsFor(lang, site);
    expect(found.lang).toBe(labelLang);
    expect(found.labels.by).toBe(by);
  });

  it("has every label in every language, and Persian ones are Persian", () => {
    const en = labelsFor("en", "en").labels;
    const fa = labelsFor("fa", "fa").labels;
    const flat = (l: typeof en) => [
      l.by,
      l.updated,
      l.section,
      l.tags,
      l.latest,
      l.subscribe,
      l.archive,
      l.empty,
      ...Object.values(l.kinds),
    ];
    expect(flat(fa)).toHaveLength(flat(en).length);
    for (const text of flat(fa)) expect(text).toMatch(/^[\u0600-\u06FF\u200C\s.]+$/);
    for (const text of flat(en)) expect(text).toMatch(/^[A-Za-z .]+$/);
  });
});

describe("joinList", () => {
  const items = ["A", "B", "C"].map((x) => html`<a>${x}</a>`);
  it.each([
    ["en", 2, "<a>A</a> and <a>B</a>"],
    ["en", 3, "<a>A</a>, <a>B</a>, and <a>C</a>"],
    ["en-GB", 3, "<a>A</a>, <a>B</a> and <a>C</a>"],
    ["fa", 2, "<a>A</a> و <a>B</a>"],
    ["de", 3, "<a>A</a>, <a>B</a> und <a>C</a>"],
    ["en", 1, "<a>A</a>"],
  ])("in %s joins %i items as the language does", (lang, n, expected) => {
    expect(joinList(lang, items.slice(0, n)).toString()).toBe(expected);
  });
});

describe("openGraphLocale", () => {
  it.each([
    ["en-GB", "en_GB"],
    ["fa", "fa_IR"],
    ["en", "en_US"],
    ["az-Latn-AZ", "az_AZ"],
    ["pt-BR", "pt_BR"],
  ])("%s → %s", (lang, locale) => {
    expect(openGraphLocale(lang)).toBe(locale);
  });
});

describe("formatRfc3339InZone", () => {
  it.each([
    ["2025-04-28T13:10:00Z", "Europe/London", "2025-04-28T14:10:00+01:00"], // BST
    ["2025-01-28T13:10:00Z", "Europe/London", "2025-01-28T13:10:00+00:00"], // GMT: an offset, not Z
    ["2025-01-28T13:10:00.500Z", "Asia/Tehran", "2025-01-28T16:40:00.500+03:30"],
    ["2025-01-28T13:10:00Z", "America/St_Johns", "2025-01-28T09:40:00-03:30"],
    ["2025-01-28T13:10:00Z", "Asia/Kathmandu", "2025-01-28T18:55:00+05:45"],
    ["2025-03-30T00:59:59Z", "Europe/London", "2025-03-30T00:59:59+00:00"], // a second before the spring change
    ["2025-03-30T01:00:00Z", "Europe/London", "2025-03-30T02:00:00+01:00"],
  ])("%s in %s is %s", (instant, zone, expected) => {
    const text = formatRfc3339InZone(new Date(instant), zone);
    expect(text).toBe(expected);
    expect(new Date(text).getTime()).toBe(new Date(instant).getTime()); // the same instant, read back
  });
});

describe("pages in the article's language and direction", () => {
  const article = (front: string, body = "Body.\n") => `---\n${front}---\n\n${body}`;
  const app = appOver({
    source: createMemorySource({
      "authors.yaml": "leila:\n  name: Leila Hosseini\n",
      "fa.md": article(
        'title: "مترو"\ndate: 2025-04-22T10:00:00Z\nlang: fa\nsection: News\ntags: [تهران, Transport]\nauthors: [leila, "Sara"]\n',
      ),
      "de.md": article('title: "Ein Bericht"\ndate: 2025-04-21T10:00:00Z\nlang: de\nauthors: [leila]\n'),
      "en.md": article('title: "A report"\ndate: 2025-04-20T10:00:00Z\nupdated: 2025-04-20T12:00:00Z\n'),
    }),
    site,
    now: () => NOW,
    log: () => {},
  });
  const text = async (path: string) => (await app.request(path)).text();

  it("a Persian article page is right to left, with Persian labels, list words and dates", async () => {
    const html = await text("/articles/fa");
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toMatch(
      /<p class="meta byline">نوشتهٔ <a rel="author" href="[^"]+\/authors\/leila\/"><bdi>Leila Hosseini<\/bdi><\/a> و <a [^>]+><bdi>Sara<\/bdi><\/a> · <time datetime="2025-04-22T10:00:00.000Z">۲ اردیبهشت ۱۴۰۴/,
    );
    expect(html).toContain("بخش: <a");
    expect(html).toContain("برچسب‌ها: <a");
    // The site's name in its own language and direction inside the Persian page.
    expect(html).toMatch(/<header class="muted"><a href="[^"]+" lang="en" dir="ltr">The New Region<\/a>/);
  });

  it("an article in a language without labels has the site's labels, marked as such, and its own dates", async () => {
    const html = await text("/articles/de");
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toMatch(/<span lang="en">By<\/span> <a [^>]+><bdi>Leila Hosseini<\/bdi><\/a> · <time [^>]+>21\. April 2025/);
  });

  it("an English article has English labels and no language marks", async () => {
    const html = await text("/articles/en");
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toMatch(/<p class="meta byline">By <a [^>]+><bdi>The New Region<\/bdi><\/a> · <time [^>]+>[^<]+<\/time> · Updated <time/);
  });

  it("the preview marks the article's words with its language and direction, and keeps snippets left to right", async () => {
    const html = await text("/preview/fa");
    expect(html).toContain('<html lang="en" dir="ltr">');
    expect(html).toContain('<h1 lang="fa" dir="rtl">مترو</h1>');
    expect(html).toContain('<blockquote class="excerpt" data-source="summary" lang="fa" dir="rtl">');
    expect(html).toContain('<pre dir="ltr">');
  });

  it("headlines.json names each headline's language and direction, and the iframe list uses them", async () => {
    const body = (await (await app.request("/headlines.json")).json()) as { items: { title: string; language: string; dir: string }[] };
    expect(body.items.map((i) => [i.title, i.language, i.dir])).toEqual([
      ["مترو", "fa", "rtl"],
      ["Ein Bericht", "de", "ltr"],
      ["A report", "en", "ltr"],
    ]);
    const frame = await text("/embed/headlines?lang=en");
    expect(frame).toContain('<li lang="fa" dir="rtl">');
    expect(frame).toContain('<li lang="de" dir="ltr">');
    expect(frame).toMatch(/<time datetime="2025-04-22T10:00:00Z" title="[^"]+"><bdi lang="en">[^<]+<\/bdi><\/time>/);
    expect(await text("/embed/headlines?lang=fa")).toContain('<html lang="fa" dir="rtl">');
  });
});
