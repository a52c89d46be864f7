// A content tree read and validated whole: every article parsed, cross-file rules applied, every problem collected.
import type { ContentSource } from "../sources/source.ts";
import { type ArticleRecord, parseArticle } from "./article.ts";
import { AUTHORS_FILE, type AuthorRegistry, parseAuthors } from "./authors.ts";
import { compareEntries, type StoredImage } from "./catalog.ts";
import type { ContentIssue } from "./errors.ts";
import { type ImageFacts, measureImage } from "./images.ts";
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
}

export const isArticleFile = (path: string): boolean => /\.md$/i.test(path) && !path.startsWith("images/");

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** Reads and validates everything in `source`. Never throws for bad content: bad files are listed in `issues`. */
export async function loadContent(source: ContentSource, site: SiteSettings): Promise<LoadedContent> {
  const paths = await source.list();
  const issues: ContentIssue[] = [];
  const warnings: ContentIssue[] = [];

  const readText = async (file: string): Promise<string | null> => {
    const bytes = paths.includes(file) ? await source.read(file) : null;
    return bytes ? decode(file, bytes, issues) : null;
  };
  const { authors, issues: authorIssues } = parseAuthors(await readText(AUTHORS_FILE));
  issues.push(...authorIssues);
  const { partners, issues: partnerIssues } = parsePartners(await readText(PARTNERS_FILE));
  issues.push(...partnerIssues);

  const imageFiles = new Set(paths.filter((p) => p.startsWith("images/")));
  const measured = new Map<string, ImageFacts | null>();
  const imageBytes = new Map<string, Uint8Array>();
  // Image facts are needed synchronously while parsing; read every image first.
  const articleFiles = paths.filter(isArticleFile);
  const texts = new Map<string, string>();
  for (const file of articleFiles) {
    const text = await readText(file);
    if (text !== null) texts.set(file, text);
  }
  for (const file of imageFiles) {
    const bytes = await source.read(file);
    if (bytes) imageBytes.set(file, bytes);
  }
  const image = (file: string): ImageFacts | null => {
    if (!measured.has(file)) {
      const bytes = imageBytes.get(file);
      measured.set(file, bytes ? measureImage(bytes) : null);
    }
    return measured.get(file) ?? null;
  };

  const parsed: ArticleRecord[] = [];
  for (const [file, text] of texts) {
    const result = parseArticle(file, text, { site, authors, image, exists: (f) => imageFiles.has(f) });
    warnings.push(...result.warnings);
    if (result.ok) parsed.push(result.record);
    else issues.push(...result.issues);
  }

  const bySlug = new Map<string, ArticleRecord>();
  const unique: ArticleRecord[] = [];
  for (const record of parsed) {
    const first = bySlug.get(record.slug);
    if (first) {
      issues.push({
        file: record.file,
        field: "slug",
        found: `slug "${record.slug}", already used by ${first.file}`,
        expected: "a slug unique across the archive (set `slug:` in one of the two files)",
      });
      continue;
    }
    bySlug.set(record.slug, record);
    unique.push(record);
  }

  const records = unique.filter((r) => !r.draft).sort(compareEntries);
  const images = new Map<string, StoredImage>();
  for (const article of records) {
    for (const file of [article.imageFile, ...article.bodyImages]) {
      const facts = file ? image(file) : null;
      if (!file || !facts) continue;
      const known = images.get(file);
      if (!known || known.release > article.published) images.set(file, { facts, release: article.published });
    }
  }

  return {
    records,
    drafts: unique.filter((r) => r.draft),
    issues,
    warnings,
    authors,
    partners,
    images,
    fileCount: articleFiles.length,
  };
}

function decode(file: string, bytes: Uint8Array, issues: ContentIssue[]): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    issues.push({ file, found: "bytes that are not valid UTF-8", expected: "the file saved as UTF-8 (re-save it with UTF-8 encoding)" });
    return null;
  }
}
