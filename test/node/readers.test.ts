// Real readers (feedparser, rss2email, sfeed, newsboat, gofeed, rss-parser, feed-extractor, XML::Feed) read the feeds the
// app serves, in every format each reads, and must show each article's facts, written here by hand; a reader's known
// limit is asserted as such.
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSettings } from "../../src/core/settings.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { appOver } from "../support/app.ts";
import {
  type ArticleFacts,
  buildGofeedJudge,
  decodeHtmlText,
  expectedShown,
  type FeedContext,
  limitOf,
  READERS,
  type Reader,
  type ReaderFormat,
  type ShownField,
  type ShownItem,
} from "../support/readers.ts";
import { FIXTURE_DIR, NOW, SITE_INPUT } from "../support/site.ts";

const READERS_FIXTURE_DIR = fileURLToPath(new URL("../fixtures/readers/", import.meta.url));
const site = parseSettings(SITE_INPUT);
const PATHS: Record<ReaderFormat, string> = { rss: "/rss.xml", atom: "/atom.xml", json: "/feed.json" };
const FIELDS: readonly ShownField[] = [
  "id",
  "title",
  "link",
  "published",
  "updated",
  "authors",
  "summary",
  "content",
  "enclosures",
  "categories",
  "language",
];

const bytesOf = (dir: string, image: string) => statSync(join(dir, "images", image)).size;
const SITE = "https://news.example.com";
const article = (slug: string) => `${SITE}/articles/${slug}`;

