// schema.org NewsArticle as JSON-LD for article pages (what search engines and link previews read), and the one
// escaping that makes JSON safe inside an HTML <script type="application/ld+json"> element.
import { formatRfc3339InZone } from "../core/dates.ts";
import { scopePath } from "../core/feed-plan.ts";
import type { Article, Author } from "../core/model.ts";
import type { SiteSettings } from "../core/settings.ts";

/** A JSON-LD node: schema.org terms (under the `https://schema.org` context) and JSON-LD keywords. */
export type JsonLdNode = { readonly [term: string]: JsonLdValue };
export type JsonLdValue = string | number | boolean | JsonLdNode | readonly JsonLdValue[];

/** An image that stands for the publisher (SITE_LOGO), with its size when known. */
export interface PublisherLogo {
  url: string;
  width?: number;
  height?: number;
}

/** The publisher, as schema.org's `publisher` of every article: the site, with its logo when one is configured. */
export function publisherNode(site: SiteSettings, logo?: PublisherLogo): JsonLdNode {
  return {
    "@type": "Organization",
    name: site.title,
    url: `${site.url}/`,
    ...(logo ? { logo: imageNode(logo) } : {}),
  };
}

function imageNode(image: { url: string; width?: number; height?: number; caption?: string; credit?: string; type?: string }): JsonLdNode {
  return {
    "@type": "ImageObject",
    url: image.url,
    contentUrl: image.url,
    ...(image.type ? { encodingFormat: image.type } : {}),
    // schema.org's range is Distance or QuantitativeValue; plain pixel counts are what Google's examples and every
    // consumer we know of read.
    ...(image.width ? { width: image.width } : {}),
    ...(image.height ? { height: image.height } : {}),
    ...(image.caption ? { caption: image.caption } : {}),
    ...(image.credit ? { creditText: image.credit } : {}),
  };
}

/** An author as a Person with a URL: their own site when authors.yaml gives one, else their page here. The site itself is an Organization. */
function authorNode(author: Author, site: SiteSettings): JsonLdNode {
  const page = `${site.url}/${scopePath({ kind: "authors", slug: author.key, name: author.name })}`;
  if (author.key === "publisher" && author.name === site.title)
    return { "@type": "Organization", name: author.name, url: author.url ?? page };
  return { "@type": "Person", name: author.name, url: author.url ?? page };
}

/**
 * The article as a schema.org NewsArticle (schema.org/NewsArticle; Google's Article structured data): headline, the
 * dates with the site zone's offset, authors, lead image with its size, publisher, section, tags, language, and the
 * canonical URL as the main entity of the page.
 */
export function newsArticleJsonLd(article: Article, site: SiteSettings, logo?: PublisherLogo): JsonLdNode {
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    mainEntityOfPage: { "@type": "WebPage", "@id": article.url },
    url: article.url,
    headline: article.title,
    description: article.summary,
    datePublished: formatRfc3339InZone(article.published, site.timeZone),
    dateModified: formatRfc3339InZone(article.updated, site.timeZone),
    inLanguage: article.lang ?? site.language,
    author: article.authors.map((a) => authorNode(a, site)),
    publisher: publisherNode(site, logo),
    ...(article.image ? { image: [imageNode(article.image)] } : {}),
    ...(article.section ? { articleSection: article.section } : {}),
    ...(article.tags.length ? { keywords: [...article.tags] } : {}),
    ...(article.dateline ? { dateline: article.dateline } : {}),
  };
}

/**
 * JSON for the inside of a `<script>` element: `<`, `>` and `&` as `\u003c`-style escapes, so no `</script>` or
 * `<!--` can end or change the element (HTML §4.12.1.3), and U+2028/U+2029 escaped for readers that parse it as
 * JavaScript. The JSON value is unchanged.
 */
export function jsonForScript(value: JsonLdValue): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
