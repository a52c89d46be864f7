// One markdown file to one article record: front matter validated, authors and image resolved; body kept for later.
import { resolveAliases } from "./aliases.ts";
import { type AuthorRegistry, resolveAuthors } from "./authors.ts";
import { checkBodyBudget } from "./body-budget.ts";
import { calendarDayOf } from "./dates.ts";
import { clip, describeValue, quote } from "./describe-value.ts";
import type { ContentIssue } from "./errors.ts";
import { fieldLine, splitFrontMatter } from "./front-matter.ts";
import { hashText } from "./hash.ts";
import { ACCEPTED_FORMATS, type ImageFacts, localImageFile, mimeFromExtension } from "./images.ts";
import type { Article, LeadImage } from "./model.ts";
import { EXPECTED, FIELDS, type FrontMatter, frontMatterSchema } from "./schema.ts";
import type { SiteSettings } from "./settings.ts";
import { fileNameSlug, SLUG_EXPECTED } from "./slug.ts";
import { cleanText, cleanTexts, countLinesBefore } from "./text.ts";

/**
 * A validated article before its body is rendered: the model's Article less `html` (rendered per selected item) and
 * with `summary` only when the front matter gives one. The catalog keeps these.
 */
export interface ArticleRecord extends Omit<Article, "html" | "summary" | "siteUrl" | "inlineImages"> {
  /** The article's page on this site (SITE_URL/articles/slug), against which relative links in the body resolve. */
  pageUrl: string;
  /** The local image file (relative to the content root) of the lead image, if it is one. */
  imageFile?: string;
  summary?: string;
  draft: boolean;
  body: string;
  /** Local image files (relative to the content root) that the body links to. */
  bodyImages: readonly string[];
  /** Their measured facts, by file (present when the body links to any): Media RSS announces each with its size. */
  bodyImageFacts?: Readonly<Record<string, ImageFacts>>;
  /** Old URLs of the article (front-matter `aliases`, normalised by aliases.ts); absent when it has none. No feed shows them. */
  aliases?: readonly string[];
  /**
   * `false` (front-matter `main_feed: false`): the article stays out of the site's own list (its main feeds, the home
   * page, the default headlines) and is in every other list it belongs to. Absent otherwise, so records stored before
   * the field existed read the same.
   */
  mainFeed?: false;
}

export type ParsedArticle =
  | {
      ok: true;
      record: ArticleRecord;
      warnings: ContentIssue[];
      /**
       * With `deferBody`: the body's rendered-size check, still to run. The file is publishable as parsed when it
       * answers no issue; otherwise those issues are all the file's problems, as a whole parse would list them.
       */
      checkBody?: () => ContentIssue[];
    }
  | { ok: false; issues: ContentIssue[]; warnings: ContentIssue[] };

export interface ParseContext {
  site: SiteSettings;
  authors: AuthorRegistry;
  /** Facts of a local image file, or null if there is no such image. */
  image(file: string): ImageFacts | null;
  /** Whether a file exists under the content root (to tell a missing image from a file that is not one). */
  exists(file: string): boolean;
  /** Why an existing file is not an accepted image ("an SVG image …"), for messages; a generic reason without it. */
  imageProblem?(file: string): string | undefined;
  /**
   * The slug a stored article has, kept when the front matter sets none: a server-side re-publish (after an author or
   * an image changed, or the settings) never moves an article's URL, even where the file-name rule now reads another.
   */
  keepSlug?: string;
  /**
   * Leave the body's rendered-size check (the dearest part of a parse) to the caller, as `checkBody` on the result:
   * the publish client runs it as each file goes, while the worker stores the files before it. Only a parse that
   * passes defers it; one that fails runs it, and answers as a whole parse would.
   */
  deferBody?: boolean;
}

/** Unknown fields reported one by one; more are summed up in one warning, so a file cannot flood the output. */
const MAX_UNKNOWN_FIELD_WARNINGS = 10;

/** Local images a body links to: markdown and HTML references to `/images/…`. */
export function findBodyImages(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/(?:\]\(|src=["']?|srcset=["']?|,\s*)(\/images\/[^\s)"'<>,]+)/g)) {
    const file = localImageFile(m[1]!);
    if (file) found.add(file);
  }
  return [...found];
}

export function parseArticle(file: string, text: string, ctx: ParseContext): ParsedArticle {
  if (!ctx.deferBody) return parseWhole(file, text, ctx, false);
  const parsed = parseWhole(file, text, ctx, true);
  return parsed.ok ? parsed : parseWhole(file, text, ctx, false);
}

