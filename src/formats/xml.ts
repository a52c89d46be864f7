// The only code that escapes XML: text and attribute escaping, CDATA, and a small writer.
import { cleanText } from "../core/text.ts";

// Characters XML 1.0 forbids are removed by the one text cleaner every format shares (core/text.ts); the escapers
// below apply it again, so no input reaches a document uncleaned.
export { cleanText as cleanXmlChars } from "../core/text.ts";

/** Character data for element content; a carriage return is a reference so XML line-end handling (§2.11) keeps it. */
export function escapeText(text: string): string {
  return cleanText(text).replace(/[&<>\r]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#13;"));
}

/** An attribute value in double quotes; tabs and newlines as references so attribute normalisation keeps them. */
export function escapeAttr(text: string): string {
  return cleanText(text).replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A CDATA section; `]]>` inside is split across two sections, so no input can end it early. Line ends are
 * normalised to LF here, as any XML parser would (§2.11), so what we write is exactly what readers get.
 */
export function cdata(text: string): string {
  let clean = cleanText(text);
  // indexOf is a fast scan; most bodies have neither, and skip both rewrites.
  if (clean.includes("\r")) clean = clean.replace(/\r\n?/g, "\n");
  if (clean.includes("]]>")) clean = clean.replaceAll("]]>", "]]]]><![CDATA[>");
  return `<![CDATA[${clean}]]>`;
}

/**
 * Text or an attribute value as written above, read back: the five predefined entities and character references
 * (what `escapeText` and `escapeAttr` write), as an XML parser reads them.
 */
export function unescapeXml(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g, (_m, hex: string, dec: string, name: string) => {
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number.parseInt(dec, 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[name]!;
  });
}

/** Plain text placed where readers expect HTML (RSS description): escaped for HTML first, then for XML. */
export function escapeTextAsHtml(text: string): string {
  return escapeText(text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;")));
}

export type Attrs = Readonly<Record<string, string | number | undefined>>;

function attributes(attrs: Attrs | undefined): string {
  if (!attrs) return "";
  let out = "";
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) out += ` ${name}="${escapeAttr(String(value))}"`;
  }
  return out;
}

export interface XmlWriterOptions {
  /**
   * A CSS stylesheet for people who open the document in a browser, written as an `<?xml-stylesheet?>` processing
   * instruction (XML Stylesheet PI 1.0). Feed readers ignore it; off unless asked for.
   */
  stylesheet?: string;
  /** Write a fragment to be placed at this depth in a document: no XML declaration. */
  fragmentDepth?: number;
}

/** Builds an indented XML document; every value passes through the escapers above. */
export class XmlWriter {
  /** What came before the last `raw` text: markup and raw texts, each kept whole (see `parts`). */
  #parts: string[] = [];
  #out: string;
  #depth: number;

  constructor(options: XmlWriterOptions = {}) {
    this.#depth = options.fragmentDepth ?? 0;
    this.#out = options.fragmentDepth === undefined ? '<?xml version="1.0" encoding="utf-8"?>\n' : "";
    if (options.stylesheet !== undefined) this.#out += `<?xml-stylesheet type="text/css" href="${escapeAttr(options.stylesheet)}"?>\n`;
  }

  #line(s: string): void {
    this.#out += "  ".repeat(this.#depth) + s + "\n";
  }

  open(name: string, attrs?: Attrs): this {
    this.#line(`<${name}${attributes(attrs)}>`);
    this.#depth++;
    return this;
  }

  close(name: string): this {
    this.#depth--;
    this.#line(`</${name}>`);
    return this;
  }

  /** An element with escaped text; skipped when the value is undefined. */
  text(name: string, value: string | undefined, attrs?: Attrs): this {
    if (value !== undefined) this.#line(`<${name}${attributes(attrs)}>${escapeText(value)}</${name}>`);
    return this;
  }

  /** An element whose text is HTML in a CDATA section. */
  cdata(name: string, html: string, attrs?: Attrs): this {
    this.#line(`<${name}${attributes(attrs)}>${cdata(html)}</${name}>`);
    return this;
  }

  /** An element whose content is plain text that readers will treat as HTML. */
  htmlText(name: string, value: string, attrs?: Attrs): this {
    this.#line(`<${name}${attributes(attrs)}>${escapeTextAsHtml(value)}</${name}>`);
    return this;
  }

  empty(name: string, attrs?: Attrs): this {
    this.#line(`<${name}${attributes(attrs)}/>`);
    return this;
  }

  /**
   * Text this writer's own elements produced elsewhere (an item written by the same format at this depth), as one
   * string or as the pieces it is made of (each kept a piece of its own).
   */
  raw(text: string | readonly string[]): this {
    this.#parts.push(this.#out);
    if (typeof text === "string") this.#parts.push(text);
    else this.#parts.push(...text);
    this.#out = "";
    return this;
  }

  /**
   * The document as the pieces it was written in, in order: each raw text is its own piece, never copied into the
   * markup around it, so a stored item reaches the response's bytes without first being copied into one string.
   */
  parts(): string[] {
    return [...this.#parts, this.#out];
  }

  toString(): string {
    return this.parts().join("");
  }
}
