// An article's identity across publishes: its id (guid, Atom id, JSON Feed id) is fixed when it is first published and
// survives renames, slug changes and settings changes unless the front matter sets `id`; which stored article a
// renamed file may replace; and what its old URLs become (src/core/redirects.ts).

import { aliasKey } from "../aliases.ts";
import type { ArticleRecord } from "../article.ts";
import { pagePathKey } from "../redirects.ts";
import type { RedirectPlan, Retirement, StoredArticle } from "./store.ts";

/**
 * The record with the id its article was first published with. Only a record whose front matter sets no `id` takes
 * it (parseArticle gives it the canonical URL, which a new slug, a new `canonical` or a new SITE_URL changes); the id
 * then stays a permalink (RSS `isPermaLink`) only while it is still the article's URL.
 */
export function keepFirstId(record: ArticleRecord, stored: Pick<StoredArticle, "id"> | undefined): ArticleRecord {
  // parseArticle sets idIsUrl exactly when the front matter has no `id` (src/core/article.ts).
  if (!stored || !record.idIsUrl || stored.id === record.id) return record;
  return { ...record, id: stored.id, idIsUrl: stored.id === record.url };
}

/**
 * Whether a stored article may be the one a file renamed with `?replaces=` held: the same slug or id, the same text
 * (a file moved as it is), or the same publication time (a file moved and edited, which a CMS declares a rename). Anything
 * else is another article, and replacing it would give it this one's identity.
 */
export function isSameArticle(
  old: { slug: string; id?: string; sourceHash: string; published?: Date },
  record: ArticleRecord,
  sourceHash: string,
): boolean {
  return (
    old.slug === record.slug ||
    (old.id !== undefined && old.id === record.id) ||
    old.sourceHash === sourceHash ||
    (old.published !== undefined && old.published.getTime() === record.published.getTime())
  );
}

/** What storing `record` in place of the articles `old` makes of the old URLs: its aliases, the slugs it had, their ids. */
export function planRedirects(record: ArticleRecord, old: readonly Pick<StoredArticle, "slug" | "id">[]): RedirectPlan {
  return {
    page: pagePathKey(record.slug),
    aliases: [...new Set((record.aliases ?? []).map(aliasKey))],
    moved: [...new Set(old.filter((a) => a.slug !== record.slug).map((a) => pagePathKey(a.slug)))],
    ids: [...new Set(old.map((a) => a.id).filter((id) => id !== record.id))],
  };
}

/** The articles `old` leaving: their ids retired, their pages answering 410 (a delete, or a draft in their place). */
export function retirementsOf(old: readonly Pick<StoredArticle, "slug" | "id">[]): Retirement[] {
  return old.map((a) => ({ id: a.id, slug: a.slug, page: pagePathKey(a.slug) }));
}
