// The registry of feed formats: routes, the CLI and the tests iterate over this list.
import { atom } from "./atom.ts";
import type { FeedFormat } from "./format.ts";
import { jsonFeed } from "./json-feed.ts";
import { rss } from "./rss.ts";

export type { FeedFormat, RenderOptions } from "./format.ts";

export const FORMATS: readonly FeedFormat[] = [rss, atom, jsonFeed];

/** Absolute URLs of one feed in every format, under `base` (a URL ending in `/`). */
export function feedUrls(base: string): Record<string, string> {
  return Object.fromEntries(FORMATS.map((f) => [f.id, base + f.file]));
}

/** Feed URLs for the given formats (the routes' registry may be a test's wrapped copy of FORMATS). */
export function feedUrlsOf(formats: readonly FeedFormat[]): (base: string) => Record<string, string> {
  return (base) => Object.fromEntries(formats.map((f) => [f.id, base + f.file]));
}

/**
 * Part of every ETag: bump it when a renderer's output changes for the same content, so that caches and readers
 * holding the old bytes do not get a 304 for them after a deploy.
 */
export const OUTPUT_REVISION = 3;
