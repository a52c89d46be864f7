// Real feed readers as judges: each runs on a feed's bytes and returns what it shows per item, in one shape. Each
// reader's known limits are written beside it as what it shows instead, so a limit is asserted and never passes unseen.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { extractFromJson, extractFromXml } from "@extractus/feed-extractor";
import Parser from "rss-parser";
import { expect } from "vitest";
import { feedparser } from "./judges.ts";

export type ReaderFormat = "rss" | "atom" | "json";
export type ReaderId = "feedparser" | "rss2email" | "sfeed" | "newsboat" | "gofeed" | "rss-parser" | "feed-extractor" | "xml-feed";

export interface ShownEnclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** One item as a reader shows it. Dates are ISO 8601 in UTC; summary is text; content is HTML; null: not shown. */
export interface ShownItem {
  id: string | null;
  title: string | null;
  link: string | null;
  published: string | null;
  updated: string | null;
  authors: string[];
  summary: string | null;
  content: string | null;
  enclosures: ShownEnclosure[];
  categories: string[];
  /** The item's own language, or else the feed's where the reader shows one. */
  language: string | null;
}

export type ShownField = keyof ShownItem;

/** What an article is, written by hand from its front matter: what every reader should show. */
export interface ArticleFacts {
  slug: string;
  title: string;
  link: string;
  id: string;
  published: string;
  updated: string;
  /** Who wrote it, in order; `publicEmail` where authors.yaml makes the address public. */
  authors: readonly { name: string; publicEmail?: string }[];
  summary: string;
  /**
   * Every URL in the content (href, src, each srcset candidate) in order, those only in a srcset, a phrase of its
   * text, and the words its text opens with (the article's, never the lead photo's caption).
   */
  content: { urls: readonly string[]; srcset: readonly string[]; phrase: string; opening: string };
  image: { url: string; type: string; length: number | null } | null;
  categories: readonly string[];
  language: string;
}

/** The feed an item is read from. */
export interface FeedContext {
  format: ReaderFormat;
  /** The feed's own language (SITE_LANGUAGE). */
  language: string;
}

/** A reader's known limit: where it cannot show a fact, what it shows instead (asserted, so a change is noticed). */
export interface Limit {
  field: ShownField;
  formats: readonly ReaderFormat[];
  says: string;
  shows: (facts: ArticleFacts, feed: FeedContext) => unknown;
}

export interface Reader {
  id: ReaderId;
  /** What it is and who reads feeds through it. */
  about: string;
  formats: readonly ReaderFormat[];
  read: (body: string, format: ReaderFormat) => Promise<ShownItem[]>;
  limits: readonly Limit[];
}

/**
 * What a reader without limits shows of an article in a format: the facts, less what the format cannot carry (an RSS
 * enclosure's length is 0 when unknown, as the RSS Advisory Board advises).
 */
export function expectedShown(facts: ArticleFacts, format: ReaderFormat): Omit<ShownItem, "content"> {
  const image = facts.image;
  return {
    id: facts.id,
    title: facts.title,
    link: facts.link,
    published: facts.published,
    updated: facts.updated,
    authors: facts.authors.map((a) => a.name),
    summary: facts.summary,
    enclosures: image ? [{ url: image.url, type: image.type, length: format === "rss" ? (image.length ?? 0) : image.length }] : [],
    categories: [...facts.categories],
    language: facts.language,
  };
}

const READERS_DIR = fileURLToPath(new URL("../../node_modules/.cache/edge-feeds-readers/", import.meta.url));
const GOFEED_SOURCE = fileURLToPath(new URL("../judges/gofeed_judge.go", import.meta.url));
const RSS2EMAIL_JUDGE = fileURLToPath(new URL("../judges/rss2email_judge.py", import.meta.url));
const XML_FEED_JUDGE = fileURLToPath(new URL("../judges/xmlfeed_judge.pl", import.meta.url));
const GOPATH = "/usr/share/gocode";
const EMPTY: ShownItem = {
  id: null,
  title: null,
  link: null,
  published: null,
  updated: null,
  authors: [],
  summary: null,
  content: null,
  enclosures: [],
  categories: [],
  language: null,
};

/** Runs a program, feeding `input` on stdin; rejects with its stderr, or with the package to install when it is missing. */
function run(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; debian: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT" ? ` (not installed: apt-get install ${options.debian}; .ci/run does)` : "";
      reject(new Error(`${command}${missing}: ${error.message}`));
    });
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`${command} ${args.join(" ")} exited ${code}: ${Buffer.concat(err).toString("utf8")}`));
    });
    child.stdin.on("error", () => {}); // a reader may exit before reading all of stdin; its exit code tells
    child.stdin.end(options.input ?? "");
  });
}

