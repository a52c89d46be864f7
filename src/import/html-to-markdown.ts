// A post's body to markdown: WordPress's paragraphs and shortcodes expanded, sanitised with the site's policy, converted by turndown.
import { autop } from "@wordpress/autop";
import * as shortcode from "@wordpress/shortcode";
import sanitizeHtml from "sanitize-html";
import TurndownService from "turndown";
import { LIMITS } from "../core/limits.ts";
import { SANITIZE_POLICY } from "../core/markdown.ts";
import type { SourceImage } from "./model.ts";

/** What converting one body may cost: its size before conversion, and how many shortcodes it may hold (each is a scan). */
export const BODY_LIMITS = {
  /** Characters of a source body: twice the markdown body limit, room for the markup that conversion removes. */
  htmlChars: 2 * LIMITS.bodyBytes,
  /** Shortcode openings (`[name`) in one post: WordPress's shortcode pattern scans ahead for each one. */
  shortcodes: 200,
  /**
   * Elements in one body: turndown's cost grows with them (about 25 µs each here: 500,000 `<br>`s took 12 s), and a
   * long article has a few thousand.
   */
  elements: 50_000,
} as const;

/** A body the importer cannot convert; the post is named with this reason and not written. */
export class BodyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BodyRefusedError";
  }
}

export interface WordPressContext {
  /** Attachments by post id, for `[gallery ids="…"]`. */
  attachments?: ReadonlyMap<string, SourceImage>;
  /** This post's attached images, for `[gallery]` without ids. */
  attached?: readonly string[];
}

