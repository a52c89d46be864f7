// What a stored article is made of, computed once when it is published: its entry, its lists, its rendered parts
// (markdown rendered and sanitised, each format's item written) and the images it uses. The same for every store.
import type { ArticleRecord } from "../article.ts";
import { fingerprintRecord, recordAsStored } from "../article.ts";
import { ALL, type FacetKind, HOME, type ItemPart, type ItemWriter, scopeKey } from "../catalog.ts";
import type { ContentIssue } from "../errors.ts";
import { hashText } from "../hash.ts";
import { languageOf } from "../language.ts";
import type { Article } from "../model.ts";
import { renderArticle } from "../render.ts";
import { slugify } from "../text.ts";
import { articleWithoutBody, itemTemplate } from "./stored-body.ts";

/**
 * One list an article is in: `all`, `home`, or a facet as `sections/{slug}`, `tags/{slug}`, `authors/{key}`,
 * `languages/{language}`.
 */
export interface Membership {
  scope: string;
  /** The facet's name as this article spells it. */
  name: string;
}

/**
 * The parts stored with an article, each as text: its markdown, record, rendered article and rendered body (`body`,
 * the article's HTML, stored once), and each format's item, whole and as an excerpt (the summary and the lead image:
 * FEED_CONTENT = "excerpt", a partner's excerpt feed), so that a feed in either form is stored items and nothing is
 * rendered per request. The article and the whole items are stored without the body, which a reader puts back
 * (stored-body.ts).
 */
export type PartName = "source" | "record" | "article" | "body" | ItemPart;

/** Every part, in the order a store writes them. */
export const PART_NAMES: readonly PartName[] = [
  "source",
  "record",
  "article",
  "body",
  "rss",
  "atom",
  "json",
  "rss-excerpt",
  "atom-excerpt",
  "json-excerpt",
];

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

/**
 * Parts added after stores already held articles: an article stored before lacks them until it is published again,
 * and a reader writes the item from the stored article instead (Catalog.items).
 */
export const LATER_PARTS: ReadonlySet<PartName> = new Set(["rss-excerpt", "atom-excerpt", "json-excerpt"]);

/**
 * `body` came later too: an article stored before it has its body in its stored article and items, which are read
 * as they are (stored-body.ts); a reader asks for it beside those parts, as optional.
 */
export const BODY_PART = "body" satisfies PartName;

/** How a publication's items are written: the formats' item writers and the revision they are at (src/formats/index.ts). */
export interface ItemWriters {
  writers: readonly ItemWriter[];
  revision: number;
}

/** The scope key of the site's list. */
export const HOME_SCOPE = scopeKey(HOME);

/** The scope key of the list of every article. */
export const ALL_SCOPE = scopeKey(ALL);

/**
 * The lists a record belongs to, each once, with the names it gives them: every article is in `all` and in its
 * language's list (`lang`, else `siteLanguage`, grouped by `languageOf`); in the site's own list unless it says
 * `main_feed: false`; and in its section's, tags' and authors'. The one definition every store and catalog lists by.
 */
export function membershipsOf(record: ArticleRecord, siteLanguage: string): Membership[] {
  const seen = new Map<string, string>(
    record.mainFeed === false
      ? [[ALL_SCOPE, ""]]
      : [
          [HOME_SCOPE, ""],
          [ALL_SCOPE, ""],
        ],
  );
  const add = (kind: FacetKind, slug: string, name: string): void => {
    if (slug && !seen.has(scopeKey({ kind, slug }))) seen.set(scopeKey({ kind, slug }), name);
  };
  if (record.section) add("sections", slugify(record.section), record.section);
  for (const tag of record.tags) add("tags", slugify(tag), tag);
  for (const author of record.authors) add("authors", author.key, author.name);
  const language = languageOf(record.lang ?? siteLanguage);
  add("languages", language.slug, language.name);
  return [...seen].map(([scope, name]) => ({ scope, name }));
}

/** Serialises a record or an article; dates become ISO strings, which `reviveDates` turns back. */
export function storeJson(value: ArticleRecord | Article | Omit<Article, "html">): string {
  return JSON.stringify(value);
}

/** A record or article read back from storage: `published` and `updated` as Dates again. */
export function reviveDates<T extends { published: Date; updated: Date }>(json: string): T {
  const value = JSON.parse(json) as T & { published: string; updated: string };
  return { ...value, published: new Date(value.published), updated: new Date(value.updated) };
}

/** Everything stored for one valid article: rendered now, so a request only reads. */
export function preparePublication(
  record: ArticleRecord,
  source: string,
  warnings: readonly ContentIssue[],
  { writers, revision }: ItemWriters,
  siteLanguage: string,
  sourceHash: string = hashSource(source),
): Publication {
  const article = renderArticle(record);
  const items = Object.fromEntries(writers.map((writer) => [writer.part, itemTemplate(writer, article)])) as Record<ItemPart, string>;
  return {
    file: record.file,
    slug: record.slug,
    id: record.id,
    published: record.published,
    updated: record.updated,
    fingerprint: fingerprintRecord(record),
    sourceHash,
    draft: record.draft,
    warnings,
    memberships: membershipsOf(record, siteLanguage),
    images: [...new Set([record.imageFile, ...record.bodyImages].filter((f): f is string => f !== undefined))],
    revision,
    parts: {
      source,
      record: storeJson(recordAsStored(record)),
      article: storeJson(articleWithoutBody(article)),
      body: article.html,
      ...items,
    },
  };
}

/** The hash the publish client and the store compare to tell whether a file changed. */
export function hashSource(text: string): string {
  return hashText(text);
}
