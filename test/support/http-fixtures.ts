// Fixtures for the HTTP tests: settings, a small newsroom in memory, generated archives and render counters.
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";
import { type FeedFormat, FORMATS } from "../../src/formats/index.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";
import type { ContentSource } from "../../src/sources/source.ts";

export const BASE_VARS = {
  SITE_URL: "https://news.example",
  SITE_TITLE: "Example News",
  SITE_DESCRIPTION: "News from nowhere in particular.",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "UTC",
  FEED_ITEMS: "20",
} as const;

export function testSite(overrides: Record<string, string> = {}): SiteSettings {
  return parseSettings({ ...BASE_VARS, ...overrides });
}

/** The clock of the fixture newsroom: after every article but the embargoed one. */
export const NOW = new Date("2026-01-10T12:00:00Z");
/** When the embargoed fixture article comes out. */
export const EMBARGO = new Date("2026-01-10T18:00:00Z");

export const AUTHORS_YAML = `ana-lima:
  name: Ana Lima
  email: ana@example.com
ben-ode:
  name: Ben Ode
`;

export interface ArticleSpec {
  title: string;
  date: string;
  updated?: string;
  section?: string;
  tags?: readonly string[];
  author?: string;
  body?: string;
}

export function articleText(spec: ArticleSpec): string {
  const lines = ["---", `title: ${JSON.stringify(spec.title)}`, `date: "${spec.date}"`];
  if (spec.updated) lines.push(`updated: "${spec.updated}"`);
  if (spec.section) lines.push(`section: ${JSON.stringify(spec.section)}`);
  if (spec.tags) lines.push(`tags: ${JSON.stringify(spec.tags)}`);
  if (spec.author) lines.push(`author: ${spec.author}`);
  lines.push("---", "", spec.body ?? `The body of ${spec.title}.`, "");
  return lines.join("\n");
}

/** A small newsroom: two sections, a few tags, two authors, and one embargoed article. */
export const NEWSROOM: MemoryFiles = {
  "authors.yaml": AUTHORS_YAML,
  "2026/oil-deal.md": articleText({
    title: "Oil deal signed",
    date: "2026-01-05T09:00:00Z",
    section: "Business",
    tags: ["Energy", "Baku"],
    author: "ana-lima",
  }),
  "2026/gas-prices.md": articleText({
    title: "Gas prices fall",
    date: "2026-01-06T09:00:00Z",
    updated: "2026-01-08T10:30:00Z",
    section: "Business",
    tags: ["Energy"],
    author: "ben-ode",
  }),
  "2026/election.md": articleText({
    title: "Election called",
    date: "2026-01-07T09:00:00Z",
    section: "World News",
    tags: ["Politics"],
    author: "ana-lima",
  }),
  "2026/metro.md": articleText({
    title: "Metro line opens",
    date: "2026-01-09T09:00:00Z",
    section: "City",
    tags: ["Transport", "Baku"],
    author: "ben-ode",
  }),
  "2026/summit.md": articleText({
    title: "Summit preview",
    date: "2026-01-10T18:00:00Z",
    section: "Diplomacy",
    tags: ["Summit", "Baku"],
    author: "ana-lima",
  }),
};

export function newsroom(extra: MemoryFiles = {}): ContentSource {
  return createMemorySource({ ...NEWSROOM, ...extra });
}

/**
 * `count` articles one hour apart from 2020-01-01, cycling through three sections and two authors. Article i is
 * `a{i}` (slug), so a test can tell which ones it saw.
 */
export function generatedArchive(count: number): ContentSource {
  const files: Record<string, string> = { "authors.yaml": AUTHORS_YAML };
  const start = Date.UTC(2020, 0, 1);
  const sections = ["Business", "City", "World News"];
  for (let i = 0; i < count; i++) {
    const date = new Date(start + i * 3_600_000).toISOString();
    files[`gen/a${i}.md`] = articleText({
      title: `Article ${i}`,
      date,
      section: sections[i % 3],
      author: i % 2 ? "ben-ode" : "ana-lima",
      body: `Body ${i}.`,
    });
  }
  return createMemorySource(files);
}

/** FORMATS with every document render counted, to prove which requests render and which do not. */
export function countingFormats(): { formats: FeedFormat[]; renders: () => number } {
  let count = 0;
  const formats = FORMATS.map((format) => ({
    ...format,
    documentParts: (document: Parameters<FeedFormat["documentParts"]>[0]) => {
      count++;
      return format.documentParts(document);
    },
  }));
  return { formats, renders: () => count };
}
