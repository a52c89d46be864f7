// OPML 2.0 (opml.org/spec2.opml) subscription list: every feed the site offers, so a reader can import them all.
import { XmlWriter } from "./xml.ts";

export interface OpmlFeed {
  title: string;
  description: string;
  xmlUrl: string;
  htmlUrl: string;
}

export interface OpmlDocument {
  title: string;
  /** Groups become folders in most readers. */
  groups: readonly { title: string; feeds: readonly OpmlFeed[] }[];
}

export const OPML_CONTENT_TYPE = "text/x-opml; charset=utf-8";

/** OPML 2.0 §"Subscription lists": `type="rss"` outlines (the spec's word for any feed) with text and xmlUrl. */
export function renderOpml(doc: OpmlDocument): string {
  const x = new XmlWriter();
  x.open("opml", { version: "2.0" });
  x.open("head");
  x.text("title", doc.title);
  x.text("docs", "http://opml.org/spec2.opml");
  x.close("head");
  x.open("body");
  for (const group of doc.groups) {
    if (!group.feeds.length) continue;
    x.open("outline", { text: group.title, title: group.title });
    for (const feed of group.feeds) {
      x.empty("outline", {
        type: "rss",
        version: "RSS2",
        text: feed.title,
        title: feed.title,
        description: feed.description,
        xmlUrl: feed.xmlUrl,
        htmlUrl: feed.htmlUrl,
      });
    }
    x.close("outline");
  }
  x.close("body");
  x.close("opml");
  return x.toString();
}
