// The registry of feed formats: routes, the CLI and the tests iterate over this list.
import { atom } from "./atom.ts";
import type { FeedFormat } from "./format.ts";
import { jsonFeed } from "./json-feed.ts";
import { rss } from "./rss.ts";

export type { FeedFormat } from "./format.ts";

export const FORMATS: readonly FeedFormat[] = [rss, atom, jsonFeed];

/** Absolute URLs of one feed in every format, under `base` (a URL ending in `/`). */
export function feedUrls(base: string): Record<string, string> {
  return Object.fromEntries(FORMATS.map((f) => [f.id, base + f.file]));
}
