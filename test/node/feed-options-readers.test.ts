// Real readers (feedparser, rss2email, sfeed, newsboat, gofeed, rss-parser, feed-extractor, XML::Feed) read the feed
// options as the app serves them, in every format each reads: excerpt feeds (the site's, with FEED_LINK_QUERY, and a
// partner's, with its UTM) show each article's summary and lead image and never its full text, with the query on links
// to this site and the bare URL as id; a language's feed shows its articles only, in its language; an article with
// `main_feed: false` is in its section's feed and not the site's. A reader's known limit (test/support/readers.ts) is
// asserted as what it shows instead.
import { beforeAll, describe, expect, it } from "vitest";
import { createMemorySource } from "../../src/sources/memory.ts";
import { appOver } from "../support/app.ts";
import { BASE, BODY_ONLY, OPTION_FILES } from "../support/feed-options-fixture.ts";
import { NOW, testSite } from "../support/http-fixtures.ts";
import {
  type ArticleFacts,
  buildGofeedJudge,
  decodeHtmlText,
  limitOf,
  READERS,
  type Reader,
  type ReaderFormat,
  type ShownItem,
} from "../support/readers.ts";

const FILES: Record<ReaderFormat, string> = { rss: "rss.xml", atom: "atom.xml", json: "feed.json" };

/** What each published article of the fixture is (the facts a reader should show of an excerpt). */
interface Facts {
  slug: string;
  title: string;
  /** Its canonical URL, as its id. */
  url: string;
  summary: string;
  image?: { url: string; type: string };
  language: string;
}

const article = (slug: string) => `${BASE}/articles/${slug}`;

const FACTS: readonly Facts[] = [
  { slug: "metro", title: "Metro line opens", url: article("metro"), summary: "The body of Metro line opens.", language: "en" },
  {
    slug: "metro-fa",
    title: "افتتاح خط تازه مترو",
    url: article("metro-fa"),
    summary: "خط تازه مترو امروز افتتاح شد.",
    image: { url: "https://images.example/metro.jpg", type: "image/jpeg" },
    language: "fa",
  },
  { slug: "election", title: "Election called", url: article("election"), summary: "The body of Election called.", language: "en" },
  { slug: "gas-prices", title: "Gas prices fall", url: article("gas-prices"), summary: "The body of Gas prices fall.", language: "en" },
  { slug: "oil-deal", title: "Oil deal signed", url: article("oil-deal"), summary: "The body of Oil deal signed.", language: "en" },
  {
    slug: "syndicated",
    title: "Wire: port traffic up",
    url: "https://wire.example/port-traffic?src=rss",
    summary: "Port traffic rose.",
    language: "en",
  },
  {
    slug: "campaign",
    title: "Our campaign page",
    url: `${BASE}/special/campaign?ref=home#top`,
    summary: "The campaign opens.",
    language: "en",
  },
];
const ASIDE: Facts = {
  slug: "aside",
  title: "A note on pipeline tariffs",
  url: article("aside"),
  summary: "Why tariffs matter, briefly.",
  image: { url: "https://images.example/tariffs.png", type: "image/png" },
  language: "en",
};

/** The link a reader should show: the query added to links on this site, before the fragment, after the own query. */
function linkOf(facts: Facts, query: string): string {
  if (!facts.url.startsWith(`${BASE}/`)) return facts.url;
  const [head, fragment] = facts.url.split("#") as [string, string | undefined];
  return `${head}${head.includes("?") ? "&" : "?"}${query}${fragment === undefined ? "" : `#${fragment}`}`;
}

/**
 * Readers that do not show a link as the feed gives it, and what they show instead (a limit, asserted as such). These
 * are limits for links with a query only, so they live here rather than in the readers' shared table, whose limits
 * must each show in the plain fixtures.
 */
const LINK_LIMITS: Partial<Record<Reader["id"], { says: string; shows: (link: string) => string }>> = {
  "feed-extractor": {
    says: "strips tracking parameters (utm_* and others) and the fragment from every link (its `purify`, esm/src/utils/linker.js in 8.0.3): a publisher's query never reaches its users",
    shows: (link) => {
      const url = new URL(link);
      for (const name of [...url.searchParams.keys()]) if (name.startsWith("utm_")) url.searchParams.delete(name);
      url.hash = "";
      return url.href;
    },
  },
};

/** The readers' facts shape, for a limit's `shows` (only the fields these checks read are filled). */
const asArticleFacts = (f: Facts) =>
  ({ ...f, id: f.url, link: f.url, image: f.image ? { ...f.image, length: null } : null }) as unknown as ArticleFacts;

const plain = appOver({ source: createMemorySource(OPTION_FILES), site: testSite(), now: () => NOW, log: () => {} });
const options = appOver({
  source: createMemorySource(OPTION_FILES),
  site: testSite({ FEED_CONTENT: "excerpt", FEED_LINK_QUERY: "utm_source=feed&utm_medium={format}" }),
  now: () => NOW,
  log: () => {},
});

