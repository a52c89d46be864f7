// A content tree read and validated whole: every article parsed, cross-file rules applied, every problem collected.
import type { ContentSource } from "../sources/source.ts";
import { resolveAliasClaims } from "./aliases.ts";
import { type ArticleRecord, parseArticle } from "./article.ts";
import { AUTHORS_FILE, type AuthorRegistry, listAvatarFiles, parseAuthors } from "./authors.ts";
import { compareEntries, type StoredImage } from "./catalog.ts";
import type { ContentIssue } from "./errors.ts";
import { type ImageFacts, type ImageInspection, inspectImage, oversizedImage } from "./images.ts";
import { decodeContentFile, LIMITS, oversizedContentFile } from "./limits.ts";
import { resolveNamespace } from "./namespace.ts";
import { PARTNERS_FILE, type PartnerRegistry, parsePartners } from "./partners.ts";
import type { SiteSettings } from "./settings.ts";

export interface LoadedContent {
  /** Every valid article that is not a draft, newest publication first (ties by slug); embargoed ones included. */
  readonly records: readonly ArticleRecord[];
  /** Valid drafts (for the editor's preview only). */
  readonly drafts: readonly ArticleRecord[];
  /** Problems that kept a file (or an author or partner entry) out. */
  readonly issues: readonly ContentIssue[];
  /** Problems that did not keep anything out (unknown fields). */
  readonly warnings: readonly ContentIssue[];
  readonly authors: AuthorRegistry;
  readonly partners: PartnerRegistry;
  /** For each local image a publishable article uses: its facts and the earliest time an article using it is published. */
  readonly images: ReadonlyMap<string, StoredImage>;
  /** Article files read, including bad ones and drafts. */
  readonly fileCount: number;
  /** The site's language (SITE_LANGUAGE): the language list of every article without its own `lang`. */
  readonly language: string;
  /**
   * With `deferBodies`: each record's (and draft's) body check, still to run, by file. A record whose check answers
   * issues is refused with them, as a whole check would refuse it; none of the cross-file rules depended on it.
   */
  readonly bodyChecks?: ReadonlyMap<string, () => ContentIssue[]>;
}

export interface LoadOptions {
  /**
   * Leave each article's body check (what its body renders to: the dearest part of a check) to the caller, who runs
   * it before sending the file (see `bodyChecks`). When the cross-file rules (slugs, ids, aliases) find anything, which
   * article owns what depends on which bodies pass, so every body is checked at once, as without this option.
   */
  deferBodies?: boolean;
}

export const isArticleFile = (path: string): boolean => /\.md$/i.test(path) && !path.startsWith("images/");

/** Reads and validates everything in `source`. Never throws for bad content: bad files are listed in `issues`. */
export async function loadContent(source: ContentSource, site: SiteSettings, options: LoadOptions = {}): Promise<LoadedContent> {
  const paths = await source.list();
  const issues: ContentIssue[] = [];
  const warnings: ContentIssue[] = [];

  const readText = async (file: string, limit: number): Promise<string | null> => {
    if (!paths.includes(file)) return null;
    // A file over its limit is refused from its size where the source can tell, without reading it.
    const tooLarge = oversizedContentFile(file, (await source.size?.(file)) ?? 0, limit);
    if (tooLarge) {
      issues.push(tooLarge);
      return null;
    }
    const bytes = await source.read(file);
    return bytes ? decode(file, bytes, limit, issues) : null;
  };
  const { partners, issues: partnerIssues } = parsePartners(await readText(PARTNERS_FILE, LIMITS.yamlFileBytes));
  issues.push(...partnerIssues);

  const imageFiles = new Set(paths.filter((p) => p.startsWith("images/")));
  const measured = new Map<string, ImageInspection | null>();
  const articleFiles = paths.filter(isArticleFile);
  const texts = new Map<string, string>();
  for (const file of articleFiles) {
    const text = await readText(file, LIMITS.articleFileBytes);
    if (text !== null) texts.set(file, text);
  }
  // Image facts are needed synchronously while parsing: every image is inspected first, one at a time, and only its
  // facts are kept (never its bytes, so memory does not grow with the photos). An image over the limit is refused
  // from its size where the source can tell, without being read.
  for (const file of imageFiles) {
    const tooLarge = oversizedImage((await source.size?.(file)) ?? 0);
    const bytes = tooLarge ? null : await source.read(file);
    measured.set(file, tooLarge ?? (bytes ? inspectImage(bytes) : null));
  }
  const inspect = (file: string): ImageInspection | null => measured.get(file) ?? null;
  const lookup = {
    image: (file: string): ImageFacts | null => {
      const inspected = inspect(file);
      return inspected?.ok ? inspected.facts : null;
    },
    exists: (f: string) => imageFiles.has(f),
    imageProblem: (file: string): string | undefined => {
      const inspected = inspect(file);
      return inspected && !inspected.ok ? inspected.reason : undefined;
    },
  };
  const { authors, issues: authorIssues } = parseAuthors(await readText(AUTHORS_FILE, LIMITS.yamlFileBytes), site, lookup);
  issues.push(...authorIssues);

  let parsed: ArticleRecord[] = [];
  const bodyChecks = new Map<string, () => ContentIssue[]>();
  for (const [file, text] of texts) {
    const result = parseArticle(file, text, { site, authors, ...lookup, deferBody: options.deferBodies === true });
    warnings.push(...result.warnings);
    if (!result.ok) issues.push(...result.issues);
    else {
      parsed.push(result.record);
      if (result.checkBody) bodyChecks.set(result.record.file, result.checkBody);
    }
  }

  // Drafts take no slug or id; a contested one goes to the article published first (namespace.ts).
  let namespace = resolveNamespace(parsed);
  // An old URL redirects to one article: a second claimant is left out, as for slugs.
  let claimed = resolveAliasClaims(namespace.kept);
  if (bodyChecks.size && (namespace.issues.length || namespace.warnings.length || claimed.issues.length)) {
    // Who owns a contested slug, id or alias depends on which claimants pass whole: every body is checked now.
    parsed = parsed.filter((record) => {
      const found = bodyChecks.get(record.file)?.() ?? [];
      issues.push(...found);
      return found.length === 0;
    });
    bodyChecks.clear();
    namespace = resolveNamespace(parsed);
    claimed = resolveAliasClaims(namespace.kept);
  }
  issues.push(...namespace.issues);
  warnings.push(...namespace.warnings);
  issues.push(...claimed.issues);
  const records = claimed.kept.sort(compareEntries);

  const images = new Map<string, StoredImage>();
  for (const article of records) {
    for (const file of [article.imageFile, ...article.bodyImages]) {
      const facts = file ? lookup.image(file) : null;
      if (!file || !facts) continue;
      const known = images.get(file);
      if (!known || known.release > article.published) images.set(file, { facts, release: article.published });
    }
  }
  // Avatars are public from the start: they belong to no embargoed article.
  for (const file of listAvatarFiles(authors, site)) {
    const facts = lookup.image(file);
    if (facts) images.set(file, { facts, release: new Date(0) });
  }

  return {
    records,
    drafts: parsed.filter((r) => r.draft),
    issues,
    warnings,
    authors,
    partners,
    images,
    fileCount: articleFiles.length,
    language: site.language,
    ...(bodyChecks.size ? { bodyChecks } : {}),
  };
}

function decode(file: string, bytes: Uint8Array, limit: number, issues: ContentIssue[]): string | null {
  const decoded = decodeContentFile(file, bytes, limit);
  if ("issue" in decoded) {
    issues.push(decoded.issue);
    return null;
  }
  return decoded.text;
}