/** test/fixtures/content: what its published articles are, from their front matter (times in Europe/London). */
const NEWSROOM: readonly ArticleFacts[] = [
  {
    slug: "q-and-a-instc",
    // The front matter ends the title with U+0001, which no format may carry.
    title: 'Q&A: what the <INSTC> means for "]]>" and ]]> traders',
    link: article("q-and-a-instc"),
    id: article("q-and-a-instc"),
    published: "2025-05-05T07:45:00.000Z",
    updated: "2025-05-05T07:45:00.000Z",
    // James Okafor's address is in authors.yaml but not public: no reader may show it.
    authors: [{ name: "James Okafor" }, { name: "Reuters" }],
    summary: "Questions & answers on the <INSTC> corridor, in plain text.",
    content: {
      urls: [article("x.png"), `${SITE}/images/pezeshkian-aliyev-baku.jpg`, article("small.jpg")],
      srcset: [`${SITE}/images/pezeshkian-aliyev-baku.jpg`, article("small.jpg")],
      phrase: "A body with a stray",
      opening: "A body with a stray ]]> and another ]]> sequence",
    },
    image: null,
    categories: ["INSTC", "Q&A"],
    language: "en",
  },
  {
    slug: "oil-gas-baku-energy-week",
    title: "Oil & gas majors line up Caspian deals ahead of Baku Energy Week",
    link: article("oil-gas-baku-energy-week"),
    id: article("oil-gas-baku-energy-week"),
    published: "2025-05-02T23:00:00.000Z", // a date alone: midnight in London (BST)
    updated: "2025-05-02T23:00:00.000Z",
    authors: [{ name: "Leila Hosseini" }],
    // No summary in the front matter: the first paragraph, cut at a word boundary near 280 characters.
    summary:
      "International oil and gas companies are preparing a busy slate of announcements for Baku Energy Week, the annual gathering that has become a barometer of investor appetite in the Caspian, as Azerbaijan seeks to balance rising gas exports to Europe with ambitious plans for…",
    content: {
      urls: ["https://images.example.com/2025/05/baku-energy-week.jpg"],
      srcset: [],
      phrase: "busy slate of announcements",
      opening: "International oil and gas companies are preparing",
    },
    // A remote image named by its URL alone: type from the extension, length unknown.
    image: { url: "https://images.example.com/2025/05/baku-energy-week.jpg", type: "image/jpeg", length: null },
    categories: ["Business", "Energy", "Azerbaijan", "Oil & Gas", "Caspian Sea"],
    language: "en",
  },
  {
    slug: "caspian-corridor-analysis",
    title: "Analysis: Can the North-South corridor finally deliver for the Caspian?",
    link: "https://www.thenewregion.com/analysis/caspian-corridor",
    id: "tag:thenewregion.com,2025:caspian-corridor",
    published: "2025-05-02T04:00:00.000Z",
    updated: "2025-05-04T12:30:00.000Z",
    // Sara Ahmadi's address is public (email_public: true), James Okafor's is not.
    authors: [{ name: "Sara Ahmadi", publicEmail: "sara.ahmadi@example.com" }, { name: "James Okafor" }],
    summary:
      "A week after Pezeshkian's visit to Baku, attention turns to the missing rail link that still stands between the INSTC and its promise of faster trade between India, Iran, Azerbaijan and Russia.",
    content: {
      // The lead figure follows the first paragraph, whose link comes first.
      urls: [
        article("iran-azerbaijan-de-escalation"),
        `${SITE}/images/caspian-port.jpg`,
        `${article("caspian-corridor-analysis")}#fn1`,
        `${SITE}/images/pezeshkian-aliyev-baku.jpg`,
        `${article("caspian-corridor-analysis")}#fnref1`,
      ],
      srcset: [],
      phrase: "The corridor's appeal is simple geography.",
      // The dateline, then the first paragraph: never the photo's caption or credit.
      opening: "BAKU, Azerbaijan When Iranian President Masoud Pezeshkian stood beside Ilham Aliyev",
    },
    // A WebP file named .jpg: the type comes from its bytes.
    image: { url: `${SITE}/images/caspian-port.jpg`, type: "image/webp", length: bytesOf(FIXTURE_DIR, "caspian-port.jpg") },
    categories: ["Analysis", "INSTC", "Caspian Sea", "Trade", "Infrastructure"],
    language: "en-GB",
  },
  {
    slug: "iran-azerbaijan-de-escalation",
    title: "Iran, Azerbaijan chart path to de-escalation as Pezeshkian visits Baku",
    link: article("iran-azerbaijan-de-escalation"),
    id: article("iran-azerbaijan-de-escalation"),
    published: "2025-04-28T13:10:00.000Z",
    updated: "2025-04-28T13:10:00.000Z",
    authors: [{ name: "The New Region" }],
    summary:
      "Iranian President Masoud Pezeshkian's visit to Baku marked a diplomatic shift, aiming to thaw past tensions, as he reaffirmed Iran's support for Azerbaijan's territorial integrity and stressed strategic economic collaboration.",
    content: {
      urls: [`${SITE}/images/pezeshkian-aliyev-baku.jpg`],
      srcset: [],
      phrase: "deeper regional cooperation",
      opening: "LONDON, United Kingdom Iranian President Massoud Pezeshkian has called",
    },
    image: {
      url: `${SITE}/images/pezeshkian-aliyev-baku.jpg`,
      type: "image/jpeg",
      length: bytesOf(FIXTURE_DIR, "pezeshkian-aliyev-baku.jpg"),
    },
    categories: ["News", "Iran", "Azerbaijan", "South Caucasus", "Diplomacy"],
    language: "en",
  },
  {
    slug: "tehran-metro-fa",
    title: "بهره‌برداری از سه ایستگاه جدید در امتداد خط ۶ متروی تهران",
    link: article("tehran-metro-fa"),
    id: article("tehran-metro-fa"),
    published: "2025-04-22T09:00:00.000Z",
    updated: "2025-04-22T09:00:00.000Z",
    authors: [{ name: "Leila Hosseini" }],
    summary: "با افتتاح سه ایستگاه تازه در امتداد خط ۶، شبکه متروی تهران به محله‌های جنوب غربی پایتخت نزدیک‌تر شد.",
    content: {
      urls: ["https://images.example.com/tehran-metro.jpg"],
      srcset: [],
      phrase: "شرکت بهره‌برداری متروی تهران",
      opening: "تهران، ایران شرکت بهره‌برداری متروی تهران روز سه‌شنبه",
    },
    image: { url: "https://images.example.com/tehran-metro.jpg", type: "image/jpeg", length: 48213 },
    categories: ["News", "تهران", "مترو", "حمل‌ونقل شهری"],
    language: "fa",
  },
];

