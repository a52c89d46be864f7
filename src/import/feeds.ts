// Feeds as import sources: RSS 2.0, Atom 1.0 and JSON Feed 1.0/1.1 documents (a site's feed, or its archive pages saved to disk).
import type { SourceAuthor, SourceDocument, SourceImage, SourcePost, SourceTime } from "./model.ts";
import { childOf, childrenOf, innerMarkup, readXml, textOf, type XmlElement, XmlRefusedError } from "./xml-reader.ts";

const ATOM_NS = "http://www.w3.org/2005/Atom";
const CONTENT_NS = "http://purl.org/rss/1.0/modules/content/";
const DC_NS = "http://purl.org/dc/elements/1.1/";
const MEDIA_NS = "http://search.yahoo.com/mrss/";

/** JSON Feed documents are parsed whole: at most this many characters (an archive page is far smaller). */
export const JSON_FEED_MAX_CHARS = 64 * 1024 * 1024;

/** RSS 2.0 (and 0.9x, which it extends) or Atom 1.0, told apart by the root element. */
export async function readXmlFeed(input: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<SourceDocument> {
  const records: XmlElement[] = [];
  const { root, recovered } = await readXml(chunks, { records: new Set(["item", "entry"]), onRecord: (r) => records.push(r) });
  if (root.name === "feed" && root.ns === ATOM_NS) return readAtom(input, root, records, recovered);
  if (root.name === "rss") return readRss(input, root, records, recovered);
  throw new XmlRefusedError(`a <${root.name}> document, which is not RSS 2.0 or Atom 1.0`);
}

function readRss(input: string, root: XmlElement, items: XmlElement[], recovered: number): SourceDocument {
  const channel = childOf(root, "channel");
  const siteUrl = textOf(childOf(channel, "link")).trim() || undefined;
  const language = textOf(childOf(channel, "language")).trim() || undefined;
  const posts = items.map((item, index): SourcePost => {
    const guid = childOf(item, "guid");
    const link =
      textOf(childOf(item, "link")).trim() || (guid && guid.attrs.isPermaLink !== "false" ? textOf(guid).trim() : "") || undefined;
    const categories = childrenOf(item, "category")
      .map((c) => textOf(c).trim())
      .filter(Boolean);
    const content = childOf(item, "encoded", CONTENT_NS);
    const description = childOf(item, "description");
    const date = parseRfc822(textOf(childOf(item, "pubDate"))) ?? parseIsoTime(textOf(childOf(item, "date", DC_NS)));
    const authors = [
      ...childrenOf(item, "creator", DC_NS).map((c) => ({ handle: textOf(c).trim(), name: textOf(c).trim() })),
      ...childrenOf(item, "author").map((a) => parseRssAuthor(textOf(a))),
    ].filter((a): a is SourceAuthor => !!a && !!a.name);
    return {
      input,
      where: `item ${index + 1}`,
      id: textOf(guid).trim() || undefined,
      link,
      oldLinks: plainPermalinkOf(textOf(guid).trim(), link),
      title: textOf(childOf(item, "title")).trim(),
      slug: slugFromLink(link),
      date,
      updated: parseIsoTime(textOf(childOf(item, "updated", ATOM_NS))),
      status: "published",
      authors: dedupeAuthors(authors),
      section: categories[0],
      tags: categories.slice(1),
      summaryHtml: content ? textOf(description) || undefined : undefined,
      html: content ? textOf(content) : textOf(description),
      bodyKind: "html",
      image: readMediaImage(item) ?? readEnclosureImage(item),
      lang: textOf(childOf(item, "language", DC_NS)).trim() || item.lang,
    };
  });
  return { kind: "rss", posts, skipped: {}, recovered, siteUrl, language };
}

function readAtom(input: string, root: XmlElement, entries: XmlElement[], recovered: number): SourceDocument {
  const feedAuthors = childrenOf(root, "author", ATOM_NS).map(parseAtomPerson);
  const siteUrl = alternateLink(root);
  const posts = entries.map((entry, index): SourcePost => {
    const link = alternateLink(entry, siteUrl);
    const categories = childrenOf(entry, "category", ATOM_NS)
      .map((c) => (c.attrs.label ?? c.attrs.term ?? "").trim())
      .filter(Boolean);
    const published = parseIsoTime(textOf(childOf(entry, "published", ATOM_NS)));
    const updated = parseIsoTime(textOf(childOf(entry, "updated", ATOM_NS)));
    const content = childOf(entry, "content", ATOM_NS);
    const summary = childOf(entry, "summary", ATOM_NS);
    const body = content && !content.attrs.src ? content : summary;
    const authors = childrenOf(entry, "author", ATOM_NS).map(parseAtomPerson);
    const enclosure = childrenOf(entry, "link", ATOM_NS).find((l) => l.attrs.rel === "enclosure" && /^image\//i.test(l.attrs.type ?? ""));
    return {
      input,
      where: `entry ${index + 1}`,
      id: textOf(childOf(entry, "id", ATOM_NS)).trim() || undefined,
      link,
      oldLinks: plainPermalinkOf(textOf(childOf(entry, "id", ATOM_NS)).trim(), link),
      title: atomText(childOf(entry, "title", ATOM_NS), true),
      slug: slugFromLink(link),
      date: published ?? updated,
      updated: published ? updated : undefined,
      status: "published",
      authors: dedupeAuthors((authors.length ? authors : feedAuthors).filter((a) => a.name)),
      section: categories[0],
      tags: categories.slice(1),
      summaryHtml: body === content && summary ? atomText(summary, false) : undefined,
      html: body ? atomText(body, false) : "",
      bodyKind: "html",
      image: readMediaImage(entry) ?? (enclosure?.attrs.href ? { url: enclosure.attrs.href } : undefined),
      lang: entry.lang,
    };
  });
  return { kind: "atom", posts, skipped: {}, recovered, siteUrl, language: root.lang };
}

/**
 * An Atom text construct (RFC 4287 §3.1) as HTML, or as plain text for a title: `text` is escaped, `html` is the
 * markup, `xhtml` is the inner markup of its `div`.
 */
function atomText(element: XmlElement | undefined, plain: boolean): string {
  if (!element) return "";
  const type = element.attrs.type ?? "text";
  if (type === "xhtml") {
    const div = childOf(element, "div");
    return plain ? textOf(div ?? element).trim() : innerMarkup(div ?? element);
  }
  const text = textOf(element);
  if (plain) return type === "html" ? stripTags(text).trim() : text.trim();
  return type === "html" || type.includes("html") ? text : escapeHtml(text);
}

function alternateLink(element: XmlElement, base?: string): string | undefined {
  const links = childrenOf(element, "link", ATOM_NS);
  const href = (links.find((l) => (l.attrs.rel ?? "alternate") === "alternate") ?? links.find((l) => !l.attrs.rel))?.attrs.href;
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

function parseAtomPerson(person: XmlElement): SourceAuthor {
  const name = textOf(childOf(person, "name", ATOM_NS)).trim();
  return {
    handle: name,
    name,
    email: textOf(childOf(person, "email", ATOM_NS)).trim() || undefined,
    url: textOf(childOf(person, "uri", ATOM_NS)).trim() || undefined,
  };
}

/** RSS `author` is an e-mail address, often `email (Name)`; a bare name is taken as one too. */
function parseRssAuthor(value: string): SourceAuthor | undefined {
  const text = value.trim();
  const m = /^([^\s()]+@[^\s()]+)\s*\((.+)\)$/.exec(text);
  if (m) return { handle: m[2]!.trim(), name: m[2]!.trim(), email: m[1] };
  if (/^[^\s@]+@[^\s@]+$/.test(text)) return undefined;
  return text ? { handle: text, name: text } : undefined;
}

function dedupeAuthors(authors: SourceAuthor[]): SourceAuthor[] {
  const seen = new Map<string, SourceAuthor>();
  for (const a of authors) {
    const key = a.name.toLowerCase();
    const known = seen.get(key);
    if (known) seen.set(key, { ...a, ...known, email: known.email ?? a.email, url: known.url ?? a.url });
    else seen.set(key, a);
  }
  return [...seen.values()];
}

/** Media RSS `media:content` (or one inside `media:group`) of medium image, or a `media:thumbnail`. */
function readMediaImage(item: XmlElement): SourceImage | undefined {
  const contents = [...childrenOf(item, "content", MEDIA_NS), ...childrenOf(childOf(item, "group", MEDIA_NS), "content", MEDIA_NS)];
  const image = contents.find((c) => c.attrs.url && (c.attrs.medium === "image" || /^image\//i.test(c.attrs.type ?? "")));
  const url = image?.attrs.url ?? childOf(item, "thumbnail", MEDIA_NS)?.attrs.url;
  if (!url) return undefined;
  const text = (name: string) => textOf(childOf(image, name, MEDIA_NS) ?? childOf(item, name, MEDIA_NS)).trim() || undefined;
  return { url, alt: text("title"), caption: text("description"), credit: text("credit") };
}

function readEnclosureImage(item: XmlElement): SourceImage | undefined {
  const enclosure = childrenOf(item, "enclosure").find((e) => e.attrs.url && /^image\//i.test(e.attrs.type ?? ""));
  return enclosure ? { url: enclosure.attrs.url! } : undefined;
}

/** A JSON Feed 1.0 or 1.1 document (https://www.jsonfeed.org/version/1.1/). */
export function readJsonFeed(input: string, text: string): SourceDocument {
  if (text.length > JSON_FEED_MAX_CHARS) throw new XmlRefusedError(`a JSON Feed larger than ${JSON_FEED_MAX_CHARS / 1024 / 1024} MiB`);
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    throw new XmlRefusedError(`not valid JSON: ${(error as Error).message}`);
  }
  const doc = asRecord(feed);
  if (!doc || typeof doc.version !== "string" || !/^https?:\/\/jsonfeed\.org\/version\/1(\.1)?\/?$/.test(doc.version)) {
    throw new XmlRefusedError("JSON that is not a JSON Feed 1.0 or 1.1 document (no jsonfeed.org `version`)");
  }
  const feedAuthors = readJsonAuthors(doc);
  const items = Array.isArray(doc.items) ? doc.items : [];
  const posts = items.flatMap((raw, index): SourcePost[] => {
    const item = asRecord(raw);
    if (!item) return [];
    const link = str(item.url);
    const contentHtml = str(item.content_html);
    const contentText = str(item.content_text);
    const attachment = (Array.isArray(item.attachments) ? item.attachments : [])
      .map(asRecord)
      .find((a) => a && typeof a.url === "string" && /^image\//i.test(str(a.mime_type) ?? ""));
    const image = str(item.image) ?? str(item.banner_image) ?? str(attachment?.url);
    const authors = readJsonAuthors(item);
    const tags = (Array.isArray(item.tags) ? item.tags : []).filter((t): t is string => typeof t === "string" && t.trim() !== "");
    const published = parseIsoTime(str(item.date_published) ?? "");
    const modified = parseIsoTime(str(item.date_modified) ?? "");
    return [
      {
        input,
        where: `item ${index + 1}`,
        id: item.id === undefined || item.id === null ? undefined : String(item.id),
        link,
        oldLinks: item.id === undefined || item.id === null ? [] : plainPermalinkOf(String(item.id), link),
        title: (str(item.title) ?? "").trim(),
        slug: slugFromLink(link),
        date: published ?? modified,
        updated: published ? modified : undefined,
        status: "published",
        authors: dedupeAuthors((authors.length ? authors : feedAuthors).filter((a) => a.name)),
        tags: tags.map((t) => t.trim()),
        summaryHtml: str(item.summary) ? escapeHtml(str(item.summary)!) : undefined,
        html: contentHtml ?? (contentText ? textToHtml(contentText) : ""),
        bodyKind: contentHtml === undefined && contentText !== undefined ? "text" : "html",
        image: image ? { url: image, alt: str(attachment?.title) } : undefined,
        lang: str(item.language),
      },
    ];
  });
  return { kind: "json-feed", posts, skipped: {}, recovered: 0, siteUrl: str(doc.home_page_url), language: str(doc.language) };
}

function readJsonAuthors(value: Record<string, unknown>): SourceAuthor[] {
  const list = Array.isArray(value.authors) ? value.authors : value.author ? [value.author] : [];
  return list.flatMap((raw) => {
    const a = asRecord(raw);
    const name = str(a?.name)?.trim();
    return a && name ? [{ handle: name, name, url: str(a.url), avatar: str(a.avatar) }] : [];
  });
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const stripTags = (html: string): string =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** Plain text as HTML paragraphs (blank lines part them, single line breaks stay breaks). */
function textToHtml(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, "<br>")}</p>`)
    .join("\n");
}

/** The last meaningful path segment of an old permalink, as a slug hint (`/2024/05/baku-visit/` → `baku-visit`). */
export function slugFromLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.search) return undefined;
  const last = url.pathname.split("/").filter(Boolean).at(-1);
  if (!last) return undefined;
  let segment: string;
  try {
    segment = decodeURIComponent(last).normalize("NFC");
  } catch {
    return undefined;
  }
  segment = segment.replace(/\.(?:html?|php|aspx?)$/i, "");
  return /\p{L}/u.test(segment) && segment !== "index" ? segment : undefined;
}

const ZONES: Readonly<Record<string, number>> = {
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/** An RFC 822 / RFC 1123 date (RSS 2.0's), with the offset it was written with (RFC 822 §5.1: zones as named there). */
export function parseRfc822(value: string): SourceTime | undefined {
  const m =
    /^\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,3})?\s*$/.exec(
      value,
    );
  if (!m) return undefined;
  const month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].indexOf(m[2]!.toLowerCase());
  if (month < 0) return undefined;
  let year = Number(m[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  const zone = m[7] ?? "GMT";
  const offset = /^[+-]\d{4}$/.test(zone)
    ? (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3)))
    : ZONES[zone.toUpperCase()];
  if (offset === undefined) return undefined;
  const wall = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  const check = new Date(wall);
  if (Number.isNaN(wall) || check.getUTCDate() !== Number(m[1]) || Number(m[4]) > 23 || Number(m[5]) > 59) return undefined;
  return { ms: wall - offset * 60_000, offset };
}

/** An RFC 3339 / ISO 8601 time with its offset (Atom, JSON Feed, dc:date). A time without an offset is read as UTC. */
export function parseIsoTime(value: string): SourceTime | undefined {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Math.round(Number(`0.${m[7] ?? 0}`) * 1000),
  );
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) return undefined;
  const zone = m[8];
  const offset =
    !zone || zone.toUpperCase() === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return { ms: ms - offset * 60_000, offset };
}

/**
 * A WordPress feed's guid is the post's plain permalink (`https://site/?p=123`, on the root of the post's own host):
 * an old address of the post too, as the WXR reader keeps it (wxr.ts). Any other guid is only an id.
 */
function plainPermalinkOf(id: string, link: string | undefined): string[] {
  if (!link || id.length > 2000) return [];
  try {
    const guid = new URL(id);
    return guid.origin === new URL(link).origin && guid.pathname === "/" && /^\?p=[1-9]\d{0,19}$/.test(guid.search) && !guid.hash
      ? [guid.href]
      : [];
  } catch {
    return [];
  }
}
