// Markdown to safe HTML: CommonMark plus tables and footnotes, sanitised, every URL made absolute.
import MarkdownIt from "markdown-it";
import footnote from "markdown-it-footnote";
import sanitizeHtml from "sanitize-html";

const md = new MarkdownIt({ html: true, linkify: false, typographer: false }).use(footnote);

export interface RenderedMarkdown {
  html: string;
  /** The first paragraph as plain text (no markup, entities decoded), for a default summary. */
  firstParagraph: string;
}

/** Where relative URLs in a body resolve: root-relative ones under the site, others against the article's page. */
export interface UrlBase {
  /** SITE_URL, which may include a base path: `/images/x.jpg` becomes SITE_URL + `/images/x.jpg`. */
  siteUrl: string;
  /** The article's page on this site, for `x.jpg`, `../x` and `#fn1`. */
  pageUrl: string;
}

/** Renders an article body to sanitised HTML with absolute URLs. */
export function renderMarkdown(source: string, base: UrlBase): RenderedMarkdown {
  const tokens = md.parse(source, {});
  const raw = md.renderer.render(tokens, md.options, {});
  return { html: sanitize(raw, base), firstParagraph: firstParagraphText(tokens) };
}

function firstParagraphText(tokens: ReturnType<typeof md.parse>): string {
  const open = tokens.findIndex((t) => t.type === "paragraph_open");
  const inline = open >= 0 ? tokens[open + 1] : undefined;
  if (!inline?.children) return "";
  let text = "";
  for (const child of inline.children) {
    if (child.type === "text" || child.type === "code_inline") text += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") text += " ";
    else if (child.type === "html_inline") continue;
  }
  return text.trim();
}

/** Resolves a URL (RFC 3986 §5); returns undefined for anything that does not parse or is not http(s) or mailto. */
export function absoluteUrl(value: string, base: UrlBase): string | undefined {
  const trimmed = value.trim();
  try {
    const rootRelative = trimmed.startsWith("/") && !trimmed.startsWith("//");
    const url = rootRelative ? new URL(base.siteUrl + trimmed) : new URL(trimmed, base.pageUrl);
    if (url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:") return url.href;
  } catch {
    // falls through: an unparseable URL is dropped rather than passed on
  }
  return undefined;
}

function absoluteSrcset(value: string, base: UrlBase): string {
  return value
    .split(",")
    .map((candidate) => {
      const [url, ...descriptor] = candidate.trim().split(/\s+/);
      const abs = url ? absoluteUrl(url, base) : undefined;
      return abs ? [abs, ...descriptor].join(" ") : "";
    })
    .filter(Boolean)
    .join(", ");
}

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  "img",
  "figure",
  "figcaption",
  "picture",
  "source",
  "del",
  "ins",
  "sup",
  "sub",
  "section",
  "details",
  "summary",
];

function sanitize(html: string, base: UrlBase): string {
  const rewrite = (attribs: Record<string, string>): Record<string, string> => {
    const out: Record<string, string> = { ...attribs };
    for (const name of ["href", "src"] as const) {
      if (out[name] === undefined) continue;
      const abs = absoluteUrl(out[name], base);
      if (abs) out[name] = abs;
      else delete out[name];
    }
    if (out.srcset !== undefined) out.srcset = absoluteSrcset(out.srcset, base);
    return out;
  };
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      "*": ["id", "class", "title", "lang", "dir"],
      a: ["href", "name", "rel"],
      img: ["src", "srcset", "sizes", "alt", "width", "height", "loading"],
      source: ["srcset", "sizes", "type", "media"],
      td: ["align", "colspan", "rowspan", "style"],
      th: ["align", "colspan", "rowspan", "scope", "style"],
      ol: ["start", "reversed", "type"],
    },
    allowedStyles: { td: { "text-align": [/^(left|right|center)$/] }, th: { "text-align": [/^(left|right|center)$/] } },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesAppliedToAttributes: ["href", "src", "srcset"],
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: rewrite(attribs) }),
      img: (tagName, attribs) => ({ tagName, attribs: rewrite(attribs) }),
      source: (tagName, attribs) => ({ tagName, attribs: rewrite(attribs) }),
    },
  });
}