const SHORTCODE_NAME = /\[\[?([A-Za-z][\w-]*)(?![\w-])/g;

/** Refuses a source body over BODY_LIMITS.htmlChars before any work is done on it. */
export function checkBodySize(content: string): void {
  if (content.length > BODY_LIMITS.htmlChars)
    throw new BodyRefusedError(
      `a body of ${content.length.toLocaleString("en")} characters, over the ${BODY_LIMITS.htmlChars.toLocaleString("en")} the importer converts`,
    );
}

/**
 * WordPress post content as the site shows it: paragraphs from blank lines (wpautop, WordPress's own code in
 * @wordpress/autop; block-editor content already has its `<p>`s), then shortcodes: `[caption]` becomes a figure with
 * its caption, `[gallery]` the figures of its images, `[embed]`, `[video]`, `[audio]` and bare URLs WordPress would
 * embed become links; any other shortcode is removed, its content kept. Each change that loses something is a warning.
 */
export function expandWordPress(content: string, context: WordPressContext, warn: (message: string) => void): string {
  checkBodySize(content);
  const names = new Map<string, number>();
  let openings = 0;
  for (const m of content.matchAll(SHORTCODE_NAME)) {
    if (++openings > BODY_LIMITS.shortcodes) throw new BodyRefusedError(`more than ${BODY_LIMITS.shortcodes} shortcodes in one post`);
    names.set(m[1]!, (names.get(m[1]!) ?? 0) + 1);
  }
  let html = content.includes("<!-- wp:") ? content : autop(content);
  try {
    for (const name of names.keys()) {
      html = shortcode.replace(name, html, (code) => replaceShortcode(code, context, warn));
    }
  } finally {
    // The package memoises every attribute string it parses, without a bound: forget them after each post.
    shortcode.attrs.clear();
  }
  // A URL alone in a paragraph, or in a block-editor embed, is an embed in WordPress (YouTube, X, …): feeds cannot run it.
  html = html.replace(/<p>\s*(https?:\/\/[^\s<>"]+)\s*<\/p>/g, (_m, url: string) => {
    warn(`an embed of ${url} (a URL on its own line) is kept as a link`);
    return `<p><a href="${url}">${url}</a></p>`;
  });
  html = html.replace(/<div class="wp-block-embed__wrapper">\s*(https?:\/\/[^\s<>"]+)\s*<\/div>/g, (_m, url: string) => {
    warn(`an embed block of ${url} is kept as a link`);
    return `<p><a href="${url}">${url}</a></p>`;
  });
  return html;
}

function replaceShortcode(code: shortcode.Shortcode, context: WordPressContext, warn: (message: string) => void): string {
  const named = code.attrs.named;
  const content = code.content ?? "";
  switch (code.tag) {
    case "caption":
    case "wp_caption": {
      // `[caption]<img …> The caption[/caption]`, or the older `caption="…"` attribute.
      const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(content);
      if (!media) {
        warn(`[${code.tag}] without an image: its text is kept as a paragraph`);
        return `<p>${content}</p>`;
      }
      const caption = (named.caption ?? media[2] ?? "").trim();
      return `<figure>${media[1]}${caption ? `<figcaption>${caption}</figcaption>` : ""}</figure>`;
    }
    case "gallery": {
      const ids = named.ids
        ? named.ids
            .split(",")
            .map((id) => id.trim())
            .filter(Boolean)
        : [...(context.attached ?? [])];
      const images = ids.map((id) => context.attachments?.get(id)).filter((i): i is SourceImage => !!i);
      if (images.length < ids.length || !images.length) {
        warn(
          `[gallery${named.ids ? ` ids="${named.ids}"` : ""}]: ${ids.length - images.length} of ${ids.length} images are not in the export`,
        );
      }
      return images
        .map(
          (i) =>
            `<figure><img src="${attr(i.url)}" alt="${attr(i.alt ?? "")}">${i.caption ? `<figcaption>${escapeHtml(i.caption)}</figcaption>` : ""}</figure>`,
        )
        .join("\n");
    }
    case "embed": {
      const url = content.trim() || named.src || "";
      warn(`[embed] of ${url || "nothing"} cannot be carried in feeds: kept as a link`);
      return url ? `<p><a href="${attr(url)}">${escapeHtml(url)}</a></p>` : "";
    }
    case "video":
    case "audio": {
      const url = named.src ?? named.mp4 ?? named.webm ?? named.ogv ?? named.mp3 ?? named.m4a ?? named.ogg ?? named.wav ?? "";
      warn(`[${code.tag}] of ${url || "nothing"} cannot be carried in feeds: kept as a link`);
      return url ? `<p><a href="${attr(url)}">${escapeHtml(url)}</a></p>` : "";
    }
    default:
      warn(`[${code.tag}] is a WordPress shortcode with no equivalent here: removed${content.trim() ? ", its content kept" : ""}`);
      return content;
  }
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const attr = (text: string): string => escapeHtml(text).replace(/"/g, "&quot;");

/** Elements that hold media players or embeds: converted to a link to what they show (feeds cannot run them). */
const EMBEDS = new Set(["iframe", "video", "audio", "embed", "object"]);
const ALLOWED = new Set<string>(SANITIZE_POLICY.allowedTags);

export interface SanitizedBody {
  html: string;
  /** Absolute URLs of the images the body shows, in order, without repeats. */
  images: string[];
}

/**
 * Sanitises a body with the site's own policy (SANITIZE_POLICY, as rendering does), so the markdown written holds
 * nothing rendering would drop; URLs are made absolute against the post's old page; embeds (iframe, video, audio)
 * become links, and every element dropped is a warning. `imageSrc` gives the new `src` of an image (a local
 * `/images/…` path), or undefined to keep its URL. Nesting deeper than LIMITS.bodyHtmlDepth refuses the body, as the
 * check would, and so do more than BODY_LIMITS.elements elements.
 */
export function sanitizeBody(
  html: string,
  base: string | undefined,
  warn: (message: string) => void,
  imageSrc: (url: string) => string | undefined = () => undefined,
): SanitizedBody {
  const images: string[] = [];
  const dropped = new Map<string, number>();
  let depth = 0;
  let elements = 0;
  const absolute = (value: string | undefined): string | undefined => {
    if (!value) return undefined;
    try {
      const url = new URL(value.trim(), base);
      return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:" ? url.href : undefined;
    } catch {
      return undefined;
    }
  };
  const embedLink = (tagName: string, attribs: Record<string, string>) => {
    const url = absolute(attribs.src ?? attribs.data);
    if (url) warn(`an <${tagName}> of ${url} cannot be carried in feeds: kept as a link`);
    return url ? { tagName: "a", attribs: { href: url }, text: url } : { tagName: "span", attribs: {}, text: "" };
  };
  const out = sanitizeHtml(html, {
    ...SANITIZE_POLICY,
    // The old theme's classes and ids mean nothing here (and an id could clash with the footnotes' own).
    allowedAttributes: { ...SANITIZE_POLICY.allowedAttributes, "*": ["title", "lang", "dir"] },
    onOpenTag: (name) => {
      if (++depth > LIMITS.bodyHtmlDepth) throw new BodyRefusedError(`HTML nested more than ${LIMITS.bodyHtmlDepth} elements deep`);
      if (++elements > BODY_LIMITS.elements)
        throw new BodyRefusedError(`more than ${BODY_LIMITS.elements.toLocaleString("en")} HTML elements in one body`);
      if (!ALLOWED.has(name) && !EMBEDS.has(name) && !["html", "body", "span"].includes(name))
        dropped.set(name, (dropped.get(name) ?? 0) + 1);
    },
    onCloseTag: () => {
      depth--;
    },
    transformTags: {
      a: (tagName, attribs) => {
        const href = absolute(attribs.href);
        const { href: _href, ...rest } = attribs;
        return { tagName, attribs: href ? { ...rest, href } : rest };
      },
      img: (tagName, attribs) => {
        const url = absolute(attribs.src);
        const { src: _src, srcset: _srcset, sizes: _sizes, ...rest } = attribs;
        if (!url) return { tagName, attribs: rest };
        if (!images.includes(url)) images.push(url);
        const local = imageSrc(url);
        // A local copy is one file: the source's other sizes (srcset) are not imported.
        return { tagName, attribs: local ? { ...rest, src: local } : { ...rest, src: url } };
      },
      ...Object.fromEntries([...EMBEDS].map((name) => [name, embedLink])),
    },
  });
  for (const [name, count] of dropped) {
    warn(`<${name}> removed (${count} element${count === 1 ? "" : "s"}; not allowed in published content)`);
  }
  return { html: out, images };
}

// Block elements kept as HTML in the markdown (it allows sanitised HTML): markdown has no figure with a caption, and
// no table with merged cells. Inline ones markdown has no syntax for.
const KEPT_BLOCKS = ["figure", "table", "details"] as const;
const KEPT_INLINE = ["sup", "sub", "del", "ins"] as const;

const turndown = new TurndownService({
  headingStyle: "atx",
  codeBlockStyle: "fenced",
  bulletListMarker: "-",
  emDelimiter: "_",
  // A kept block must not hold a blank line: in markdown a blank line ends an HTML block.
  keepReplacement: (_content, node) => {
    const html = (node as unknown as { outerHTML: string }).outerHTML;
    return (node as unknown as { isBlock: boolean }).isBlock ? `\n\n${html.replace(/\n\s*\n/g, "\n")}\n\n` : html;
  },
});
turndown.keep([...KEPT_BLOCKS, ...KEPT_INLINE]);

/** Sanitised HTML to markdown with turndown (CommonMark: ATX headings, fenced code, `-` bullets). */
export function convertToMarkdown(html: string): string {
  return turndown.turndown(html).trim();
}

/** Plain text of an excerpt or title given as HTML: tags removed, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  const text = sanitizeHtml(html.replace(/<\/(?:p|div|li|h[1-6]|blockquote)>|<br\s*\/?>/gi, "$& "), {
    allowedTags: [],
    allowedAttributes: {},
  });
  // sanitize-html escapes exactly these four in text it writes.
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
