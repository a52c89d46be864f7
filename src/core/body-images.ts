// The images an article's body shows, in document order, with the alt text, caption and credit its markup gives
// them: what Media RSS announces after the lead image, for aggregators that build galleries from a feed.
import { decodeHtmlEntities } from "./html.ts";
import { type ImageFacts, localImageFile, mimeFromExtension } from "./images.ts";
import type { LeadImage } from "./model.ts";

export interface BodyImageContext {
  /** SITE_URL (which may include a base path): `SITE_URL/images/…` is a local image. */
  siteUrl: string;
  /** The measured facts of a local image file (`images/x.jpg`), when known. */
  facts(file: string): ImageFacts | undefined;
  /** URLs to leave out (the lead image, already announced first). */
  exclude?: readonly string[];
}

interface OpenFigure {
  images: LeadImage[];
  /** Text of the figcaption outside the credit, and of the credit, as it is read. */
  caption: string[];
  credit: string[];
}

/** Tags, attributes and text of sanitised HTML: sanitize-html writes every attribute double-quoted and escapes `<`, `>`, `"` in values. */
const TOKEN = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>|([^<]+)/g;
const ATTRIBUTE = /([^\s=]+)(?:="([^"]*)")?/g;

const clean = (parts: readonly string[]): string | undefined => {
  const text = parts.join("").replace(/\s+/g, " ").trim();
  return text || undefined;
};

/**
 * Every `<img>` of sanitised body HTML, in document order, each once (by URL): alt from `alt`; caption and credit from
 * the `<figcaption>` of the `<figure>` it is in (the credit is the text of an element of class `credit` in it, the way
 * the lead figure is written), else the caption from the image's `title` (markdown's `![alt](src "title")`). Local
 * images carry their measured type, size and dimensions; remote ones the type their extension names.
 */
export function listInlineImages(html: string, ctx: BodyImageContext): LeadImage[] {
  const images: LeadImage[] = [];
  const seen = new Set(ctx.exclude ?? []);
  const figures: OpenFigure[] = [];
  // Where figcaption text goes: depth of the figcaption and of a credit element inside it, per open figure.
  let inCaption = 0;
  let creditDepth = 0;
  let depth = 0;
  for (const m of html.matchAll(TOKEN)) {
    const [, closing, rawName, rawAttributes, text] = m;
    const figure = figures.at(-1);
    if (text !== undefined) {
      if (figure && inCaption) (creditDepth ? figure.credit : figure.caption).push(decodeHtmlEntities(text));
      continue;
    }
    const name = rawName!.toLowerCase();
    if (closing) {
      if (name === "figure") {
        const done = figures.pop();
        const caption = done && clean(done.caption);
        const credit = done && clean(done.credit);
        for (const image of done?.images ?? []) {
          if (caption) image.caption = caption;
          if (credit) image.credit = credit;
        }
      } else if (name === "figcaption") inCaption = 0;
      else if (creditDepth && depth === creditDepth) creditDepth = 0;
      if (!VOID.has(name)) depth--;
      continue;
    }
    const attributes = new Map<string, string>();
    for (const [, key, value] of rawAttributes!.matchAll(ATTRIBUTE)) attributes.set(key!.toLowerCase(), decodeHtmlEntities(value ?? ""));
    if (!VOID.has(name)) depth++;
    if (name === "figure") figures.push({ images: [], caption: [], credit: [] });
    else if (name === "figcaption" && figure) inCaption = depth;
    else if (inCaption && !creditDepth && (attributes.get("class") ?? "").split(/\s+/).includes("credit")) creditDepth = depth;
    else if (name === "img") {
      const url = attributes.get("src");
      if (!url || seen.has(url)) continue;
      seen.add(url);
      const image = describe(url, attributes, ctx);
      images.push(image);
      figure?.images.push(image);
    }
  }
  return images;
}

/** Void elements: they never close, so they change no depth. */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

function describe(url: string, attributes: ReadonlyMap<string, string>, ctx: BodyImageContext): LeadImage {
  const file = url.startsWith(ctx.siteUrl + "/") ? localImageFile(url.slice(ctx.siteUrl.length)) : undefined;
  const facts = file ? ctx.facts(file) : undefined;
  const image: LeadImage = { url };
  const alt = attributes.get("alt")?.trim();
  if (alt) image.alt = alt;
  const title = attributes.get("title")?.trim();
  if (title) image.caption = title;
  if (facts) Object.assign(image, { type: facts.type, length: facts.length, width: facts.width, height: facts.height });
  else {
    const type = mimeFromExtension(url);
    if (type) image.type = type;
  }
  return image;
}
