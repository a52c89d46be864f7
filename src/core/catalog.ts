// The whole archive, parsed and validated once: article records sorted newest first, plus every problem found.

import type { ContentSource } from "../sources/source.ts";
import { type ArticleRecord, parseArticle } from "./article.ts";
import { AUTHORS_FILE, type AuthorRegistry, listAvatarFiles, parseAuthors } from "./authors.ts";
import type { ContentIssue } from "./errors.ts";
import { type ImageFacts, type ImageInspection, inspectImage } from "./images.ts";
import { decodeContentFile, LIMITS } from "./limits.ts";
import { resolveNamespace } from "./namespace.ts";
import type { SiteSettings } from "./settings.ts";
import { slugify } from "./text.ts";

/**
 * What a catalog keeps in memory for every article: enough to select and page without the body. A catalog loaded from
 * the files holds full records; an indexed catalog (archive-index.ts) holds only these and reads records on demand.
 */
export interface ArticleEntry {
  readonly slug: string;
  readonly published: Date;
}

export interface Catalog<E extends ArticleEntry = ArticleRecord> {
  /** Every valid, non-draft article, newest publication first (ties broken by slug). Includes future (embargoed) ones. */
  readonly articles: readonly E[];
  /** Problems that kept a file (or an author entry) out. */
  readonly issues: readonly ContentIssue[];
  /** Problems that did not keep anything out (unknown fields). */
  readonly warnings: readonly ContentIssue[];
  readonly authors: AuthorRegistry;
  /** For each local image a public article uses: its facts and the earliest time an article using it is published. */
  readonly images: ReadonlyMap<string, { facts: ImageFacts; release: Date }>;
  /** Article files read, including bad ones and drafts. */
  readonly fileCount: number;
  /** Sections, tags and authors, each keyed by its URL slug, with its articles in the same order as `articles`. */
  readonly facets: Readonly<Record<FacetKind, ReadonlyMap<string, Facet<E>>>>;
  /** The full records of `entries`, in the same order: the entries themselves here, read on demand when indexed. */
  load(entries: readonly E[]): Promise<readonly ArticleRecord[]>;
}

export type FacetKind = "sections" | "tags" | "authors";

/** A section, tag or author and the articles filed under it (newest first, embargoed ones included). */
export interface Facet<E extends ArticleEntry = ArticleRecord> {
  kind: FacetKind;
  /** URL form: `slugify(name)` for sections and tags, the authors.yaml key (or name slug) for authors. */
  slug: string;
  name: string;
  articles: readonly E[];
}

export const isArticleFile = (path: string): boolean => /\.md$/i.test(path) && !path.startsWith("images/");

