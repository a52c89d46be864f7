// What search engines and link previews read on article pages: schema.org NewsArticle JSON-LD, checked against
// schema.org's published vocabulary (test/support/schema-org.ts), and Open Graph / Twitter tags, read back by
// open-graph-scraper (the npm library link unfurlers use). Also: the JSON-LD cannot end its <script> element early, and
// the page's CSP still runs no script.
import ogs from "open-graph-scraper";
import { describe, expect, it } from "vitest";
import { type Catalog, HOME } from "../../src/core/catalog.ts";
import { catalogFromSource } from "../../src/core/memory-catalog.ts";
import { newsArticleJsonLd } from "../../src/formats/json-ld.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { checkJsonLd, loadSchemaOrg } from "../support/schema-org.ts";
import { FIXTURE_DIR, NOW, site } from "../support/site.ts";

const source = createDirectorySource(FIXTURE_DIR);
const catalog: Catalog = catalogFromSource(source, site, { log: () => {} });
const app = appOver({ source, site, now: () => NOW, log: () => {}, loadCatalog: () => catalog });
const vocab = loadSchemaOrg();

async function page(path: string): Promise<{ res: Response; html: string }> {
  const res = await app.request(path);
  return { res, html: await res.text() };
}

/** The JSON-LD as a consumer reads it: open-graph-scraper finds and parses the script element itself. */
async function readPage(html: string) {
  const { result, error } = await ogs({ html });
  expect(error).toBe(false);
  return result;
}

const SLUGS = [
  "iran-azerbaijan-de-escalation",
  "caspian-corridor-analysis",
  "oil-gas-baku-energy-week",
  "tehran-metro-fa",
  "q-and-a-instc",
];

describe("the schema.org checker itself", () => {
  it("knows the vocabulary and finds what does not fit it", () => {
    expect(vocab.classes.size).toBeGreaterThan(800);
    expect(
      checkJsonLd(vocab, {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        headline: "ok",
        summary: "not a schema.org property",
        author: [{ "@type": "Person", name: "A", headline: "a property of CreativeWork, not of Person" }],
        publisher: { "@type": "Newspaper", name: "a CreativeWork where an Organization or Person is expected" },
        image: { "@type": "Picture" },
      }),
    ).toEqual([
      '$: "summary" is not a property of NewsArticle',
      '$.author[0]: "headline" is not a property of Person',
      "$.publisher: a Newspaper where publisher expects Organization | Person | IdReference",
      '$.image: "Picture" is not a schema.org class',
    ]);
  });
});

describe("NewsArticle JSON-LD on article pages", () => {
  it.each(SLUGS)("%s: every @type and property is schema.org's and applies where it is used", async (slug) => {
    const { html } = await page(`/articles/${slug}`);
    const { jsonLD } = await readPage(html);
    expect(jsonLD).toHaveLength(1);
    expect(checkJsonLd(vocab, jsonLD![0])).toEqual([]);
  });

  it.each(SLUGS)("%s: says what the article is, in the words and instants of the article", async (slug) => {
    const [entry] = (await catalog.newest(HOME, NOW, 20)).filter((e) => e.slug === slug);
    const [article] = await catalog.articles([entry!]);
    const { html } = await page(`/articles/${slug}`);
    const ld = (await readPage(html)).jsonLD![0] as Record<string, unknown>;
    expect(ld["@context"]).toBe("https://schema.org");
    expect(ld["@type"]).toBe("NewsArticle");
    expect(ld.headline).toBe(article!.title);
    expect(ld.mainEntityOfPage).toEqual({ "@type": "WebPage", "@id": article!.url });
    expect(ld.inLanguage).toBe(article!.lang ?? "en");
    // Dates with the site zone's offset, naming the same instants.
    for (const [key, instant] of [
      ["datePublished", article!.published],
      ["dateModified", article!.updated],
    ] as const) {
      expect(ld[key] as string).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/);
      expect(new Date(ld[key] as string).getTime()).toBe(instant.getTime());
    }
    const authors = ld.author as { "@type": string; name: string; url: string }[];
    expect(authors.map((a) => a.name)).toEqual(article!.authors.map((a) => a.name));
    for (const [i, a] of authors.entries()) {
      expect(a["@type"]).toBe("Person");
      expect(a.url).toBe(article!.authors[i]!.url ?? `${site.url}/authors/${article!.authors[i]!.key}/`);
    }
    expect(ld.publisher).toEqual({ "@type": "Organization", name: site.title, url: `${site.url}/` });
    expect(ld.articleSection).toBe(article!.section);
    if (article!.image) {
      const [image] = ld.image as Record<string, unknown>[];
      const { width, height } = article!.image;
      expect(image).toEqual({
        "@type": "ImageObject",
        url: article!.image.url,
        contentUrl: article!.image.url,
        encodingFormat: article!.image.type,
        ...(width ? { width } : {}),
        ...(height ? { height } : {}),
        ...(article!.image.caption ? { caption: article!.image.caption } : {}),
        ...(article!.image.credit ? { creditText: article!.image.credit } : {}),
      });
    } else {
      expect(ld.image).toBeUndefined();
    }
  });

  it("gives lead images their measured size", async () => {
    const ld = (await readPage((await page("/articles/iran-azerbaijan-de-escalation")).html)).jsonLD![0] as Record<string, unknown>;
    expect((ld.image as Record<string, unknown>[])[0]).toMatchObject({ width: 1200, height: 675, encodingFormat: "image/jpeg" });
    expect(ld.datePublished).toBe("2025-04-28T14:10:00+01:00"); // 14:10 in London, as the newsroom wrote it
  });

  it("names the publisher's logo when one is given, still in schema.org's terms", async () => {
    const [entry] = await catalog.newest(HOME, NOW, 1);
    const [article] = await catalog.articles([entry!]);
    const ld = newsArticleJsonLd(article!, site, { url: `${site.url}/images/logo.png`, width: 600, height: 60 });
    expect(ld.publisher).toEqual({
      "@type": "Organization",
      name: site.title,
      url: `${site.url}/`,
      logo: {
        "@type": "ImageObject",
        url: `${site.url}/images/logo.png`,
        contentUrl: `${site.url}/images/logo.png`,
        width: 600,
        height: 60,
      },
    });
    expect(checkJsonLd(vocab, ld)).toEqual([]);
  });
});

