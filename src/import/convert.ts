// One source post to one article file's text: the front-matter contract filled from what the source says, the body converted.
import { normaliseAlias } from "../core/aliases.ts";
import { cleanText } from "../core/text.ts";
import { checkBodySize, convertToMarkdown, expandWordPress, htmlToText, sanitizeBody } from "./html-to-markdown.ts";
import type { SourceDocument, SourceImage, SourcePost } from "./model.ts";
import { articleText, formatSourceTime, type ImportedFrontMatter } from "./write.ts";

/** The id rule of the front-matter schema (a URI): a guid that is not one cannot be kept. */
const URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

export interface ConvertContext {
  doc: SourceDocument;
  site: { url: string; language: string };
  timeZone: string;
  /** The file and slug planned for this post. */
  name: { file: string; slug: string };
  /** Whether the post keeps its id (false when another post of the same input already has it). */
  keepId: boolean;
  authorKey(handle: string): string;
  /** Claims an alias (normalised) for this post: false when another article already holds it. */
  claimAlias(alias: string): boolean;
  /** The local `/images/…` path of an image URL that was copied, else undefined (the URL stays remote). */
  imageSrc(url: string): string | undefined;
}

/** The images a post shows (lead image first, then the body's), as absolute URLs, with what the source says of them. */
export function listPostImages(post: SourcePost, doc: SourceDocument): SourceImage[] {
  const images: SourceImage[] = [];
  if (post.image) images.push({ ...post.image, url: absolute(post.image.url, post.link ?? doc.siteUrl) ?? post.image.url });
  const html = bodyHtml(post, doc, () => {});
  for (const url of sanitizeBody(html, post.link ?? doc.siteUrl, () => {}).images) {
    if (!images.some((i) => i.url === url)) images.push({ url, uploadsPath: uploadsPathOf(url, doc) });
  }
  return images;
}

/** The uploads-relative path WordPress recorded for an attachment with this URL, if any. */
function uploadsPathOf(url: string, doc: SourceDocument): string | undefined {
  if (!doc.attachments) return undefined;
  for (const a of doc.attachments.values()) if (a.url === url) return a.uploadsPath;
  return undefined;
}

function bodyHtml(post: SourcePost, doc: SourceDocument, warn: (message: string) => void): string {
  if (post.bodyKind === "wordpress") return expandWordPress(post.html, { attachments: doc.attachments, attached: post.attached }, warn);
  checkBodySize(post.html);
  return post.html;
}

const absolute = (url: string, base: string | undefined): string | undefined => {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
};

/** Text given as HTML-escaped text (RSS and WXR titles, category names): entities decoded, any `<` kept as written. */
export const decodeText = (text: string): string => cleanText(htmlToText(text.replace(/</g, "&lt;")));

/** The article file's text for a post, with the warnings of what could not be kept as it was. Throws BodyRefusedError. */
export function convertPost(post: SourcePost, ctx: ConvertContext, warn: (message: string) => void): string {
  const base = post.link ?? ctx.doc.siteUrl;
  const markdown = convertToMarkdown(sanitizeBody(bodyHtml(post, ctx.doc, warn), base, warn, ctx.imageSrc).html);

  let title = post.bodyKind === "wordpress" || ctx.doc.kind === "rss" ? decodeText(post.title) : cleanText(post.title);
  if (!title) {
    const words = htmlToText(markdown).slice(0, 80).trim();
    title = words || "Untitled";
    warn(`no title: "${title}" is used`);
  }

  const date = formatSourceTime(post.date!, ctx.timeZone);
  const updated = post.updated && post.updated.ms - post.date!.ms >= 1000 ? formatSourceTime(post.updated, ctx.timeZone) : undefined;

  let id: string | undefined;
  if (post.id && URI.test(post.id) && ctx.keepId) id = post.id;
  else if (post.id && !URI.test(post.id))
    warn(`its id ${JSON.stringify(post.id.slice(0, 80))} is not a URI and cannot be kept: readers may show the article again as new`);
  else if (post.id) warn(`its id ${JSON.stringify(post.id.slice(0, 80))} is another post's in the same input: not kept`);

  const aliases: string[] = [];
  for (const link of [post.link, ...post.oldLinks]) {
    if (!link) continue;
    const result = normaliseAlias(link, ctx.site.url);
    if (!result.ok) warn(`the old address ${result.found}: not kept as an alias`);
    else if (aliases.includes(result.alias)) continue;
    else if (post.status !== "draft" && !ctx.claimAlias(result.alias))
      warn(`the old address ${link} is another article's alias already: not kept`);
    else aliases.push(result.alias);
  }

  const section = post.section ? decodeText(post.section) || undefined : undefined;
  const tags = [...new Set(post.tags.map(decodeText).filter((t) => t && t !== section))];
  const summary = post.summaryHtml ? cleanText(htmlToText(post.summaryHtml)) || undefined : undefined;

  let image: ImportedFrontMatter["image"];
  if (post.image) {
    const url = absolute(post.image.url, base) ?? post.image.url;
    const src = ctx.imageSrc(url) ?? (/^https?:\/\//i.test(url) ? url : undefined);
    const details = { alt: clean(post.image.alt), caption: clean(post.image.caption), credit: clean(post.image.credit) };
    if (src) image = { src, ...details };
    else warn(`the lead image ${url} is neither readable nor a URL: left out`);
  }
  if (post.missingImage) warn(`the ${post.missingImage}: no lead image`);

  // The document's language is the site's, usually: only a different language (not `en-US` on an `en` site) is written.
  const docLanguage = canonicalLanguage(ctx.doc.language);
  const sameLanguage = docLanguage?.split("-")[0]?.toLowerCase() === ctx.site.language.split("-")[0]?.toLowerCase();
  const lang = canonicalLanguage(post.lang) ?? (sameLanguage ? undefined : docLanguage);
  if (post.draftReason) warn(`${post.draftReason}: imported as a draft`);

  const fm: ImportedFrontMatter = {
    title,
    slug: ctx.name.slug,
    date,
    updated,
    id,
    authors: post.authors.map((a) => ctx.authorKey(a.handle)),
    section,
    tags,
    summary,
    image,
    lang: lang && lang.toLowerCase() !== ctx.site.language.toLowerCase() ? lang : undefined,
    aliases,
    draft: post.status === "draft" ? true : undefined,
  };
  return articleText(fm, markdown);
}

const clean = (text: string | undefined): string | undefined => (text ? cleanText(htmlToText(text)) || undefined : undefined);

function canonicalLanguage(tag: string | undefined): string | undefined {
  if (!tag) return undefined;
  try {
    return Intl.getCanonicalLocales(tag.trim())[0];
  } catch {
    return undefined;
  }
}