/** test/fixtures/readers: cases the newsroom lacks (emoji, control characters, authors without e-mail, a remote WebP). */
const READERS_FIXTURE: readonly ArticleFacts[] = [
  {
    slug: "control-characters",
    // Front matter: U+0008 and U+000B in the title; U+0007, U+000C and U+001B in the summary and the body.
    title: "Control characters in a title",
    link: article("control-characters"),
    id: article("control-characters"),
    published: "2025-06-02T05:30:00.000Z",
    updated: "2025-06-02T05:30:00.000Z",
    // Lena Weiß's address is in authors.yaml but not public.
    authors: [{ name: "Tomás Ó Briain" }, { name: "Lena Weiß" }],
    summary: "A bell, a form feed and an escape that no reader should show.",
    content: { urls: [], srcset: [], phrase: "Body text with a bell", opening: "Body text with a bell, a form feed" },
    image: null,
    categories: ["Tech", "Unicode"],
    language: "en",
  },
  {
    slug: "night-train-tbilisi",
    title: "Night train 🚆 to Tbilisi sells out in 2 hours ✨",
    link: article("night-train-tbilisi"),
    id: article("night-train-tbilisi"),
    published: "2025-06-01T17:30:00.000Z",
    updated: "2025-06-03T08:00:00.000Z",
    authors: [{ name: "Nino Beridze" }, { name: "مریم کریمی" }, { name: "Tomás Ó Briain" }],
    summary: "Tickets for the first overnight service 🌙 between Baku and Tbilisi went on sale at 10:00 and were gone by noon.",
    content: {
      urls: ["https://images.example.com/2025/06/night-train.webp", `${SITE}/timetables/night-train`, article("route-map.png")],
      srcset: [],
      phrase: "gone by noon, the operator said",
      opening: "Tickets for the first overnight service between Baku and Tbilisi",
    },
    image: { url: "https://images.example.com/2025/06/night-train.webp", type: "image/webp", length: null },
    categories: ["Travel", "Georgia", "Rail 🚆", "گردشگری"],
    language: "en",
  },
];

const FIXTURES = [
  { name: "newsroom", dir: FIXTURE_DIR, facts: NEWSROOM },
  { name: "readers", dir: READERS_FIXTURE_DIR, facts: READERS_FIXTURE },
] as const;

type Check = ShownField | "text";

/**
 * Renderer bugs that other work fixes. Their assertions are left out of the checks below and asserted on their own
 * with `it.fails`, so the fix makes those tests fail and this table is emptied.
 */
const KNOWN_FAILURES: readonly { format: ReaderFormat; slug: string; checks: readonly Check[]; fixedBy: string }[] = [];

/** Where a known failure shows: a reader that reads the format and shows the field (a limit hides it). */
function knownFailure(reader: Reader, format: ReaderFormat, slug: string, check: Check) {
  if (check !== "text" && limitOf(reader, check, format)) return undefined;
  return KNOWN_FAILURES.find((k) => k.format === format && k.slug === slug && k.checks.includes(check));
}

/** Every URL an HTML text points at (href, src and each srcset candidate), in order. */
function urlsOf(html: string): string[] {
  const urls: string[] = [];
  for (const [, name, value] of html.matchAll(/\s(href|src|srcset)\s*=\s*"([^"]*)"/g)) {
    const decoded = value!.replace(/&amp;/g, "&");
    if (name === "srcset") urls.push(...decoded.split(",").map((c) => c.trim().split(/\s+/)[0]!));
    else urls.push(decoded);
  }
  return urls;
}

/** The text of an HTML fragment, tags dropped and whitespace collapsed, as a reader that excerpts it reads it. */
const textOf = (html: string) =>
  decodeHtmlText(html.replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();

/**
 * The content as compared: its URLs, whether it has the article's phrase (readers re-serialise HTML freely), and
 * whether its text opens with the article's words.
 */
const contentView = (html: string | null, facts: ArticleFacts) =>
  html === null
    ? null
    : { urls: urlsOf(html), phrase: html.includes(facts.content.phrase), opening: textOf(html).startsWith(facts.content.opening) };

function expectedFor(reader: Reader, facts: ArticleFacts, field: ShownField, feed: FeedContext): unknown {
  const limit = limitOf(reader, field, feed.format);
  if (limit) return limit.shows(facts, feed);
  if (field === "content") return { urls: facts.content.urls, phrase: true, opening: true };
  return expectedShown(facts, feed.format)[field];
}

const shownAs = (item: ShownItem, field: ShownField, facts: ArticleFacts) =>
  field === "content" ? contentView(item.content, facts) : item[field];

// Characters XML 1.0 forbids: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates.
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const stringsIn = (value: unknown): string[] =>
  typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(stringsIn) : [];
const forbiddenIn = (item: ShownItem): string[] =>
  Object.entries(item)
    .filter(([, value]) => stringsIn(value).some((text) => FORBIDDEN.test(text)))
    .map(([field]) => field);

const bodies = new Map<string, string>();
const shown = new Map<string, ShownItem[]>();
const key = (reader: Reader, fixture: string, format: ReaderFormat) => `${reader.id} ${fixture} ${format}`;
const feedContext = (format: ReaderFormat): FeedContext => ({ format, language: site.language });

beforeAll(async () => {
  for (const fixture of FIXTURES) {
    const app = appOver({ source: createDirectorySource(fixture.dir), site, now: () => NOW, log: () => {} });
    for (const [format, path] of Object.entries(PATHS)) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      bodies.set(`${fixture.name} ${format}`, await res.text());
    }
  }
  await buildGofeedJudge();
  await Promise.all(
    READERS.flatMap((reader) =>
      FIXTURES.flatMap((fixture) =>
        reader.formats.map(async (format) => {
          const items = await reader.read(bodies.get(`${fixture.name} ${format}`)!, format);
          shown.set(key(reader, fixture.name, format), items);
        }),
      ),
    ),
  );
}, 120_000);