const iso = (date: Date | string | number | null | undefined): string | null => {
  if (date === null || date === undefined || date === "") return null;
  const d = typeof date === "number" ? new Date(date * 1000) : new Date(date);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

const toLength = (length: string | number | null | undefined): number | null =>
  length === null || length === undefined || length === "" ? null : Number(length);

/** Decodes the character references of an HTML text (RSS descriptions are HTML): what a reader displays. */
export function decodeHtmlText(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, ref: string) => {
    const r = ref.toLowerCase();
    if (r.startsWith("#x")) return String.fromCodePoint(Number.parseInt(r.slice(2), 16));
    if (r.startsWith("#")) return String.fromCodePoint(Number.parseInt(r.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[r] ?? `&${ref};`;
  });
}

// --- Universal Feed Parser (Python) ---------------------------------------------------------------------------------

async function readWithFeedparser(body: string): Promise<ShownItem[]> {
  const parsed = feedparser(body);
  if (parsed.bozo) throw new Error(`feedparser: ${parsed.bozo_exception}`);
  return parsed.entries.map((e) => ({
    id: e.id ?? null,
    title: e.title ?? null,
    link: e.link ?? null,
    published: iso(e.published),
    updated: iso(e.updated),
    authors: e.authors.map((a) => a.name ?? ""),
    summary: e.summary === null || e.summary === undefined ? null : e.summary_type === "text/html" ? decodeHtmlText(e.summary) : e.summary,
    content: e.content[0] ?? null,
    enclosures: e.enclosures.map((x) => ({ url: x.href, type: x.type ?? null, length: toLength(x.length) })),
    categories: e.tags,
    language: e.language ?? parsed.feed.language ?? null,
  }));
}

// --- sfeed (C, suckless-style TSV) ----------------------------------------------------------------------------------

const unescapeSfeed = (field: string) => field.replace(/\\([nt\\])/g, (_m, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : "\\"));

async function readWithSfeed(body: string): Promise<ShownItem[]> {
  const tsv = await run("sfeed", [], { input: body, debian: "sfeed" });
  return tsv
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      // sfeed(1): timestamp, title, link, content, content-type, id, author, enclosure, category
      const [timestamp, title, link, content, , id, author, enclosure, category] = line.split("\t");
      return {
        ...EMPTY,
        id: id || null,
        title: title ?? null,
        link: link || null,
        published: timestamp ? iso(Number(timestamp)) : null,
        authors: author ? [author] : [],
        content: content ? unescapeSfeed(content) : null,
        enclosures: enclosure ? [{ url: enclosure, type: null, length: null }] : [],
        categories: category ? category.split("|") : [],
      };
    });
}

// --- newsboat (C++, reads into its SQLite cache) --------------------------------------------------------------------

interface NewsboatRow {
  guid: string;
  title: string;
  author: string;
  url: string;
  pubDate: number;
  content: string;
  enclosure_url: string | null;
  enclosure_type: string | null;
}

