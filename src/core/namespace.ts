// Who owns a slug and an id: the rule for two publishable articles that claim the same one, for the catalog and publishing.
import { quote } from "./describe-value.ts";
import type { ContentIssue } from "./errors.ts";

/** What an article claims in the public namespace: its page URL's slug and its feed id (front-matter `id` or canonical URL). */
export interface Claim {
  file: string;
  slug: string;
  id: string;
  published: Date;
  draft: boolean;
}

export interface Conflict<C extends Claim = Claim> {
  field: "slug" | "id";
  /** The article that keeps the slug or id. */
  kept: C;
  /** The article that is left out. */
  lost: C;
}

/**
 * Whether `a` owns a contested slug or id before `b`: the article published first (earliest `date`), and for equal
 * dates the file whose path sorts first. Neither the order files are read in nor a later edit can change the owner.
 */
export function claimsFirst(a: Claim, b: Claim): boolean {
  const dt = a.published.getTime() - b.published.getTime();
  return dt < 0 || (dt === 0 && a.file < b.file);
}

/**
 * Where `incoming` collides with articles already in the namespace (`owners`: slug and id → article), one conflict per
 * field, saying which of the two keeps it by `claimsFirst`. For a publish step that checks one article against the
 * stored ones as well as for the catalog. Drafts claim nothing.
 */
export function findConflicts<C extends Claim>(
  incoming: C,
  owners: { slugs: ReadonlyMap<string, C>; ids: ReadonlyMap<string, C> },
): Conflict<C>[] {
  if (incoming.draft) return [];
  const conflicts: Conflict<C>[] = [];
  for (const [field, owner] of [
    ["slug", owners.slugs.get(incoming.slug)],
    ["id", owners.ids.get(incoming.id)],
  ] as const) {
    if (!owner || owner === incoming) continue;
    conflicts.push(claimsFirst(incoming, owner) ? { field, kept: incoming, lost: owner } : { field, kept: owner, lost: incoming });
  }
  return conflicts;
}

/**
 * The publishable namespace of a set of articles: drafts are set aside first (they never take a slug or an id), then
 * each slug and each id goes to the article that claims it first (`claimsFirst`); an article that loses either is left
 * out, with an issue on its file that names the file that kept it. A draft that claims a slug or id already taken gets a
 * warning: it would lose when published.
 */
export function resolveNamespace<C extends Claim>(articles: readonly C[]): { kept: C[]; issues: ContentIssue[]; warnings: ContentIssue[] } {
  const ordered = articles.filter((a) => !a.draft).sort((a, b) => (claimsFirst(a, b) ? -1 : claimsFirst(b, a) ? 1 : 0));
  const slugs = new Map<string, C>();
  const ids = new Map<string, C>();
  const kept: C[] = [];
  const issues: ContentIssue[] = [];
  for (const article of ordered) {
    // In this order every earlier article claims first, so a conflict always means this one loses.
    const conflicts = findConflicts(article, { slugs, ids });
    if (conflicts.length) {
      // One slug gives one default id (the page URL): name the other file once.
      for (const conflict of conflicts.filter((c, i) => conflicts.findIndex((d) => d.kept === c.kept) === i)) {
        issues.push(describeConflict(conflict));
      }
      continue;
    }
    slugs.set(article.slug, article);
    ids.set(article.id, article);
    kept.push(article);
  }
  const warnings: ContentIssue[] = [];
  for (const draft of articles.filter((a) => a.draft)) {
    const owner = slugs.get(draft.slug) ?? ids.get(draft.id);
    if (!owner) continue;
    const field = slugs.get(draft.slug) ? "slug" : "id";
    warnings.push({
      file: draft.file,
      field,
      found: `a draft with the ${field} ${quote(field === "slug" ? draft.slug : draft.id)} of ${owner.file} (the draft is ignored until published; then only one of the two would be served)`,
      expected: `its own ${field}, before \`draft: true\` is removed`,
    });
  }
  return { kept, issues, warnings };
}

/** The issue for the article that lost: both files named, and which one is served. */
export function describeConflict(conflict: Conflict): ContentIssue {
  const { field, kept, lost } = conflict;
  const value = field === "slug" ? lost.slug : lost.id;
  // café.md saved in NFC and in NFD are two files whose names look the same and give one slug.
  const lookAlike =
    kept.file !== lost.file && kept.file.normalize("NFC") === lost.file.normalize("NFC")
      ? " (the two file names look the same but spell their accented letters differently, as Unicode NFC and NFD: delete one)"
      : "";
  return {
    file: lost.file,
    field,
    found: `${field} ${quote(value)}, also claimed by ${kept.file}, which was published first and is served; this file is left out${lookAlike}`,
    expected:
      field === "slug"
        ? "a slug unique across the archive: set `slug:` in one of the two files"
        : "an id unique across the archive: set a different `id:` (or `canonical:`) in one of the two files",
  };
}
