// One article record to the model's Article: markdown rendered and sanitised, summary derived, the lead figure after
// the body's first block, the body's own images listed.
import type { ArticleRecord } from "./article.ts";
import { listInlineImages } from "./body-images.ts";
import { escapeHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Article, LeadImage } from "./model.ts";
import { excerpt } from "./text.ts";

/**
 * The full article of a record. Pure and comparatively costly (markdown and sanitising): callers keep the result,
 * keyed by the record's fingerprint, instead of calling it per request.
 */
export function renderArticle(record: ArticleRecord): Article {
  const siteUrl = siteUrlOf(record);
  // The figure follows the body's first block, so excerpts start with the article's words (see RenderOptions).
  const body = renderMarkdown(
    record.body,
    { siteUrl, pageUrl: record.pageUrl },
    { afterFirstBlock: record.image ? leadFigure(record.image) + "\n" : undefined },
  );
  const summary = record.summary ?? excerpt(body.firstParagraph || record.title);
  const html = (record.dateline ? `<p class="dateline">${escapeHtml(record.dateline)}</p>` : "") + body.html;
  const facts = record.bodyImageFacts;
  const inlineImages = listInlineImages(body.html, {
    siteUrl,
    facts: (file) => (facts && Object.hasOwn(facts, file) ? facts[file] : undefined),
    exclude: record.image ? [record.image.url] : [],
  });
  const {
    pageUrl: _page,
    imageFile: _file,
    draft: _draft,
    body: _body,
    bodyImages: _images,
    bodyImageFacts: _facts,
    mainFeed: _mainFeed,
    ...meta
  } = record;
  return { ...meta, siteUrl: siteUrl + "/", summary, html, ...(inlineImages.length ? { inlineImages } : {}) };
}

/** SITE_URL (which may include a base path), recovered from the article's own page URL: `SITE_URL/articles/{slug}`. */
function siteUrlOf(record: ArticleRecord): string {
  return record.pageUrl.slice(0, record.pageUrl.lastIndexOf("/articles/"));
}

/** The lead image as a figure: image with alt text, caption and credit (placed after the body's first block). */
export function leadFigure(image: LeadImage): string {
  const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : "";
  const caption = [
    image.caption ? escapeHtml(image.caption) : "",
    image.credit ? `<small class="credit">${escapeHtml(image.credit)}</small>` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    `<figure><img src="${escapeHtml(image.url)}" alt="${escapeHtml(image.alt ?? "")}"${size}>` +
    (caption ? `<figcaption>${caption}</figcaption>` : "") +
    `</figure>`
  );
}
