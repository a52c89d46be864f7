// One article as each format writes it: the item cut out of a one-item feed, for the editor's preview.
import type { ArticleRecord } from "../core/article.ts";
import { buildFeed } from "../core/feed.ts";
import type { SiteSettings } from "../core/settings.ts";
import { FORMATS, feedUrls } from "./index.ts";

export interface FormatSnippet {
  label: string;
  /** The item exactly as the format's renderer writes it (the `<item>`, the `<entry>`, or the JSON item object). */
  text: string;
}

/** Each format's rendering of this one article, cut out of a one-item feed. */
export function itemSnippets(record: ArticleRecord, site: SiteSettings): FormatSnippet[] {
  const feed = buildFeed({ site, records: [record], urls: feedUrls(site.url + "/") });
  return FORMATS.map((format) => {
    const out = format.render(feed);
    if (out.trimStart().startsWith("{")) {
      const items = (JSON.parse(out) as { items?: unknown[] }).items ?? [];
      return { label: format.label, text: JSON.stringify(items[0], null, 2) };
    }
    const m = /^[ \t]*<(item|entry)[\s>][\s\S]*?^[ \t]*<\/\1>/m.exec(out);
    return { label: format.label, text: m ? dedent(m[0]) : out };
  });
}

function dedent(text: string): string {
  // Indentation comes from the writer's nesting; CDATA lines inside keep their own, so strip only up to the item's.
  const indent = /^ */.exec(text)![0].length;
  return text
    .split("\n")
    .map((l) => l.slice(Math.min(indent, /^ */.exec(l)![0].length)))
    .join("\n");
}
