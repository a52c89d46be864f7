// Runs the independent judges: the Universal Feed Parser (Python), xmllint (with XML Schemas), the JSON Feed schema,
// and the `sitemap` package's parsers and validators.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { ErrorLevel, type IndexItem, type SitemapItem, validateSMIOptions, XMLToSitemapIndexStream, XMLToSitemapItemStream } from "sitemap";

const JUDGE = fileURLToPath(new URL("../judges/feedparser_judge.py", import.meta.url));
const SCHEMA = JSON.parse(readFileSync(fileURLToPath(new URL("../judges/jsonfeed-1.1.schema.json", import.meta.url)), "utf8"));

export interface ParsedEntry {
  title: string;
  title_type: string;
  link: string;
  id: string;
  guidislink: boolean;
  published: number | null;
  updated: number | null;
  authors: { name: string | null; email: string | null }[];
  enclosures: { href: string; length: string | null; type: string }[];
  tags: string[];
  summary: string;
  summary_type: string | null;
  /** `summary_detail.value`: what rss2email mails when it is the entry's only text/plain text (it can differ from `summary`). */
  summary_detail: string | null;
  content: string[];
  media_content: Record<string, string>[];
  media_thumbnail: Record<string, string>[];
  media_credit: { content: string }[];
  language: string | null;
}

export interface Parsed {
  bozo: boolean;
  bozo_exception: string;
  version: string;
  feed: {
    title: string;
    link: string;
    language: string;
    updated: number | null;
    links: { rel: string; href: string }[];
    /** RSS `image` url, or Atom `logo` (feedparser maps both onto it). */
    image: string | null;
    icon: string | null;
    logo: string | null;
    /** RSS `copyright` or Atom `rights`. */
    rights: string | null;
  };
  entries: ParsedEntry[];
}

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "edge-feeds-")), name);
  writeFileSync(path, content);
  return path;
}

/** Parses a feed with Debian's python3-feedparser (Universal Feed Parser 6), by its strict XML parser or (`loose`) its SGML one. */
export function feedparser(xml: string, { loose = false } = {}): Parsed {
  const args = [JUDGE, ...(loose ? ["--loose"] : []), tempFile("feed.xml", xml)];
  const out = execFileSync("/usr/bin/python3", args, { encoding: "utf8" });
  return JSON.parse(out) as Parsed;
}

/** xmllint's verdict on well-formedness: the empty string when the document is well-formed. */
export function xmllint(xml: string): string {
  try {
    execFileSync("xmllint", ["--noout", tempFile("feed.xml", xml)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return "";
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

/** Schema errors of a JSON Feed 1.1 document, empty when valid. */
export function jsonFeedSchemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The official sitemaps.org 0.9 schema for `<urlset>`, as the npm package `sitemap` ships it. */
export const SITEMAP_XSD = join(dirname(createRequire(import.meta.url).resolve("sitemap/package.json")), "schema", "sitemap.xsd");

/** xmllint's verdict on validity against an XML Schema, offline (`--nonet`): the empty string when valid. */
export function xmllintSchema(xml: string, xsd: string): string {
  try {
    execFileSync("xmllint", ["--nonet", "--noout", "--schema", xsd, tempFile("doc.xml", xml)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    return "";
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

/**
 * A sitemap (urlset) read by the `sitemap` package's parser, strict (any problem it finds rejects), each item then
 * checked by its validator, which knows the Google News fields (publication name and language, date, title).
 */
export async function readSitemap(xml: string): Promise<SitemapItem[]> {
  const parser = new XMLToSitemapItemStream({ level: ErrorLevel.THROW, logger: false });
  const items: SitemapItem[] = [];
  await pipeline(Readable.from([xml]), parser, async (source: AsyncIterable<SitemapItem>) => {
    for await (const item of source) items.push(item);
  });
  for (const item of items) validateSMIOptions(item, ErrorLevel.THROW);
  return items;
}

/** A sitemap index read by the `sitemap` package's strict parser. */
export async function readSitemapIndex(xml: string): Promise<IndexItem[]> {
  const parser = new XMLToSitemapIndexStream({ level: ErrorLevel.THROW, logger: false });
  const items: IndexItem[] = [];
  await pipeline(Readable.from([xml]), parser, async (source: AsyncIterable<IndexItem>) => {
    for await (const item of source) items.push(item);
  });
  return items;
}