async function readWithNewsboat(body: string): Promise<ShownItem[]> {
  const dir = mkdtempSync(join(tmpdir(), "edge-feeds-newsboat-"));
  try {
    const feed = join(dir, "feed");
    writeFileSync(feed, body);
    writeFileSync(join(dir, "urls"), `file://${feed}\n`);
    writeFileSync(join(dir, "config"), "");
    // Its own HOME and config: a user's newsboat settings must not change what the judge sees.
    const env = { ...process.env, HOME: dir, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir };
    const cache = join(dir, "cache.db");
    await run("newsboat", ["-C", join(dir, "config"), "-u", join(dir, "urls"), "-c", cache, "-x", "reload"], { env, debian: "newsboat" });
    const db = new DatabaseSync(cache, { readOnly: true });
    try {
      const rows = db
        .prepare("SELECT guid, title, author, url, pubDate, content, enclosure_url, enclosure_type FROM rss_item ORDER BY pubDate DESC, id")
        .all() as unknown as NewsboatRow[];
      return rows.map((row) => ({
        ...EMPTY,
        id: row.guid || null,
        title: row.title,
        link: row.url || null,
        published: iso(row.pubDate),
        authors: row.author ? [row.author] : [],
        content: row.content || null,
        enclosures: row.enclosure_url ? [{ url: row.enclosure_url, type: row.enclosure_type || null, length: null }] : [],
      }));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- gofeed (Go, Debian's golang-github-mmcdole-gofeed-dev) ---------------------------------------------------------

let gofeedBinary: Promise<string> | undefined;

/** Builds the gofeed judge once per test run, offline in GOPATH mode, into an ignored folder (never committed). */
export function buildGofeedJudge(): Promise<string> {
  gofeedBinary ??= (async () => {
    if (!existsSync(join(GOPATH, "src/github.com/mmcdole/gofeed"))) {
      throw new Error(
        "the gofeed judge needs Debian's gofeed sources: apt-get install golang-go golang-github-mmcdole-gofeed-dev (.ci/run does)",
      );
    }
    mkdirSync(READERS_DIR, { recursive: true });
    const binary = join(READERS_DIR, "gofeed-judge");
    const env = {
      ...process.env,
      GOPATH,
      GO111MODULE: "off",
      GOPROXY: "off",
      GOFLAGS: "",
      GOTOOLCHAIN: "local",
      GOCACHE: process.env.GOCACHE ?? join(READERS_DIR, "go-build"),
    };
    await run("go", ["build", "-o", binary, GOFEED_SOURCE], { env, debian: "golang-go golang-github-mmcdole-gofeed-dev" });
    return binary;
  })();
  return gofeedBinary;
}

interface GofeedItem {
  title?: string;
  description?: string;
  content?: string;
  link?: string;
  publishedParsed?: string;
  updatedParsed?: string;
  authors?: { name?: string }[];
  guid?: string;
  categories?: string[];
  enclosures?: { url?: string; length?: string; type?: string }[];
  dcExt?: { language?: string[]; date?: string[] };
}

async function readWithGofeed(body: string, format: ReaderFormat): Promise<ShownItem[]> {
  const out = await run(await buildGofeedJudge(), [], { input: body, debian: "golang-go golang-github-mmcdole-gofeed-dev" });
  const feed = JSON.parse(out) as { language?: string; items?: GofeedItem[] };
  return (feed.items ?? []).map((i) => ({
    id: i.guid ?? null,
    title: i.title ?? null,
    link: i.link ?? null,
    published: iso(i.publishedParsed),
    // gofeed 1.1's RSS translator never fills `updated` (its translateItemUpdated is unused); it hands an item's dc:date
    // over in DublinCoreExt, where programs read it (as they read dc:language).
    updated: iso(i.updatedParsed ?? (format === "rss" ? i.dcExt?.date?.[0] : undefined)),
    authors: (i.authors ?? []).map((a) => a.name ?? ""),
    // gofeed hands over an RSS description as the HTML it is; Atom text and JSON Feed summaries are text already.
    summary: i.description === undefined ? null : format === "rss" ? decodeHtmlText(i.description) : i.description,
    content: i.content ?? null,
    enclosures: (i.enclosures ?? []).map((x) => ({ url: x.url ?? "", type: x.type ?? null, length: toLength(x.length) })),
    categories: i.categories ?? [],
    language: i.dcExt?.language?.[0] ?? feed.language ?? null,
  }));
}

// --- rss2email (Python, Debian's r2e, mails through a sendmail stand-in) --------------------------------------------

interface Rss2emailMail {
  from_name: string | null;
  subject: string | null;
  date: string | null;
  id: string | null;
  url: string | null;
  tags: string | null;
  content_type: string;
  body: string;
}

/** The footer rss2email writes under a text mail's text: the entry's URL, then one line per enclosure. */
const MAIL_FOOTER = /\n\nURL: [^\n]*((?:\nEnclosure: [^\n]*)*)\s*$/;

async function readWithRss2email(body: string): Promise<ShownItem[]> {
  const dir = mkdtempSync(join(tmpdir(), "edge-feeds-r2e-feed-"));
  try {
    const feed = join(dir, "feed.xml");
    writeFileSync(feed, body);
    const out = await run("/usr/bin/python3", [RSS2EMAIL_JUDGE, feed], { debian: "rss2email" });
    return (JSON.parse(out) as Rss2emailMail[]).map((mail) => {
      const footer = MAIL_FOOTER.exec(mail.body);
      const text = footer ? mail.body.slice(0, footer.index) : mail.body;
      const enclosures = (footer?.[1] ?? "").split("\nEnclosure: ").filter(Boolean);
      return {
        ...EMPTY,
        id: mail.id,
        title: mail.subject,
        link: mail.url,
        // date-header = True: the Date header is the entry's modified time, else its published one.
        updated: iso(mail.date),
        authors: mail.from_name ? [mail.from_name] : [],
        // The text mail's text as a person reads it (html2text wraps lines; whitespace runs are one space here).
        summary: text.replace(/\s+/g, " ").trim() || null,
        enclosures: enclosures.map((url) => ({ url, type: null, length: null })),
        categories: mail.tags ? mail.tags.split(",") : [],
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- XML::Feed (Perl, Debian's libxml-feed-perl) -------------------------------------------------------------------

interface XmlFeedEntry {
  id: string | null;
  title: string | null;
  link: string | null;
  issued: string | null;
  modified: string | null;
  authors: string[];
  summary: string | null;
  content: string | null;
  categories: string[];
  enclosures: { url: string; type: string | null; length: string | null }[];
}

async function readWithXmlFeed(body: string, format: ReaderFormat): Promise<ShownItem[]> {
  const out = await run("perl", [XML_FEED_JUDGE], { input: body, debian: "libxml-feed-perl" });
  const feed = JSON.parse(out) as { language: string | null; entries: XmlFeedEntry[] };
  return feed.entries.map((e) => ({
    id: e.id,
    title: e.title,
    link: e.link,
    published: iso(e.issued),
    updated: iso(e.modified),
    authors: e.authors,
    // An RSS description is HTML, handed over as written; Atom's summary is text already.
    summary: e.summary === null ? null : format === "rss" ? decodeHtmlText(e.summary) : e.summary,
    content: e.content,
    enclosures: e.enclosures.map((x) => ({ url: x.url, type: x.type, length: toLength(x.length) })),
    categories: e.categories,
    language: feed.language,
  }));
}

// --- rss-parser (npm) -----------------------------------------------------------------------------------------------

type RssParserItem = Record<string, unknown> & {
  guid?: string;
  id?: string;
  title?: string;
  link?: string;
  isoDate?: string;
  creator?: string;
  author?: string;
  summary?: string;
  content?: string;
  contentSnippet?: string;
  enclosure?: { url: string; type?: string; length?: string };
  categories?: string[];
  language?: string;
};

async function readWithRssParser(body: string, format: ReaderFormat): Promise<ShownItem[]> {
  const feed = await new Parser<Record<string, unknown>, RssParserItem>().parseString(body);
  const feedLanguage = typeof feed.language === "string" ? feed.language : null;
  return feed.items.map((i) => ({
    ...EMPTY,
    id: (format === "atom" ? i.id : i.guid) ?? null,
    title: i.title ?? null,
    link: i.link ?? null,
    published: iso(i.isoDate),
    authors: format === "atom" ? (i.author ? [i.author] : []) : i.creator ? [i.creator] : [],
    // RSS: contentSnippet is the description as text; Atom: the summary element's text.
    summary: (format === "atom" ? i.summary : i.contentSnippet) ?? null,
    content: ((format === "atom" ? i.content : i["content:encoded"]) as string | undefined) ?? null,
    enclosures: i.enclosure ? [{ url: i.enclosure.url, type: i.enclosure.type ?? null, length: toLength(i.enclosure.length) }] : [],
    categories: i.categories ?? [],
    language: i.language ?? feedLanguage,
  }));
}

// --- @extractus/feed-extractor (npm) --------------------------------------------------------------------------------

async function readWithFeedExtractor(body: string, format: ReaderFormat): Promise<ShownItem[]> {
  // descriptionMaxLen 0: the whole description (the default cuts it at 250 characters).
  const options = { descriptionMaxLen: 0 };
  const feed = format === "json" ? extractFromJson(body, options) : extractFromXml(body, options);
  return (feed.entries ?? []).map((e) => ({
    ...EMPTY,
    id: e.id ?? null,
    title: e.title ?? null,
    link: e.link ?? null,
    published: iso(e.published),
    summary: e.description ?? null,
    language: feed.language || null,
  }));
}

/** Drops the angle-bracketed runs of a text, as a reader that reads text as HTML does (`<INSTC>` vanishes). */
const withoutTags = (text: string) => text.replace(/<[^>]*>/g, "");
/** The author RSS puts in `<author>`: the first with a public e-mail. */
const rssAuthor = (f: ArticleFacts) => f.authors.find((a) => a.publicEmail);
/** The content's opening words: what a reader that mails or excerpts the content as text starts with. */
const opensWith = (f: ArticleFacts) => expect.stringMatching(new RegExp(`^${f.content.opening.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));

export const READERS: readonly Reader[] = [
  {
    id: "feedparser",
    about: "Universal Feed Parser 6 (Debian python3-feedparser): under rss2email, Planet and many Python aggregators",
    formats: ["rss", "atom"],
    read: readWithFeedparser,
    limits: [
      {
        field: "authors",
        formats: ["rss"],
        says: "RSS: lists the `<author>` again after the dc:creator names",
        shows: (f) => [...f.authors.map((a) => a.name), ...(rssAuthor(f) ? [rssAuthor(f)!.name] : [])],
      },
      {
        field: "content",
        formats: ["rss", "atom"],
        says: "its HTML sanitiser drops srcset attributes",
        shows: (f) => ({ urls: f.content.urls.filter((url) => !f.content.srcset.includes(url)), phrase: true, opening: true }),
      },
    ],
  },
  {
    id: "rss2email",
    about:
      "rss2email 3.13 (Debian rss2email, r2e): each entry mailed as text, read through feedparser's loose parser; the mails caught by a sendmail stand-in",
    formats: ["rss", "atom"],
    read: readWithRss2email,
    limits: [
      { field: "published", formats: ["rss", "atom"], says: "one date, the Date header: the modified time", shows: () => null },
      {
        field: "authors",
        formats: ["rss"],
        says: "RSS: one author, the From name: the first dc:creator",
        shows: (f) => f.authors.slice(0, 1).map((a) => a.name),
      },
      {
        field: "authors",
        formats: ["atom"],
        says: "Atom: one author, the From name: the last author (feedparser's `author`)",
        shows: (f) => f.authors.slice(-1).map((a) => a.name),
      },
      {
        field: "summary",
        formats: ["rss"],
        says: "RSS: mails the content as text, which opens with the article's words (feedparser types an RSS description as HTML, and rss2email takes the content's HTML before it)",
        shows: (f) => opensWith(f),
      },
      { field: "content", formats: ["rss", "atom"], says: "one text per mail (the summary or the content), no HTML", shows: () => null },
      {
        field: "enclosures",
        formats: ["rss", "atom"],
        says: "an `Enclosure:` line with the URL only, no type or length",
        shows: (f) => (f.image ? [{ url: f.image.url, type: null, length: null }] : []),
      },
      { field: "language", formats: ["rss", "atom"], says: "no language", shows: () => null },
    ],
  },
  {
    id: "sfeed",
    about: "sfeed 1.7 (Debian sfeed): RSS and Atom to TSV for sfeed_curses, sfeed_plain and friends",
    formats: ["rss", "atom"],
    read: readWithSfeed,
    limits: [
      {
        field: "authors",
        formats: ["rss", "atom"],
        says: "a single author field: the first author",
        shows: (f) => f.authors.slice(0, 1).map((a) => a.name),
      },
      { field: "summary", formats: ["rss", "atom"], says: "shows the content, never the summary", shows: () => null },
      { field: "updated", formats: ["rss", "atom"], says: "one timestamp: the published time", shows: () => null },
      {
        field: "enclosures",
        formats: ["rss", "atom"],
        says: "the first enclosure's URL only, no type or length",
        shows: (f) => (f.image ? [{ url: f.image.url, type: null, length: null }] : []),
      },
      { field: "language", formats: ["rss", "atom"], says: "no language", shows: () => null },
    ],
  },
  {
    id: "newsboat",
    about: "newsboat 2.21 (Debian newsboat): the terminal feed reader, read from its SQLite cache",
    formats: ["rss", "atom"],
    read: readWithNewsboat,
    limits: [
      {
        field: "authors",
        formats: ["rss"],
        says: "RSS: one author, the `<author>` if there is one, else the last dc:creator",
        shows: (f) => [rssAuthor(f)?.name ?? f.authors.at(-1)!.name],
      },
      {
        field: "authors",
        formats: ["atom"],
        says: "Atom: every author, joined with commas into one",
        shows: (f) => [f.authors.map((a) => a.name).join(", ")],
      },
      { field: "summary", formats: ["rss", "atom"], says: "keeps the content, not the summary", shows: () => null },
      { field: "updated", formats: ["rss", "atom"], says: "one date: the published time", shows: () => null },
      { field: "enclosures", formats: ["rss", "atom"], says: "keeps only audio and video enclosures (for podboat)", shows: () => [] },
      { field: "categories", formats: ["rss", "atom"], says: "no categories", shows: () => [] },
      { field: "language", formats: ["rss", "atom"], says: "no language", shows: () => null },
    ],
  },
  {
    id: "gofeed",
    about: "gofeed 1.1 (Debian golang-github-mmcdole-gofeed-dev): the usual Go feed parser library, built with Debian's Go",
    formats: ["rss", "atom", "json"],
    read: readWithGofeed,
    limits: [
      {
        field: "authors",
        formats: ["rss"],
        says: "RSS: one author, the `<author>` if there is one, else the first dc:creator (all are in dcExt)",
        shows: (f) => [rssAuthor(f)?.name ?? f.authors[0]!.name],
      },
      {
        field: "enclosures",
        formats: ["json"],
        says: "JSON Feed: an attachment's length is its duration_in_seconds (0), not size_in_bytes",
        shows: (f) => (f.image ? [{ url: f.image.url, type: f.image.type, length: 0 }] : []),
      },
      {
        field: "language",
        formats: ["atom", "json"],
        says: "Atom, JSON Feed: no item language, only the feed's",
        shows: (_f, feed) => feed.language,
      },
    ],
  },
  {
    id: "rss-parser",
    about: "rss-parser 3 (npm): a widely used JavaScript feed parser",
    formats: ["rss", "atom"],
    read: readWithRssParser,
    limits: [
      {
        field: "authors",
        formats: ["rss", "atom"],
        says: "one author: the first dc:creator or Atom author",
        shows: (f) => f.authors.slice(0, 1).map((a) => a.name),
      },
      { field: "updated", formats: ["rss", "atom"], says: "no updated time (RSS: pubDate only)", shows: () => null },
      { field: "enclosures", formats: ["atom"], says: "Atom: no enclosures", shows: () => [] },
      { field: "categories", formats: ["atom"], says: "Atom: no categories", shows: () => [] },
      { field: "language", formats: ["atom"], says: "Atom: no language", shows: () => null },
    ],
  },
  {
    id: "feed-extractor",
    about: "@extractus/feed-extractor 8 (npm): normalised entries (id, title, link, published, description) for aggregators",
    formats: ["rss", "atom", "json"],
    read: readWithFeedExtractor,
    limits: [
      {
        field: "published",
        formats: ["atom"],
        says: "Atom: shows the updated time as published",
        shows: (f) => f.updated,
      },
      {
        field: "summary",
        formats: ["rss", "atom"],
        says: "reads the summary's text as HTML: angle-bracketed words vanish (`<INSTC>`)",
        shows: (f) => withoutTags(f.summary),
      },
      {
        field: "summary",
        formats: ["json"],
        says: "JSON Feed: the description is the content's text, not the summary",
        shows: (f) => expect.stringContaining(f.content.phrase),
      },
      { field: "authors", formats: ["rss", "atom", "json"], says: "no authors", shows: () => [] },
      { field: "updated", formats: ["rss", "atom", "json"], says: "no updated time", shows: () => null },
      { field: "content", formats: ["rss", "atom", "json"], says: "no content", shows: () => null },
      { field: "enclosures", formats: ["rss", "atom", "json"], says: "no enclosures", shows: () => [] },
      { field: "categories", formats: ["rss", "atom", "json"], says: "no categories", shows: () => [] },
      { field: "language", formats: ["rss", "atom", "json"], says: "only the feed's language", shows: (_f, feed) => feed.language },
    ],
  },
  {
    id: "xml-feed",
    about: "XML::Feed 0.63 (Debian libxml-feed-perl): Perl's feed library, over XML::RSS and XML::Atom (with ForceUnicode)",
    formats: ["rss", "atom"],
    read: readWithXmlFeed,
    limits: [
      {
        field: "authors",
        formats: ["rss"],
        says: "RSS: `<author>` as written (`email (Name)`) where there is one, else every dc:creator",
        shows: (f) => {
          const withEmail = rssAuthor(f);
          return withEmail ? [`${withEmail.publicEmail} (${withEmail.name})`] : f.authors.map((a) => a.name);
        },
      },
      {
        field: "authors",
        formats: ["atom"],
        says: "Atom: one author, the first",
        shows: (f) => f.authors.slice(0, 1).map((a) => a.name),
      },
      { field: "language", formats: ["rss", "atom"], says: "only the feed's language", shows: (_f, feed) => feed.language },
    ],
  },
];

/** The limit of a reader on a field in a format, if it has one. */
export function limitOf(reader: Reader, field: ShownField, format: ReaderFormat): Limit | undefined {
  return reader.limits.find((l) => l.field === field && l.formats.includes(format));
}