function parseWhole(file: string, text: string, ctx: ParseContext, defer: boolean): ParsedArticle {
  const split = splitFrontMatter(file, text);
  if (!split.ok) return { ok: false, issues: [split.issue], warnings: [] };
  const { lines } = split;
  // Characters XML forbids leave every text here, once, so every format and page shows the same words.
  const data = cleanTexts(split.data);
  const body = cleanText(split.body);

  const unknown = Object.keys(data).filter((key) => !(FIELDS as readonly string[]).includes(key));
  const warnings: ContentIssue[] = unknown.slice(0, MAX_UNKNOWN_FIELD_WARNINGS).map((key) => ({
    file,
    field: key,
    line: fieldLine(lines, key),
    found: `an unknown field \`${clip(key, 40)}\` (ignored)`,
    expected: `one of ${FIELDS.join(", ")}`,
  }));
  if (unknown.length > MAX_UNKNOWN_FIELD_WARNINGS) {
    warnings.push({
      file,
      found: `${unknown.length - MAX_UNKNOWN_FIELD_WARNINGS} more unknown fields (ignored)`,
      expected: `only the fields ${FIELDS.join(", ")}`,
    });
  }
  // The body starts on the line after the closing '---'.
  const bodyLine = lines.length + 2;
  // Folders are for the newsroom's order, not the URL: without `slug:`, the file name (not its path) gives the slug.
  const named = fileNameSlug(file);
  // What the body's relative links resolve against, for measuring what it renders to (the page as `slug:` or the file
  // name would make it, before the front matter is validated: only the URL's length matters here).
  const provisional = typeof data.slug === "string" ? data.slug.trim().normalize("NFC") : (ctx.keepSlug ?? (named.ok ? named.slug : ""));
  const urlBase = { siteUrl: ctx.site.url, pageUrl: articlePageUrl(ctx.site, provisional) };
  const checkBody = (): ContentIssue[] =>
    checkBodyBudget(body, urlBase).map(
      (p): ContentIssue => ({ file, field: "body", line: bodyLine + p.line, found: p.found, expected: p.expected }),
    );
  const bodyIssues = defer ? [] : checkBody();

  const parsed = frontMatterSchema(ctx.site.timeZone).safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue): ContentIssue => {
      const field = issue.path.map(String).join(".") || undefined;
      const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], data);
      const given = issue.code === "custom" ? (issue.params as { found?: string } | undefined)?.found : undefined;
      const found = given ?? (value === undefined ? "nothing (the field is missing)" : describeValue(value));
      return {
        file,
        field,
        line: field ? fieldLine(lines, field) : undefined,
        found,
        expected: (field && (EXPECTED[field] ?? EXPECTED[field.split(".")[0]!])) || issue.message,
      };
    });
    return { ok: false, issues: [...dedupe(issues), ...bodyIssues], warnings };
  }
  const fm = parsed.data;
  const issues: ContentIssue[] = [...bodyIssues];

  if (fm.slug === undefined && ctx.keepSlug === undefined && !named.ok) {
    issues.push({ file, field: "slug", found: named.found, expected: `a file name that is ${SLUG_EXPECTED}, or \`slug:\` set to one` });
  }
  const slug = fm.slug ?? ctx.keepSlug ?? (named.ok ? named.slug : "");
  const pageUrl = articlePageUrl(ctx.site, slug);
  const url = fm.canonical ?? pageUrl;
  const { image, imageFile, imageIssue } = resolveImage(fm, ctx);
  if (imageIssue)
    issues.push({ file, field: imageIssue.field, line: fieldLine(lines, "image"), found: imageIssue.found, expected: imageIssue.expected });
  const bodyImages = bodyIssues.length ? [] : findBodyImages(body);
  const bodyImageFacts: Record<string, ImageFacts> = {};
  for (const img of bodyImages) {
    const facts = ctx.image(img);
    if (facts) bodyImageFacts[img] = facts;
    else {
      const problem = ctx.exists(img) ? ctx.imageProblem?.(img) : undefined;
      const at = body.indexOf(`/${img}`);
      issues.push({
        file,
        field: "body",
        line: at >= 0 ? bodyLine + countLinesBefore(body, at) : undefined,
        found: problem
          ? `a link to /${clip(img, 120)}, which is ${problem}`
          : `a link to /${clip(img, 120)}, which is not an image under articles/images/`,
        expected: `an existing ${ACCEPTED_FORMATS} file under articles/images/, or an absolute URL`,
      });
    }
  }
  const aliasValues = fm.aliases === undefined ? [] : Array.isArray(fm.aliases) ? fm.aliases : [fm.aliases];
  const { aliases, problems: aliasProblems } = resolveAliases(aliasValues, ctx.site.url);
  for (const found of aliasProblems)
    issues.push({ file, field: "aliases", line: fieldLine(lines, "aliases"), found, expected: EXPECTED.aliases! });
  if (issues.length) return { ok: false, issues, warnings };

  const entries = fm.authors === undefined ? (fm.author ? [fm.author] : []) : Array.isArray(fm.authors) ? fm.authors : [fm.authors];
  const { authors, unnamed } = resolveAuthors(entries, ctx.authors, ctx.site);
  for (const key of unnamed) {
    warnings.push({
      file,
      field: fm.authors === undefined ? "author" : "authors",
      line: fieldLine(lines, fm.authors === undefined ? "author" : "authors"),
      found: `${quote(key)}, whose entry in authors.yaml has no usable name (left out; with no other author, the publisher is shown)`,
      expected: "a name for that entry in authors.yaml",
    });
  }
  const tags = fm.tags === undefined ? [] : Array.isArray(fm.tags) ? fm.tags : [fm.tags];
  const publishedDay = calendarDayOf(data.date);
  const updatedDay = fm.updated === undefined ? publishedDay : calendarDayOf(data.updated);
  const lang = fm.lang ? Intl.getCanonicalLocales(fm.lang)[0] : undefined;

  return {
    ok: true,
    warnings,
    ...(defer ? { checkBody } : {}),
    record: {
      file,
      slug,
      id: fm.id ?? url,
      idIsUrl: fm.id === undefined,
      title: fm.title,
      url,
      pageUrl,
      published: fm.date,
      updated: fm.updated ?? fm.date,
      ...(publishedDay || updatedDay ? { days: { published: publishedDay, updated: updatedDay } } : {}),
      authors,
      section: fm.section,
      tags: [...new Set(tags)],
      dateline: fm.dateline,
      lang: lang && lang.toLowerCase() !== ctx.site.language.toLowerCase() ? lang : undefined,
      image,
      imageFile,
      summary: fm.summary,
      draft: fm.draft === true,
      body,
      bodyImages,
      ...(bodyImages.length ? { bodyImageFacts } : {}),
      ...(aliases.length ? { aliases } : {}),
      ...(fm.main_feed === false ? { mainFeed: false as const } : {}),
    },
  };
}

