// The warnings of a change that moves a public URL (a re-slug, a file renamed to another slug, a file moved and edited
// that becomes a new article), worded once for `npm run publish` and `npm run check --against`.
import type { LoadedContent } from "../core/content.ts";
import type { Plan } from "./publish-plan.ts";

/** The file each published slug of the folder is the page of. */
export function pagesOf(content: Pick<LoadedContent, "records">): Map<string, string> {
  return new Map(content.records.map((r) => [r.slug, r.file]));
}

/**
 * One `warning: …` line per article whose public URL the plan moves or may break, in path order. `pages` gives the
 * file each slug of the folder is the page of: an old URL another article takes leads to that article, not here.
 */
export function urlMoveWarnings(plan: Pick<Plan, "changed" | "renames" | "lookAlikes">, pages: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  for (const upload of [...plan.changed, ...plan.renames].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!upload.slugMove) continue;
    const { from, to } = upload.slugMove;
    const taker = pages.get(from);
    const old = taker
      ? `the old URL becomes the page of ${taker}: links and search results that point at it lead there`
      : "the old URL answers 301 to the new one and readers keep its id, but links and search results point at the old one";
    lines.push(
      `warning: ${upload.path}: its public URL moves from /articles/${from} to /articles/${to}` +
        `${upload.replaces ? ` (renamed from ${upload.replaces})` : ""}; ${old}` +
        `${taker ? "" : `: to keep its URL, give it \`slug: ${from}\``}`,
    );
  }
  // A file moved and edited at once cannot be told from a new article (publish-plan.ts, lookAlikes).
  for (const { added, removed, slug } of plan.lookAlikes) {
    lines.push(
      `warning: ${added} is new and ${removed} is removed, both of the same date: if it is that article moved and edited, it ` +
        `becomes a new article (readers see it again) and /articles/${slug} answers 410 Gone; to keep its id and old URL, ` +
        `publish the move first with its text unchanged, or give it \`slug: ${slug}\``,
    );
  }
  return lines;
}

/**
 * The files whose passing the check decides `urlMoveWarnings`' lines: each upload whose URL moves, the file that takes
 * its old URL, and each new file of a look-alike. The publish client checks their bodies before it warns.
 */
export function urlMoveSubjects(plan: Pick<Plan, "changed" | "renames" | "lookAlikes">, pages: ReadonlyMap<string, string>): string[] {
  const subjects = new Set<string>();
  for (const upload of [...plan.changed, ...plan.renames]) {
    if (!upload.slugMove) continue;
    subjects.add(upload.path);
    const taker = pages.get(upload.slugMove.from);
    if (taker) subjects.add(taker);
  }
  for (const { added } of plan.lookAlikes) subjects.add(added);
  return [...subjects];
}
