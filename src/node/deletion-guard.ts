// The guard against mass deletion: a publish run that would remove much of what the worker stores (a wrong --dir, a
// half checkout, an empty folder) is refused, with the count and the flag that confirms it.

/**
 * A run may remove up to `floor` files, or up to `share` of the stored files when that is more, without confirmation:
 * day-to-day removals (a story taken down, a few old images) pass, and a site of three articles can still lose one;
 * losing a tenth of a large archive, or every article of any archive, needs `--confirm-deletions N`.
 */
export const DELETION_GUARD = { floor: 10, share: 0.05 } as const;

export interface Removals {
  /** Files the run would remove: articles, drafts, images, and registries published empty. */
  files: number;
  /** Of them, stored articles (published, not drafts). */
  articles: number;
}

export interface Stored {
  /** Files stored now (every manifest entry). */
  files: number;
  /** Of them, published articles. */
  articles: number;
}

/** The most files a run may remove without confirmation when `stored` files are stored. */
export function allowedRemovals(stored: number): number {
  return Math.max(DELETION_GUARD.floor, Math.floor(stored * DELETION_GUARD.share));
}

/**
 * Why the run must not go ahead (one line, with the count and the flag to confirm), or undefined when it may.
 * `confirmed` is the `--confirm-deletions` count: removals up to it go ahead.
 */
export function checkRemovals(removals: Removals, stored: Stored, confirmed = 0, folder = "the folder"): string | undefined {
  if (removals.files <= confirmed || removals.files === 0) return undefined;
  const everyArticle = stored.articles > 0 && removals.articles === stored.articles;
  if (!everyArticle && removals.files <= allowedRemovals(stored.files)) return undefined;
  const why = everyArticle
    ? `every stored article (${stored.articles.toLocaleString("en")})`
    : `more than ${allowedRemovals(stored.files).toLocaleString("en")} (the most one run removes unconfirmed: ${DELETION_GUARD.floor} files or ${DELETION_GUARD.share * 100}% of those stored)`;
  return (
    `refusing to remove ${removals.files.toLocaleString("en")} of the ${stored.files.toLocaleString("en")} stored files, ${why}: ` +
    `is ${folder} the right folder, fully checked out? If these removals are meant, run again with ` +
    `--confirm-deletions ${removals.files} (add --dry-run to list them first)`
  );
}
