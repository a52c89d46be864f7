// Corrections: a published article's body edited without a later `updated:` changes nothing a reader can see (no
// updated time moves in any format), so publishing warns about it. Only the publisher knows what was published.
import type { ArticleRecord } from "./article.ts";
import { formatRfc3339 } from "./dates.ts";
import type { ContentIssue } from "./errors.ts";
import { cleanText } from "./text.ts";

/** What the store holds for a file's article when it is published again. */
export interface PublishedVersion {
  /** The markdown as last published. */
  source: string;
  published: Date;
  updated: Date;
}

/** Whether a publish must read the stored text to tell: only a published article whose `updated` did not move forward. */
export function mayNeedCorrectionWarning(stored: Omit<PublishedVersion, "source">, next: ArticleRecord, now: Date): boolean {
  return !next.draft && stored.published.getTime() <= now.getTime() && next.updated.getTime() <= stored.updated.getTime();
}

/**
 * The warning for re-publishing an article readers have already seen with a changed body but no later `updated`:
 * feeds would carry the new text under the old updated time (RSS dc:date and atom:updated, Atom `updated`, JSON Feed
 * `date_modified`, the page's "Updated"), so readers that keep what they fetched never learn of the change. Bodies are
 * compared as readers see text: runs of whitespace are one space. A typo fix may rightly go without `updated`; hence a
 * warning, never a refusal.
 */
export function correctionWarning(stored: PublishedVersion, next: ArticleRecord, now: Date): ContentIssue | undefined {
  if (!mayNeedCorrectionWarning(stored, next, now)) return undefined;
  if (comparable(bodyOf(stored.source)) === comparable(next.body)) return undefined;
  const moved = next.updated.getTime() !== next.published.getTime();
  return {
    file: next.file,
    field: "updated",
    found: `a changed body, but ${moved ? `\`updated\` is still ${formatRfc3339(next.updated)}` : "no `updated`"}, as when it was last published`,
    expected:
      "`updated:` set to the time of the correction, so readers see it (RSS dc:date and atom:updated, Atom updated, JSON Feed date_modified); none is needed for a fix readers need not hear of",
  };
}

/** The body of a markdown file: what follows the front matter's closing `---` line (the whole text without one). */
function bodyOf(text: string): string {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (!/^---[ \t]*$/.test(lines[0] ?? "")) return text;
  const close = lines.findIndex((line, i) => i > 0 && /^---[ \t]*$/.test(line));
  return close < 0 ? "" : lines.slice(close + 1).join("\n");
}

const comparable = (body: string): string => cleanText(body).replace(/\s+/g, " ").trim();