/** Reads and validates everything in `source`. Never throws for bad content: bad files are listed in `issues`. */
export async function loadCatalog(source: ContentSource, site: SiteSettings): Promise<Catalog> {
  const paths = await source.list();
  const issues: ContentIssue[] = [];
  const warnings: ContentIssue[] = [];

  const authorsBytes = paths.includes(AUTHORS_FILE) ? await source.read(AUTHORS_FILE) : null;
  const authorsText = authorsBytes ? decode(AUTHORS_FILE, authorsBytes, LIMITS.yamlFileBytes, issues) : null;

  const imageFiles = new Set(paths.filter((p) => p.startsWith("images/")));
  const measured = new Map<string, ImageInspection | null>();
  const imageBytes = new Map<string, Uint8Array>();
  // Image facts are needed synchronously while parsing; read every image that any article mentions first.
  const articleFiles = paths.filter(isArticleFile);
  const texts = new Map<string, string>();
  for (const file of articleFiles) {
    const bytes = await source.read(file);
    const text = bytes ? decode(file, bytes, LIMITS.articleFileBytes, issues) : null;
    if (text !== null) texts.set(file, text);
  }
  for (const file of imageFiles) {
    const bytes = await source.read(file);
    if (bytes) imageBytes.set(file, bytes);
  }
  const inspect = (file: string): ImageInspection | null => {
    if (!measured.has(file)) {
      const bytes = imageBytes.get(file);
      measured.set(file, bytes ? inspectImage(bytes) : null);
    }
    return measured.get(file) ?? null;
  };
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
  const image = lookup.image;
  const { authors, issues: authorIssues } = parseAuthors(authorsText ?? null, site, lookup);
  issues.push(...authorIssues);

  const records: ArticleRecord[] = [];
  for (const [file, text] of texts) {
    const result = parseArticle(file, text, { site, authors, ...lookup });
    warnings.push(...result.warnings);
    if (result.ok) records.push(result.record);
    else issues.push(...result.issues);
  }

  // Drafts take no slug or id; a contested one goes to the article published first (namespace.ts).
  const namespace = resolveNamespace(records);
  issues.push(...namespace.issues);
  warnings.push(...namespace.warnings);
  const articles = namespace.kept.sort(
    (a, b) => b.published.getTime() - a.published.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );

  const images = new Map<string, { facts: ImageFacts; release: Date }>();
  for (const article of articles) {
    for (const file of [article.imageFile, ...article.bodyImages]) {
      const facts = file ? image(file) : null;
      if (!file || !facts) continue;
      const known = images.get(file);
      if (!known || known.release > article.published) images.set(file, { facts, release: article.published });
    }
  }
  // Avatars are public from the start: they belong to no embargoed article.
  for (const file of listAvatarFiles(authors, site)) {
    const facts = image(file);
    if (facts) images.set(file, { facts, release: new Date(0) });
  }

  return {
    articles,
    issues,
    warnings,
    authors,
    images,
    fileCount: articleFiles.length,
    facets: indexFacets(articles),
    load: async (entries) => entries,
  };
}

/** Groups articles by section, tag and author slug; the first spelling seen names the facet. */
function indexFacets(articles: readonly ArticleRecord[]): Catalog["facets"] {
  const facets: Record<FacetKind, Map<string, { kind: FacetKind; slug: string; name: string; articles: ArticleRecord[] }>> = {
    sections: new Map(),
    tags: new Map(),
    authors: new Map(),
  };
  const add = (kind: FacetKind, slug: string, name: string, article: ArticleRecord): void => {
    if (!slug) return;
    let facet = facets[kind].get(slug);
    if (!facet) {
      facet = { kind, slug, name, articles: [] };
      facets[kind].set(slug, facet);
    }
    if (facet.articles.at(-1) !== article) facet.articles.push(article);
  };
  for (const article of articles) {
    if (article.section) add("sections", slugify(article.section), article.section, article);
    for (const tag of article.tags) add("tags", slugify(tag), tag, article);
    for (const author of article.authors) add("authors", author.key, author.name, article);
  }
  return facets;
}

function decode(file: string, bytes: Uint8Array, limit: number, issues: ContentIssue[]): string | null {
  const decoded = decodeContentFile(file, bytes, limit);
  if ("issue" in decoded) {
    issues.push(decoded.issue);
    return null;
  }
  return decoded.text;
}

/**
 * Index of the first article published at `now` in `catalog.articles` (newest first). A binary search, so the cost
 * of a request does not grow with the archive or with the number of embargoed articles.
 */
export function firstPublishedIndex<E extends ArticleEntry>(catalog: Catalog<E>, now: Date, list: readonly E[] = catalog.articles): number {
  const t = now.getTime();
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.published.getTime() > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The newest `limit` articles published at `now`, from the whole catalog or from one facet's list. */
export function selectLatest<E extends ArticleEntry>(
  catalog: Catalog<E>,
  now: Date,
  limit: number,
  list: readonly E[] = catalog.articles,
): readonly E[] {
  const start = firstPublishedIndex(catalog, now, list);
  return list.slice(start, start + limit);
}

/** The next time an embargoed article (of the whole catalog, or of one facet's list) becomes public after `now`, if any. */
export function nextRelease<E extends ArticleEntry>(
  catalog: Catalog<E>,
  now: Date,
  list: readonly E[] = catalog.articles,
): Date | undefined {
  const index = firstPublishedIndex(catalog, now, list);
  return index > 0 ? list[index - 1]!.published : undefined;
}
