// The registry of feed formats: routes, the CLI and the tests iterate over this list.
import type { Catalog, ItemWriter } from "../core/catalog.ts";
import type { FeedPlan } from "../core/feed-plan.ts";
import { linkQueryFor } from "../core/link-query.ts";
import type { Feed, FormatId } from "../core/model.ts";
import { atom } from "./atom.ts";
import type { FeedDocument, FeedFormat } from "./format.ts";
import { withLinkQuery } from "./item-links.ts";
import { jsonFeed } from "./json-feed.ts";
import { rss } from "./rss.ts";

export type { FeedDocument, FeedFormat, ItemText } from "./format.ts";

/** Every format, keyed by id: a format missing from the registry does not compile. */
export const FORMAT_BY_ID: { readonly [K in FormatId]: FeedFormat<K> } = { rss, atom, json: jsonFeed };

/** The formats in the order pages and lists show them. */
export const FORMATS: readonly FeedFormat[] = [rss, atom, jsonFeed];

/** Every item writer publishing stores items of: each format's whole items and its excerpts. */
export const ITEM_WRITERS: readonly ItemWriter[] = FORMATS.flatMap((format) => [format, format.excerpt]);

/**
 * Part of every ETag and content version: bump it when a renderer's output changes for the same content, so that
 * caches and readers holding the old bytes do not get a 304 for them after a deploy.
 */
export const OUTPUT_REVISION = 7;

/** A document around written items, as one string. */
export function renderDocument(format: FeedFormat, document: FeedDocument): string {
  return format.documentParts(document).join("");
}

/** A whole feed in one format (each item written with `renderItem`): for tests and tools that hold a `Feed` model. */
export function renderFeed(format: FeedFormat, feed: Feed): string {
  return renderDocument(format, { head: feed.head, updated: feed.updated, items: feed.items.map((a) => format.renderItem(a)) });
}

/**
 * A planned feed document in one format, as its pieces: each item from the catalog (written once per article
 * version, whole or as an excerpt as the plan's variant says), its link given the variant's query where it has one,
 * then the document around them. The routes encode the pieces (`encodeParts`); `renderPlan` joins them.
 */
export async function planParts(catalog: Catalog, plan: FeedPlan, format: FeedFormat): Promise<string[]> {
  const { content, linkQuery } = plan.variant;
  const stored = await catalog.items(plan.entries, content === "excerpt" ? format.excerpt : format);
  const items = linkQuery ? withLinkQuery(format, stored, linkQueryFor(linkQuery, format.id), plan.head.siteUrl) : stored;
  return format.documentParts({ head: plan.head, updated: plan.updated, items });
}

/** A planned feed document in one format, as one string (the CLI's export; the routes serve the same pieces as bytes). */
export async function renderPlan(catalog: Catalog, plan: FeedPlan, format: FeedFormat): Promise<string> {
  return (await planParts(catalog, plan, format)).join("");
}

/** The strong ETag of a planned document in one format: its version under this output revision. */
export function etagOf(format: FormatId, plan: Pick<FeedPlan, "version">): string {
  return `"${format}-${OUTPUT_REVISION}-${plan.version}"`;
}
