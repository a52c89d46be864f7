// Runs the independent judges: the Universal Feed Parser (Python), xmllint, and the JSON Feed schema.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";

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

/** Parses a feed with Debian's python3-feedparser (Universal Feed Parser 6). */
export function feedparser(xml: string): Parsed {
  const out = execFileSync("/usr/bin/python3", [JUDGE, tempFile("feed.xml", xml)], { encoding: "utf8" });
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