/**
 * The slug a file name gives by default (slug.ts's rule: NFC, spaces and URL-reserved characters to hyphens), or the
 * bare name when the rule refuses it: for callers that only compare slugs (the importer's look at existing files).
 */
export function defaultSlug(file: string): string {
  const named = fileNameSlug(file);
  return named.ok ? named.slug : file.split("/").pop()!.replace(/\.md$/i, "");
}

/** An article's page on this site: SITE_URL/articles/{slug}. */
export function articlePageUrl(site: SiteSettings, slug: string): string {
  return `${site.url}/articles/${encodeURIComponent(slug)}`;
}

function dedupe(issues: ContentIssue[]): ContentIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.field}|${i.found}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface ResolvedImage {
  image?: LeadImage;
  imageFile?: string;
  imageIssue?: { field: string; found: string; expected: string };
}

function resolveImage(fm: FrontMatter, ctx: ParseContext): ResolvedImage {
  if (fm.image === undefined) return {};
  const spec = typeof fm.image === "string" ? { src: fm.image } : fm.image;
  const field = typeof fm.image === "string" ? "image" : "image.src";
  const details = { alt: spec.alt, caption: spec.caption, credit: spec.credit };
  if (/^https?:\/\//i.test(spec.src)) {
    if (!URL.canParse(spec.src))
      return { imageIssue: { field, found: `${quote(spec.src)}, which is not a valid URL`, expected: EXPECTED["image.src"]! } };
    return {
      image: {
        url: new URL(spec.src).href,
        ...details,
        type: spec.type ?? mimeFromExtension(spec.src),
        length: spec.length,
        width: spec.width,
        height: spec.height,
      },
    };
  }
  const file = localImageFile(spec.src);
  if (!file) return { imageIssue: { field, found: quote(spec.src), expected: EXPECTED["image.src"]! } };
  const facts = ctx.image(file);
  if (!facts) {
    const shown = clip(file, 120);
    return {
      imageIssue: {
        field,
        found: ctx.exists(file)
          ? `${quote(spec.src)}, but articles/${shown} is not an accepted image: ${ctx.imageProblem?.(file) ?? "its bytes are no known image format"}`
          : `${quote(spec.src)}, but there is no file articles/${shown}`,
        expected: `a ${ACCEPTED_FORMATS} file under articles/images/ (check the name and extension)`,
      },
    };
  }
  return {
    imageFile: file,
    image: {
      url: ctx.site.url + "/" + file.split("/").map(encodeURIComponent).join("/"),
      ...details,
      type: facts.type,
      length: facts.length,
      width: facts.width,
      height: facts.height,
    },
  };
}

/**
 * A record as a store keeps it and a catalog finds it (Catalog.find): a publishable article's without its markdown
 * body, which the stored source holds and no reader of a found record needs (its page, items and preview come from
 * the rendered article); a draft's whole, as the preview renders it.
 */
export function recordAsStored(record: ArticleRecord): ArticleRecord {
  return record.draft ? record : { ...record, body: "" };
}

/**
 * A hash of everything in a record that shapes an output (body, dates, authors, image facts): records with the same
 * fingerprint render alike. Aliases and `mainFeed` shape no feed item, page or item of a list, so they are left out:
 * adding an alias, or taking an article out of the main feed, moves no ETag of the lists it stays in.
 */
export function fingerprintRecord(record: ArticleRecord): string {
  const { aliases: _aliases, mainFeed: _mainFeed, ...rendered } = record;
  return hashText(JSON.stringify(rendered));
}
