// What an editor's preview shows about one article: each format's item, the image readers pick, the excerpt, warnings.

import type { ArticleRecord } from "./article.ts";
import type { ContentIssue } from "./errors.ts";
import { decodeHtmlEntities } from "./html.ts";
import type { Article } from "./model.ts";

/** Characters of the excerpt Apple News shows from an item's description (Apple's "RSS guidelines for Apple News"). */
export const EXCERPT_CHARS = 200;

/** Text of an HTML fragment as readers extract it: tags dropped, entities decoded, whitespace collapsed. */
export function htmlToText(fragment: string): string {
  return decodeHtmlEntities(fragment.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

/** The first `max` characters (code points) of a text: what a reader shows before it cuts. */
export function firstChars(text: string, max = EXCERPT_CHARS): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join("");
}

export interface ImagePick {
  reader: string;
  url?: string;
  /** The rule, as edge-feeds models the reader's behaviour, and which element it took the image from. */
  rule: string;
  from: string;
}

function firstContentImage(html: string): string | undefined {
  const m = /<img\b[^>]*?\bsrc="([^"]+)"/i.exec(html);
  return m ? htmlToText(m[1]!) : undefined;
}

/**
 * Which image three readers would show for the article. Rules as modelled here from each reader's behaviour:
 * Miniflux shows the content as sent and lists enclosures / media:content as attachments, hiding image attachments
 * the content already shows; FreshRSS's thumbnail is the first image enclosure (enclosure, media:content or
 * media:thumbnail, read through SimplePie), else the first <img> in the content; Apple News takes the item's
 * media:content image as the thumbnail, else the first image in content:encoded.
 */
export function imagePicks(article: Article): ImagePick[] {
  const inContent = firstContentImage(article.html);
  const image = article.image;
  return [
    {
      reader: "Miniflux",
      url: inContent ?? image?.url,
      rule: "shows the content as sent; enclosures and media:content become attachments, and an image attachment already in the content is not repeated",
      from: inContent
        ? "first <img> in the content (content:encoded / content_html)"
        : image
          ? "image attachment (enclosure / media:content)"
          : "none",
    },
    {
      reader: "FreshRSS",
      url: image?.url ?? inContent,
      rule: "thumbnail = first image enclosure (enclosure, media:content or media:thumbnail), else the first <img> in the content",
      from: image
        ? image.type
          ? "enclosure / media:content"
          : "media:content / media:thumbnail (no enclosure: type unknown)"
        : inContent
          ? "first <img> in the content"
          : "none",
    },
    {
      reader: "Apple News",
      url: image?.url ?? inContent,
      rule: "thumbnail = the item's media:content image, else the first image in content:encoded",
      from: image ? "media:content" : inContent ? "first image in content:encoded" : "none",
    },
  ];
}

export interface PreviewWarning {
  field?: string;
  message: string;
}

/** Checks that matter for how the item looks in readers, plus the content checks `npm run check` reports. */
export function previewWarnings(article: Article, record: ArticleRecord, issues: readonly ContentIssue[]): PreviewWarning[] {
  const out: PreviewWarning[] = issues.map((i) => ({ field: i.field, message: `${i.found}; expected ${i.expected}` }));
  const titleLength = Array.from(article.title).length;
  if (titleLength > 60) out.push({ field: "title", message: `the title has ${titleLength} characters; Apple News recommends 15–60` });
  if (!record.summary) out.push({ field: "summary", message: "no summary: readers show the first paragraph, cut to about 280 characters" });
  if (Array.from(article.summary).length > EXCERPT_CHARS) {
    out.push({ field: "summary", message: `the summary is longer than ${EXCERPT_CHARS} characters; Apple News cuts the excerpt there` });
  }
  const image = article.image;
  if (!image) out.push({ field: "image", message: "no lead image: readers fall back to the first image in the body, or show none" });
  else {
    if (!image.alt) out.push({ field: "image.alt", message: "the lead image has no alt text" });
    if (!image.type)
      out.push({ field: "image.type", message: "the image type is unknown (no extension or type:), so RSS and Atom carry no enclosure" });
    if (image.width !== undefined && image.width < 600)
      out.push({
        field: "image",
        message: `the lead image is ${image.width}px wide; readers may not use images under 600px as a large thumbnail`,
      });
  }
  if (record.draft) out.push({ field: "draft", message: "this is a draft: it is in no feed until `draft: true` is removed" });
  return out;
}
