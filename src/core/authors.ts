// The newsroom's author registry (articles/authors.yaml) and how an article's author entries resolve against it.
import { z } from "zod";
import type { ContentIssue } from "./errors.ts";
import type { Author } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import { cleanTexts, slugify } from "./text.ts";
import { readYamlMap } from "./yaml-map.ts";

export const AUTHORS_FILE = "authors.yaml";

const entrySchema = z.union([
  z
    .string()
    .trim()
    .min(1)
    .transform((name) => ({ name })),
  z.object({
    name: z.string().trim().min(1),
    email: z.email().optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    avatar: z.url({ protocol: /^https?$/ }).optional(),
  }),
]);

const ENTRY_EXPECTED = "{ name, email?, url?, avatar? } with a valid e-mail and absolute http(s) URLs";

export type AuthorRegistry = ReadonlyMap<string, Author>;

/** Parses authors.yaml; every bad entry becomes an issue and is left out. */
export function parseAuthors(text: string | null): { authors: AuthorRegistry; issues: ContentIssue[] } {
  const authors = new Map<string, Author>();
  const issues: ContentIssue[] = [];
  if (text === null) return { authors, issues };
  const read = readYamlMap(AUTHORS_FILE, text, "a map of author keys to { name, email?, url?, avatar? }");
  if ("issue" in read) return { authors, issues: [read.issue] };
  for (const { key, value, line } of read.entries) {
    const parsed = entrySchema.safeParse(cleanTexts(value));
    if (!parsed.success) {
      const bad = parsed.error.issues[0]?.path.join(".");
      issues.push({
        file: AUTHORS_FILE,
        field: bad ? `${key}.${bad}` : key,
        line,
        found: JSON.stringify(value),
        expected: ENTRY_EXPECTED,
      });
      continue;
    }
    authors.set(key, { key, ...parsed.data });
  }
  return { authors, issues };
}

/** An entry in an article's `authors` is a registry key, or else a free-form name (keyed by its slug). */
export function resolveAuthor(entry: string, registry: AuthorRegistry): Author {
  return registry.get(entry) ?? { key: slugify(entry), name: entry };
}

/** The publisher (the site itself): the author of articles that name none. */
export function publisherOf(site: SiteSettings): Author {
  return { key: "publisher", name: site.title, url: site.url + "/" };
}
