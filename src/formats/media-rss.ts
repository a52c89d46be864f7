// Media RSS (rssboard.org/media-rss) elements for an item's images, shared by the RSS and Atom renderers.
import type { Article, LeadImage } from "../core/model.ts";
import type { XmlWriter } from "./xml.ts";

export const MEDIA_NS = "http://search.yahoo.com/mrss/";

/**
 * One image as `media:content` (medium, type, fileSize, width, height) with `media:title` (its alt text), `media:text`
 * (its caption) and `media:credit`.
 *
 * The caption is `media:text`, not `media:description`: the Universal Feed Parser maps `media:description` onto the
 * entry's `summary_detail` (and onto `summary` when it comes first, its issue #53) in its strict and loose parsers
 * alike, and rss2email mails `summary_detail` when it is the entry's only text/plain text, so a caption written there
 * is mailed in place of the article. feedparser keeps `media:text` apart (as `media_text`), and `media:title` sits
 * below the item's own title, which keeps it (read in feedparser/namespaces/mediarss.py and mixin.py, Debian 6.0.10).
 */
function writeImage(x: XmlWriter, image: LeadImage): void {
  const attrs = { url: image.url, type: image.type, medium: "image", fileSize: image.length, width: image.width, height: image.height };
  if (image.caption || image.credit || image.alt) {
    x.open("media:content", attrs);
    x.text("media:title", image.alt, { type: "plain" });
    x.text("media:text", image.caption);
    x.text("media:credit", image.credit);
    x.close("media:content");
  } else {
    x.empty("media:content", attrs);
  }
}

/**
 * The item's images: the lead image, then every other image of the body in document order, each a `media:content`
 * (for aggregators that build galleries), and the lead image again as `media:thumbnail`. Enclosures stay one per item
 * (the lead image), written by each format.
 */
export function writeMediaImages(x: XmlWriter, article: Pick<Article, "image" | "inlineImages">): void {
  const lead = article.image;
  if (lead) writeImage(x, lead);
  for (const image of article.inlineImages ?? []) writeImage(x, image);
  if (lead) x.empty("media:thumbnail", { url: lead.url, width: lead.width, height: lead.height });
}
