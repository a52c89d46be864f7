// Builds the format-neutral Feed for a request: selected records become full articles (rendered once, then reused).
import type { ArticleRecord } from "./article.ts";
import { publisherOf } from "./authors.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Article, Feed, FeedPaging, LeadImage } from "./model.ts";
import type { SiteSettings } from "./settings.ts";
import { excerpt } from "./text.ts";

const rendered = new WeakMap<ArticleRecord, Article>();

/** The full article of a record: markdown rendered and summary derived on first use, then cached with the record. */
export function toArticle(record: ArticleRecord): Article {
  let article = rendered.get(record);
  if (!article) {
    const body = renderMarkdown(record.body, { siteUrl: siteUrlOf(record), pageUrl: record.pageUrl });
    const summary = record.summary ?? excerpt(body.firstParagraph || record.title);
    const html =
      (record.image ? leadFigure(record.image) : "") +
      (record.dateline ? `<p class="dateline">${escapeHtml(record.dateline)}</p>` : "") +
      body.html;
    const { pageUrl: _page, imageFile: _file, draft: _draft, body: _body, bodyImages: _images, ...meta } = record;
    article = { ...meta, summary, html };
    rendered.set(record, article);
  }
  return article;
}

function siteUrlOf(record: ArticleRecord): string {
  return record.pageUrl.slice(0, record.pageUrl.lastIndexOf("/articles/"));
}

/** Minimal HTML escaping for text we place into the content HTML ourselves (the body itself is sanitised). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The lead image as a figure: image with alt text, caption and credit, as readers show it above the body. */
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

export interface FeedOptions {
  site: SiteSettings;
  /** The records to include, already selected and ordered. */
  records: readonly ArticleRecord[];
  /** Absolute URL of this feed per format id. */
  urls: Readonly<Record<string, string>>;
  title?: string;
  description?: string;
  homeUrl?: string;
  /** Archive links, when the feed is part of an archived feed set. */
  paging?: FeedPaging;
  /** WebSub hubs to advertise. */
  hubs?: readonly string[];
}

/** The feed model. The feed's updated time is its newest item's, never "now", so the same content gives the same bytes. */
export function buildFeed(options: FeedOptions): Feed {
  const { site, records } = options;
  const publisher = publisherOf(site);
  const items = records.map(toArticle);
  // biome-ignore lint/complexity/useMathMinMax: Dates, not numbers
  const updated = items.reduce((max, a) => (a.updated > max ? a.updated : max), new Date(0));
  const homeUrl = options.homeUrl ?? site.url + "/";
  return {
    title: options.title ?? site.title,
    description: options.description ?? site.description,
    language: site.language,
    homeUrl,
    urls: options.urls,
    // Every page of an archived feed set shares the subscription document's identity.
    id: options.paging?.current?.atom ?? options.urls.atom ?? homeUrl,
    updated,
    publisher,
    items,
    ...(options.paging ? { paging: options.paging } : {}),
    hubs: options.hubs ?? [],
  };
}