describe("JSON-LD inside <script>", () => {
  const HOSTILE = "Ends </script><script>window.__pwned = 1</script> <!-- <script> & more\u2028line\u2029para";
  const hostileApp = appOver({
    source: createMemorySource({
      "x.md": `---\ntitle: ${JSON.stringify(HOSTILE)}\ndate: 2025-05-01T10:00:00Z\nsection: "</script>"\ntags: ["<!--"]\n---\n\nBody.\n`,
    }),
    site,
    now: () => NOW,
    log: () => {},
  });

  it("cannot end or change the element: <, >, & and U+2028/9 are escaped, and the value reads back unchanged", async () => {
    const res = await hostileApp.request("/articles/x");
    const html = await res.text();
    const script = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(script).not.toMatch(/[<>&\u2028\u2029]/);
    expect(html.match(/<script/g)).toHaveLength(1); // the only script element is ours
    const ld = (await readPage(html)).jsonLD![0] as Record<string, unknown>;
    expect(ld.headline).toBe(HOSTILE);
    expect(ld.articleSection).toBe("</script>");
    expect(ld.keywords).toEqual(["<!--"]);
    expect(JSON.parse(script)).toEqual(ld);
  });

  it("leaves the page's CSP running no script at all", async () => {
    const res = await hostileApp.request("/articles/x");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
  });
});

describe("Open Graph and Twitter cards", () => {
  it("carry title, summary, canonical URL, image with size and alt, dates, section and author", async () => {
    const { html } = await page("/articles/tehran-metro-fa");
    const og = await readPage(html);
    expect(og).toMatchObject({
      ogType: "article",
      ogTitle: "بهره‌برداری از سه ایستگاه جدید در امتداد خط ۶ متروی تهران",
      ogUrl: `${site.url}/articles/tehran-metro-fa`,
      ogSiteName: site.title,
      ogLocale: "fa_IR",
      articlePublishedTime: "2025-04-22T10:00:00+01:00",
      articleModifiedTime: "2025-04-22T10:00:00+01:00",
      articleSection: "News",
      articleAuthor: "https://example.net/people/leila-hosseini",
      twitterCard: "summary_large_image",
    });
    expect(og.ogDescription).toMatch(/^با افتتاح سه ایستگاه تازه/);
    expect(og.ogImage).toEqual([
      {
        url: "https://images.example.com/tehran-metro.jpg",
        type: "image/jpeg",
        width: "1024",
        height: "576",
        alt: "سکوی یک ایستگاه مترو با قطاری در حال توقف و مسافرانی که منتظر سوار شدن هستند",
      },
    ]);
    expect(og.twitterImage).toEqual([
      {
        url: "https://images.example.com/tehran-metro.jpg",
        alt: "سکوی یک ایستگاه مترو با قطاری در حال توقف و مسافرانی که منتظر سوار شدن هستند",
      },
    ]);
    // open-graph-scraper keeps only the last article:tag (its limit); every tag is in the page.
    expect(og.articleTag).toBe("حمل‌ونقل شهری");
    expect([...html.matchAll(/<meta property="article:tag" content="([^"]*)">/g)].map((m) => m[1])).toEqual([
      "تهران",
      "مترو",
      "حمل‌ونقل شهری",
    ]);
  });

  it("falls back to a summary card, and authors' pages here, for an article without image or author URLs", async () => {
    const { html } = await page("/articles/q-and-a-instc");
    const og = await readPage(html);
    expect(og.twitterCard).toBe("summary");
    expect(html).not.toMatch(/og:image|twitter:image/); // (open-graph-scraper then guesses an image from the body: its choice)
    expect([...html.matchAll(/<meta property="article:author" content="([^"]*)">/g)].map((m) => m[1])).toEqual([
      `${site.url}/authors/james-okafor/`,
      `${site.url}/authors/reuters/`,
    ]);
  });
});
