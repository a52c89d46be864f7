// What a stored article is made of, computed once when it is published: its entry, its lists, its rendered parts
// (markdown rendered and sanitised, each format's item written) and the images it uses. The same for every store.
import type { ArticleRecord } from "../core/article.ts";
import { fingerprintRecord } from "../core/article.ts";
import { type FacetKind, HOME, scopeKey } from "../core/catalog.ts";
import type { ContentIssue } from "../core/errors.ts";
import { hashText } from "../core/hash.ts";
import type { Article } from "../core/model.ts";
import { renderArticle } from "../core/render.ts";
import { slugify } from "../core/text.ts";
import { FORMATS, OUTPUT_REVISION } from "../formats/index.ts";

/** One list an article is in: `home`, or a facet as `sections/{slug}`, `tags/{slug}`, `authors/{key}`. */
export interface Membership {
  scope: string;
  /** The facet's name as this article spells it. */
  name: string;
}

/** The parts stored with an article, each as text. */
export type PartName = "source" | "record" | "article" | "rss" | "atom" | "json";

export interface Publication {
  file: string;
  slug: string;
  id: string;
  published: Date;
  updated: Date;
  fingerprint: string;
  /** Hash of the markdown as published: what the publish client compares to know what changed. */
  sourceHash: string;
  draft: boolean;
  warnings: readonly ContentIssue[];
  memberships: readonly Membership[];
  /** Local images the article uses (lead image and body), paths under the content root. */
  images: readonly string[];
  /** The OUTPUT_REVISION the items were written by. */
  revision: number;
  parts: Readonly<Record<PartName, string>>;
}

/** The scope key of the site's list. */
export const HOME_SCOPE = scopeKey(HOME);

/** The lists a record belongs to, each once, with the names it gives them. */
export function membershipsOf(record: ArticleRecord): Membership[] {
  const seen = new Map<string, string>([[HOME_SCOPE, ""]]);
  const add = (kind: FacetKind, slug: string, name: string): void => {
    if (slug && !seen.has(scopeKey({ kind, slug }))) seen.set(scopeKey({ kind, slug }), name);
  };
  if (record.section) add("sections", slugify(record.section), record.section);
  for (const tag of record.tags) add("tags", slugify(tag), tag);
  for (const author of record.authors) add("authors", author.key, author.name);
  return [...seen].map(([scope, name]) => ({ scope, name }));
}

/** Serialises a record or an article; dates become ISO strings, which `reviveDates` turns back. */
export function storeJson(value: ArticleRecord | Article): string {
  return JSON.stringify(value);
}

/** A record or article read back from storage: `published` and `updated` as Dates again. */
export function reviveDates<T extends { published: Date; updated: Date }>(json: string): T {
  const value = JSON.parse(json) as T & { published: string; updated: string };
  return { ...value, published: new Date(value.published), updated: new Date(value.updated) };
}

/** Everything stored for one valid article: rendered now, so a request only reads. */
export function preparePublication(record: ArticleRecord, source: string, warnings: readonly ContentIssue[]): Publication {
  const article = renderArticle(record);
  const items = Object.fromEntries(FORMATS.map((format) => [format.id, format.renderItem(article)])) as Record<
    "rss" | "atom" | "json",
    string
  >;
  return {
    file: record.file,
    slug: record.slug,
    id: record.id,
    published: record.published,
    updated: record.updated,
    fingerprint: fingerprintRecord(record),
    sourceHash: hashSource(source),
    draft: record.draft,
    warnings,
    memberships: membershipsOf(record),
    images: [...new Set([record.imageFile, ...record.bodyImages].filter((f): f is string => f !== undefined))],
    revision: OUTPUT_REVISION,
    parts: { source, record: storeJson(record), article: storeJson(article), ...items },
  };
}

/** The hash the publish client and the store compare to tell whether a file changed. */
export function hashSource(text: string): string {
  return hashText(text);
}
