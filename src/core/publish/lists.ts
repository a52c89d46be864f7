// Where an article stands in each of its lists (the site's, its section's, tags' and authors'): the rules every store
// follows, so that no write rewrites the rows of the articles already out and every archive page that is full stays
// as it is (RFC 5005 §4: archive documents do not change).
//
// A list is a sequence of positions counted from 0. Each article enters a list at a `listed` instant and keeps its
// position from then on; positions are ordered by (listed, slug descending). An article is listed at its publication
// time when that comes after every article already out in the list (the usual case, every embargoed article, and
// every article of an import sent oldest first), and otherwise at the instant it is stored: a back-dated article
// joins the newest end, on the open archive page. So the articles out at an instant are always the first positions
// of the list, an insertion only ever moves articles not yet out (embargoed ones, and those stored at the same
// instant), and a removal of an article that is out leaves its position taken (a tombstone). The feeds' newest N
// still go by publication time.
import type { Membership } from "./publication.ts";

/** One live entry of an article in a list, as the store holds it: what deciding to keep it needs. */
export interface ListEntry {
  scope: string;
  /** Epoch ms: when the article entered the list (its publication time, or when it was stored if later). */
  listed: number;
}

/** The position order of a list: by listed instant, then by slug descending (the newest first when read backwards). */
export function compareListed(a: { listed: number; slug: string }, b: { listed: number; slug: string }): number {
  return a.listed - b.listed || (a.slug > b.slug ? -1 : a.slug < b.slug ? 1 : 0);
}

/**
 * When an article published at `published` enters a list at `now`, given the last position of the list already out
 * (listed at or before `now`; none in an empty list): at its publication time if it sorts after that one, else now.
 */
export function listedAt(published: number, slug: string, newestOut: { listed: number; slug: string } | undefined, now: number): number {
  if (!newestOut || compareListed({ listed: published, slug }, newestOut) > 0) return published;
  return now;
}

/**
 * The position a new entry takes in a list whose positions are `rows` (in position order): after every row that
 * sorts before it, before the rest, which move up one. Equal keys (a tombstone of the same article at the same
 * instant) go after it, as the SQL of the D1 store places them.
 */
export function enterPosition(rows: readonly { listed: number; slug: string }[], entry: { listed: number; slug: string }): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = rows[mid]!;
    if (row.listed < entry.listed || (row.listed === entry.listed && row.slug > entry.slug)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * What a write does to the lists of the articles it replaces and of the one it stores: entries kept where they are
 * (an edit that leaves the article out, or leaves an embargoed one at the same time), entries that leave (a
 * tombstone if out at the write's instant, else removed), and entries that enter.
 */
export interface ListPlan {
  /** Lists where the stored article's entry stays at its position; its publication time and name are updated. */
  keep: readonly Membership[];
  /** Lists the stored article enters (its listed instant and position decided by the store, inside the write). */
  enter: readonly Membership[];
  /** Entries of replaced articles that leave their list. */
  leave: readonly { slug: string; scope: string }[];
}

/**
 * The list plan for storing `next` (an article, or nothing: a delete or a draft) in place of the articles `old`
 * (what the file, and a file it was renamed from, held). An entry is kept only for the same slug in the same list,
 * and only if it stays out (out before and published by `now` after) or keeps its listed instant exactly.
 */
export function planLists(
  old: readonly { slug: string; entries: readonly ListEntry[] }[],
  next: { slug: string; published: Date; memberships: readonly Membership[] } | undefined,
  now: Date,
): ListPlan {
  const at = now.getTime();
  const wanted = new Map((next?.memberships ?? []).map((m) => [m.scope, m]));
  const keep: Membership[] = [];
  const leave: { slug: string; scope: string }[] = [];
  for (const article of old) {
    for (const entry of article.entries) {
      const membership = next && article.slug === next.slug ? wanted.get(entry.scope) : undefined;
      const published = next?.published.getTime() ?? Number.NaN;
      const stays = membership && ((entry.listed <= at && published <= at) || entry.listed === published);
      if (stays) keep.push(membership);
      else leave.push({ slug: article.slug, scope: entry.scope });
    }
  }
  const kept = new Set(keep.map((m) => m.scope));
  const enter = (next?.memberships ?? []).filter((m) => !kept.has(m.scope));
  return { keep, enter, leave };
}
