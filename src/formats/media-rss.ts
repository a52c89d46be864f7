// Media RSS (rssboard.org/media-rss) elements for a lead image, shared by the RSS and Atom renderers.
import type { LeadImage } from "../core/model.ts";
import type { XmlWriter } from "./xml.ts";

export const MEDIA_NS = "http://search.yahoo.com/mrss/";

/** `media:content` (medium, type, fileSize, width, height) with title (alt), description (caption) and credit; `media:thumbnail`. */
export function writeMediaImage(x: XmlWriter, image: LeadImage): void {
  const attrs = { url: image.url, type: image.type, medium: "image", fileSize: image.length, width: image.width, height: image.height };
  if (image.caption || image.credit || image.alt) {
    x.open("media:content", attrs);
    x.text("media:title", image.alt, { type: "plain" });
    x.text("media:description", image.caption, { type: "plain" });
    x.text("media:credit", image.credit);
    x.close("media:content");
  } else {
    x.empty("media:content", attrs);
  }
  x.empty("media:thumbnail", { url: image.url, width: image.width, height: image.height });
}