/** The documents read, by name and format: each with the app that serves it and the path. */
const DOCUMENTS = {
  "site excerpt": { app: options, folder: "/" },
  "partner excerpt": { app: plain, folder: "/partners/acme/" },
  Persian: { app: plain, folder: "/languages/fa/" },
  site: { app: plain, folder: "/" },
  Business: { app: plain, folder: "/sections/business/" },
} as const;
type DocumentName = keyof typeof DOCUMENTS;

const shown = new Map<string, ShownItem[]>();
const key = (reader: Reader, name: DocumentName, format: ReaderFormat) => `${reader.id} ${name} ${format}`;

beforeAll(async () => {
  const bodies = new Map<string, string>();
  for (const [name, { app, folder }] of Object.entries(DOCUMENTS)) {
    for (const [format, file] of Object.entries(FILES)) {
      const res = await app.request(`http://localhost${folder}${file}`);
      expect(res.status, `${folder}${file}`).toBe(200);
      bodies.set(`${name} ${format}`, await res.text());
    }
  }
  await buildGofeedJudge();
  await Promise.all(
    READERS.flatMap((reader) =>
      Object.keys(DOCUMENTS).flatMap((name) =>
        reader.formats.map(async (format) => {
          shown.set(key(reader, name as DocumentName, format), await reader.read(bodies.get(`${name} ${format}`)!, format));
        }),
      ),
    ),
  );
}, 180_000);

/** Every text a reader shows of an item, as a person reads it. */
const textsOf = (item: ShownItem) =>
  [item.title, item.summary, item.content].filter((t): t is string => t !== null).map((t) => decodeHtmlText(t.replace(/<[^>]*>/g, " ")));

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

for (const reader of READERS) {
  describe(reader.id, () => {
    for (const format of reader.formats) {
      const items = (name: DocumentName) => shown.get(key(reader, name, format))!;
      const itemOf = (name: DocumentName, facts: Facts) => {
        const item = items(name).find((i) => i.id === facts.url);
        expect(item, `${reader.id} shows no ${format} item with the id of ${facts.slug} in the ${name} feed`).toBeDefined();
        return item!;
      };

      describe(`${format} excerpts`, () => {
        for (const [name, query] of [
          ["site excerpt", `utm_source=feed&utm_medium=${format}`],
          ["partner excerpt", `utm_source=acme&utm_medium=${format}&utm_campaign=syndication`],
        ] as const) {
          it(`${name}: every article once, by its bare URL as id, and its link with the query where it is on this site`, () => {
            expect(
              items(name)
                .map((i) => i.id)
                .sort(),
            ).toEqual(FACTS.map((f) => f.url).sort());
            const limit = LINK_LIMITS[reader.id];
            expect(
              FACTS.map((f) => [f.slug, itemOf(name, f).title, itemOf(name, f).link]),
              limit && `known limit of ${reader.id}: ${limit.says}`,
            ).toEqual(FACTS.map((f) => [f.slug, f.title, limit ? limit.shows(linkOf(f, query)) : linkOf(f, query)]));
          });

          it(`${name}: each article's summary, and never words only its full text has`, () => {
            for (const f of FACTS) {
              const texts = textsOf(itemOf(name, f));
              expect(
                texts.some((t) => collapse(t).includes(f.summary)),
                `${f.slug}: ${JSON.stringify(texts)}`,
              ).toBe(true);
              expect(
                texts.filter((t) => t.includes(BODY_ONLY)),
                f.slug,
              ).toEqual([]);
            }
          });

          it(`${name}: the lead image`, () => {
            const facts = FACTS.find((f) => f.image)!;
            const limit = limitOf(reader, "enclosures", format);
            const expected = limit
              ? limit.shows(asArticleFacts(facts), { format, language: "en" })
              : [{ url: facts.image!.url, type: facts.image!.type, length: format === "rss" ? 0 : null }];
            expect(itemOf(name, facts).enclosures, limit?.says).toEqual(expected);
          });
        }
      });

      it(`${format}: the Persian feed has the Persian article only, in Persian`, () => {
        const facts = FACTS.find((f) => f.language === "fa")!;
        expect(items("Persian").map((i) => i.id)).toEqual([facts.url]);
        const limit = limitOf(reader, "language", format);
        const expected = limit ? limit.shows(asArticleFacts(facts), { format, language: "fa" }) : "fa";
        expect(itemOf("Persian", facts).language, limit?.says).toEqual(expected);
        expect(itemOf("Persian", facts).title).toBe(facts.title);
      });

      it(`${format}: an article with main_feed: false is in its section's feed, not the site's`, () => {
        expect(items("site").map((i) => i.id)).not.toContain(ASIDE.url);
        expect(
          items("site")
            .map((i) => i.id)
            .sort(),
        ).toEqual(FACTS.map((f) => f.url).sort());
        expect(itemOf("Business", ASIDE).title).toBe(ASIDE.title);
      });
    }
  });
}
