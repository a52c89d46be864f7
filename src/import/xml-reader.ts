// A bounded streaming XML reader for imports (saxes): the document's head, and each record (RSS item, Atom entry) as a small tree.
import { SaxesParser, type SaxesTagNS } from "saxes";

/** An element as the importers read it: namespace, local name, attributes by qualified name, and its content in order. */
export interface XmlElement {
  ns: string;
  name: string;
  attrs: Readonly<Record<string, string>>;
  /** `xml:lang` in force here (its own or inherited), if any. */
  lang?: string;
  children: (XmlElement | string)[];
}

/** What a document may cost at most, whatever it holds (docs/moving-in.md). */
export const XML_LIMITS = {
  /** Elements open at once: an RSS item needs 5, an Atom entry with XHTML content a few dozen. */
  depth: 100,
  /** Characters of one record (item, entry) and of the document's head: far above any article (4 MiB) with its metadata. */
  recordChars: 16 * 1024 * 1024,
  /** Characters the parser may take in without reporting anything (one text node): it buffers them. */
  quietChars: 32 * 1024 * 1024,
} as const;

/** The document is not XML the importer can read, or it is over a limit; nothing of it is imported. */
export class XmlRefusedError extends Error {
  readonly line?: number;
  constructor(message: string, line?: number) {
    super(message);
    this.name = "XmlRefusedError";
    this.line = line;
  }
}

export interface XmlReadOptions {
  /** Local names of the elements read as records (e.g. `item`, `entry`): each is handed to `onRecord`, then dropped. */
  records: ReadonlySet<string>;
  onRecord(record: XmlElement): void;
}

export interface XmlReadResult {
  /** The root element with everything but the records (the channel's or feed's own elements). */
  root: XmlElement;
  /** Errors the document has that lose nothing an article needs (characters XML forbids, undefined entities), counted. */
  recovered: number;
}

// Errors after which saxes goes on with the same text: a forbidden character (removed later by cleanText anyway), an
// entity it does not know (HTML's `&nbsp;` in a feed, kept as written, which the HTML parser then reads).
const RECOVERABLE = /(?:disallowed character\.|undefined entity\.|malformed character entity\.)$/;

/**
 * Reads an XML document from text chunks, bounded: nesting (XML_LIMITS.depth), each record's size, and text the parser
 * holds without a word. A DOCTYPE that declares entities is refused (saxes never expands them, but a document that
 * relies on them would import wrong; the billion-laughs file is one); no external resource is ever read. Throws
 * XmlRefusedError for a document that is not well-formed or over a limit.
 */
export async function readXml(chunks: AsyncIterable<string> | Iterable<string>, options: XmlReadOptions): Promise<XmlReadResult> {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let recordDepth = -1;
  let recordChars = 0;
  let headChars = 0;
  let quiet = 0;
  let recovered = 0;
  // The first problem ends the read at once: the parser is never asked to go on past a limit (with namespaces, each
  // element opened inside thousands of others costs saxes a walk up its scope chain).
  const fail = (message: string): never => {
    throw new XmlRefusedError(message, parser.line);
  };
  const count = (chars: number): void => {
    quiet = 0;
    if (recordDepth >= 0) {
      recordChars += chars;
      if (recordChars > XML_LIMITS.recordChars) fail(`an item larger than ${XML_LIMITS.recordChars / 1024 / 1024} MiB`);
    } else {
      headChars += chars;
      if (headChars > XML_LIMITS.recordChars)
        fail(`a feed head (outside its items) larger than ${XML_LIMITS.recordChars / 1024 / 1024} MiB`);
    }
  };
  const addText = (text: string): void => {
    count(text.length);
    const parent = stack.at(-1);
    if (!parent) return;
    const last = parent.children.at(-1);
    if (typeof last === "string") parent.children[parent.children.length - 1] = last + text;
    else parent.children.push(text);
  };
  parser.on("error", (error) => {
    if (RECOVERABLE.test(error.message)) recovered++;
    else fail(`not well-formed XML: ${error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, "")}`);
  });
  parser.on("doctype", (doctype) => {
    if (/<!ENTITY/i.test(doctype)) fail("a DOCTYPE that declares entities (refused: entity expansion is never done)");
  });
  parser.on("opentag", (tag: SaxesTagNS) => {
    if (stack.length >= XML_LIMITS.depth) fail(`elements nested more than ${XML_LIMITS.depth} deep`);
    const attrs: Record<string, string> = {};
    let size = tag.name.length;
    for (const [name, attr] of Object.entries(tag.attributes)) {
      attrs[name] = attr.value;
      size += name.length + attr.value.length;
    }
    const parent = stack.at(-1);
    const element: XmlElement = {
      ns: tag.uri,
      name: tag.local,
      attrs,
      lang: attrs["xml:lang"] ?? parent?.lang,
      children: [],
    };
    if (recordDepth < 0 && options.records.has(tag.local) && stack.length > 0) {
      recordDepth = stack.length;
      recordChars = 0;
    }
    count(size);
    parent?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.on("closetag", () => {
    const element = stack.pop()!;
    count(0);
    if (recordDepth === stack.length) {
      recordDepth = -1;
      // The record leaves the tree once handed over, so the tree holds the head only.
      const parent = stack.at(-1)!;
      parent.children.pop();
      options.onRecord(element);
    }
  });
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += 1 << 20) {
      const piece = chunk.slice(at, at + (1 << 20));
      quiet += piece.length;
      parser.write(piece);
      if (quiet > XML_LIMITS.quietChars) fail(`a text of more than ${XML_LIMITS.quietChars / 1024 / 1024} MiB in one piece`);
    }
  }
  parser.close();
  if (!root) throw new XmlRefusedError("no root element");
  return { root, recovered };
}

/** The text content of an element (its text and its descendants', in order). */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return "";
  let text = "";
  for (const child of element.children) text += typeof child === "string" ? child : textOf(child);
  return text;
}

/** The first child element with this local name (and namespace, when given). */
export function childOf(element: XmlElement | undefined, name: string, ns?: string | ((ns: string) => boolean)): XmlElement | undefined {
  if (!element) return undefined;
  for (const child of element.children) if (typeof child !== "string" && matches(child, name, ns)) return child;
  return undefined;
}

/** Every child element with this local name (and namespace, when given). */
export function childrenOf(element: XmlElement | undefined, name: string, ns?: string | ((ns: string) => boolean)): XmlElement[] {
  if (!element) return [];
  return element.children.filter((c): c is XmlElement => typeof c !== "string" && matches(c, name, ns));
}

function matches(element: XmlElement, name: string, ns?: string | ((ns: string) => boolean)): boolean {
  if (element.name !== name) return false;
  if (ns === undefined) return true;
  return typeof ns === "string" ? element.ns === ns : ns(element.ns);
}

/** HTML's void elements: written without an end tag (`</br>` would be read as a second `<br>`). */
const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

const escapeText = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The markup inside an element (Atom's `type="xhtml"` content), written back as HTML for the body converter. */
export function innerMarkup(element: XmlElement): string {
  let out = "";
  for (const child of element.children) {
    if (typeof child === "string") {
      out += escapeText(child);
      continue;
    }
    const attrs = Object.entries(child.attrs)
      .filter(([name]) => name !== "xmlns" && !name.startsWith("xmlns:"))
      .map(([name, value]) => ` ${name}="${escapeText(value).replace(/"/g, "&quot;")}"`)
      .join("");
    out += VOID.has(child.name) ? `<${child.name}${attrs}>` : `<${child.name}${attrs}>${innerMarkup(child)}</${child.name}>`;
  }
  return out;
}