for (const reader of READERS) {
  describe(reader.id, () => {
    for (const fixture of FIXTURES) {
      for (const format of reader.formats) {
        describe(`reads the ${fixture.name} ${format} feed`, () => {
          const feed = feedContext(format);
          const items = () => shown.get(key(reader, fixture.name, format))!;
          const itemOf = (facts: ArticleFacts) => {
            const item = items().find((i) => i.id === facts.id);
            expect(item, `${reader.id} shows no item with the id of ${facts.slug}`).toBeDefined();
            return item!;
          };

          it("with every published article once, by id", () => {
            expect(
              items()
                .map((i) => i.id)
                .sort(),
            ).toEqual(fixture.facts.map((f) => f.id).sort());
          });

          it.each(FIELDS)("with each article's %s", (field) => {
            const limit = limitOf(reader, field, format);
            const facts = fixture.facts.filter((f) => !knownFailure(reader, format, f.slug, field));
            const actual = facts.map((f) => [f.slug, shownAs(itemOf(f), field, f)]);
            const expected = facts.map((f) => [f.slug, expectedFor(reader, f, field, feed)]);
            expect(actual, limit ? `known limit of ${reader.id}: ${limit.says}` : undefined).toEqual(expected);
          });

          it("with no character XML 1.0 forbids in any field", () => {
            const facts = fixture.facts.filter((f) => !knownFailure(reader, format, f.slug, "text"));
            expect(facts.flatMap((f) => forbiddenIn(itemOf(f)).map((field) => `${f.slug}: ${field}`))).toEqual([]);
          });

          for (const facts of fixture.facts) {
            for (const check of [...FIELDS, "text"] as const) {
              const known = knownFailure(reader, format, facts.slug, check);
              if (!known) continue;
              // fixed by issue 10 item 1/2 (see KNOWN_FAILURES): the correct expectation, failing until the renderer is fixed
              it.fails(`${facts.slug}: ${check} (fails until ${known.fixedBy} is fixed)`, () => {
                const item = itemOf(facts);
                if (check === "text") expect(forbiddenIn(item)).toEqual([]);
                else expect(shownAs(item, check, facts)).toEqual(expectedFor(reader, facts, check, feed));
              });
            }
          }
        });
      }
    }

    const unread = (["rss", "atom", "json"] as const).filter((format) => !reader.formats.includes(format));
    if (unread.length > 0)
      it.each(unread)("cannot read %s (a limit): shows nothing", async (format) => {
        const items = await reader.read(bodies.get(`newsroom ${format}`)!, format).catch(() => []);
        expect(items).toEqual([]);
      });

    it("has only limits the fixtures show (each differs from the facts for some article)", () => {
      const all = FIXTURES.flatMap((f) => f.facts);
      for (const limit of reader.limits) {
        for (const format of limit.formats) {
          const feed = feedContext(format);
          const differs = all.some((f) => {
            const full =
              limit.field === "content" ? { urls: f.content.urls, phrase: true, opening: true } : expectedShown(f, format)[limit.field];
            return !isDeepStrictEqual(limit.shows(f, feed), full);
          });
          expect(differs, `${reader.id} ${format} ${limit.field}: "${limit.says}" is never seen in the fixtures`).toBe(true);
        }
      }
    });
  });
}
