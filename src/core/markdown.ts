// Markdown to safe HTML: CommonMark plus tables and footnotes, sanitised, every URL made absolute.
import MarkdownIt, { type Token } from "markdown-it";
import footnote from "markdown-it-footnote";
import sanitizeHtml from "sanitize-html";
import { appendFootnotes } from "./footnote-tail.ts";
import { countUtf8Bytes, LIMITS } from "./limits.ts";

/** markdown-it as the site uses it: CommonMark, tables, footnotes (with a linear tail); raw HTML passed on if `html`. */
export function createMarkdownParser(html: boolean) {
  const parser = new MarkdownIt({ html, linkify: false, typographer: false }).use(footnote);
  // The plugin's own tail copies the whole token list once per footnote (quadratic: 9 s for 250 notes in a long body).
  parser.core.ruler.at("footnote_tail", appendFootnotes);
  return parser;
}

const md = createMarkdownParser(true);

/**
 * Token lists `measureRenderedHtml` parsed, by source, for `renderMarkdown` to take instead of parsing the same body
 * again: publishing checks a body's rendered size and then renders it (each a full markdown-it parse, about a tenth of
 * an import's CPU). Taken once; bounded, oldest out first, so bodies that are only checked (`npm run check`, refused
 * articles) hold little. Rendering does not change a token list (markdown-it's image rule sets `alt` to what it
 * already renders to), so a reused list renders to the same bytes as a fresh one.
 */
const parsedBodies = new Map<string, Token[]>();
/** A publish group's bodies (PUBLISH_GROUP: 200 articles) are all checked before the first is rendered; about 16 KB each. */
const PARSED_BODIES_KEPT = 256;
/**
 * And at most this many characters of source among them (a group holds at most 2 MiB of markdown): the count alone
 * would let a few hundred large bodies that were checked and never rendered (refused ones) stay in the isolate.
 */
const PARSED_SOURCE_CHARS_KEPT = 4 * 1024 * 1024;
let parsedSourceChars = 0;

function forgetParsed(source: string): void {
  if (parsedBodies.delete(source)) parsedSourceChars -= source.length;
}

function keepParsed(source: string, tokens: Token[]): void {
  forgetParsed(source);
  parsedBodies.set(source, tokens);
  parsedSourceChars += source.length;
  while (parsedBodies.size > PARSED_BODIES_KEPT || parsedSourceChars > PARSED_SOURCE_CHARS_KEPT) {
    forgetParsed(parsedBodies.keys().next().value!);
  }
}

function takeParsed(source: string): Token[] {
  const tokens = parsedBodies.get(source);
  if (tokens === undefined) return md.parse(source, {});
  forgetParsed(source);
  return tokens;
}

/** For a body whose raw HTML nests too deep to sanitise cheaply: the same markdown with its HTML shown as text. */
const mdWithoutHtml = createMarkdownParser(false);

/** markdown-it's nesting limit as the site's parser has it (its preset's `maxNesting`): a block opened this deep is dropped, silently. */
export const MARKDOWN_MAX_NESTING: number = md.options.maxNesting;
/** The site's parser allowed a little deeper, to see what the renderer would drop (still bounded). */
const nestingProbe = createMarkdownParser(true).set({ maxNesting: MARKDOWN_MAX_NESTING + 20 });

/**
 * The 0-based line of the first block markdown-it would drop because it sits `MARKDOWN_MAX_NESTING` levels deep
 * (quotes and lists inside each other), or undefined. Reaching that depth takes a long run of container markers or
 * indentation at the start of some line, so a body without one is not parsed here at all.
 */
export function markdownNestingOverflow(body: string): number | undefined {
  if (!/^[ \t>*+\-0-9.)]{20,}/m.test(body)) return undefined;
  const deep = nestingProbe.parse(body, {}).find((t) => t.type !== "inline" && t.level >= MARKDOWN_MAX_NESTING);
  return deep ? (deep.map?.[0] ?? 0) : undefined;
}

/** What a body renders to, as `measureRenderedHtml` found it. */
export interface RenderedSize {
  /** UTF-8 bytes of the sanitised HTML, counted until they pass the budget (then counting stops: at least this many). */
  bytes: number;
  /** Whether they pass the budget. */
  over: boolean;
  /**
   * Where most of those bytes come from: the top-level block (paragraph, table, list…) that rendered to the most, as
   * its 0-based first and last lines in the body, and within it the line that rendered to the most; each with its
   * bytes, and the kind of markup most of the block's bytes are.
   */
  heaviest: { block: { first: number; last: number; bytes: number }; line: { line: number; bytes: number }; kind: RenderedKind };
}

/** What rendered bytes are made of, for naming the cause of a blow-up. */
export type RenderedKind = "footnote references" | "links" | "images" | "table cells" | "headings" | "raw HTML" | "code" | "text";

const KIND_OF: Readonly<Record<string, RenderedKind>> = {
  footnote_ref: "footnote references",
  footnote_anchor: "footnote references",
  link_open: "links",
  link_close: "links",
  image: "images",
  td_open: "table cells",
  td_close: "table cells",
  th_open: "table cells",
  th_close: "table cells",
  tr_open: "table cells",
  tr_close: "table cells",
  heading_open: "headings",
  heading_close: "headings",
  html_block: "raw HTML",
  html_inline: "raw HTML",
  code_inline: "code",
  code_block: "code",
  fence: "code",
};

/** An attribute holding a URL that the sanitiser makes absolute, in markdown-it's output (always double-quoted). */
const URL_ATTRIBUTE = /\s(?:href|src)="([^"]*)"/g;
const SELF_CLOSED = /<(?:br|hr|img)\b/g;

/**
 * The size of the HTML `renderMarkdown` would make of `source`, found without building it, in time bounded by
 * `budget`: each token is rendered on its own, by markdown-it's own rules, and counted, and the count stops once it
 * passes `budget`. What the sanitiser then changes is added: a relative link or image (`#fn1`, `x.jpg`, `/images/…`)
 * is counted at the length it has once made absolute against the page's URL, an absolute URL without a path gains its
 * `/`, and a void element gains ` /`; everything else the sanitiser does to markdown's own HTML keeps or removes bytes.
 * Raw HTML can be mis-nested, which the sanitiser repairs by adding elements: a body that has any, and whose count
 * stays within the budget (so its whole HTML is at most about that size), is rendered for real and measured.
 * Tests hold the count at or above the rendered size, and close to it.
 *
 * Markup that repeats can render to many times its size (a footnote referenced thousands of times adds a reference
 * and a link back under the notes each time; a reference-style link repeats its URL at every use; table cells), so
 * the block and line that rendered to the most are kept, for a refusal to name.
 */
export function measureRenderedHtml(source: string, base: UrlBase, budget: number): RenderedSize {
  const env = {};
  const tokens = md.parse(source, env);
  const { rules } = md.renderer;
  const options = md.options;
  const absoluteGrowth = countUtf8Bytes(base.pageUrl);
  const lines = new Map<number, number>();
  const blocks = new Map<number, { last: number; bytes: number; kinds: Map<RenderedKind, number> }>();
  // A footnote's references and their links back count at the reference's line: the repeats are the cause.
  const references = new Map<string, { line: number; block: number }>();
  /** The last line of each top-level block, by its first. */
  const blockEnds = new Map<number, number>();
  let rawHtml = false;
  let total = 0;
  let line = 0;
  let block = 0;

  const add = (bytes: number, kind: RenderedKind, at: number, inBlock: number): void => {
    total += bytes;
    lines.set(at, (lines.get(at) ?? 0) + bytes);
    const entry = blocks.get(inBlock) ?? { last: inBlock, bytes: 0, kinds: new Map<RenderedKind, number>() };
    blocks.set(inBlock, entry);
    entry.bytes += bytes;
    entry.last = Math.max(entry.last, at);
    entry.kinds.set(kind, (entry.kinds.get(kind) ?? 0) + bytes);
  };
  const count = (piece: string, kind: RenderedKind, at: number, inBlock: number): void => {
    let bytes = countUtf8Bytes(piece);
    if (piece.includes('="')) {
      for (const m of piece.matchAll(URL_ATTRIBUTE)) {
        if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1]!)) bytes += absoluteGrowth;
        else if (/^https?:\/\/[^/?#]*$/i.test(m[1]!)) bytes += 1;
      }
    }
    if (piece.includes("<")) bytes += 2 * (piece.match(SELF_CLOSED)?.length ?? 0);
    add(bytes, kind, at, inBlock);
  };
  const render = (list: Token[], i: number): string => {
    const rule = rules[list[i]!.type];
    return rule ? rule(list, i, options, env, md.renderer) : md.renderer.renderToken(list, i, options);
  };
  const kindOf = (token: Token): RenderedKind => KIND_OF[token.type] ?? "text";

  for (let i = 0; i < tokens.length && total <= budget; i++) {
    const token = tokens[i]!;
    if (token.map) {
      line = token.map[0];
      if (token.level === 0) {
        block = line;
        blockEnds.set(block, token.map[1] - 1);
      }
    }
    if (token.type === "inline") {
      const children = token.children ?? [];
      let at = line;
      for (let j = 0; j < children.length && total <= budget; j++) {
        const child = children[j]!;
        if (child.type === "softbreak" || child.type === "hardbreak") at++;
        if (child.type === "html_inline") rawHtml = true;
        if (child.type === "footnote_ref") references.set(footnoteKey(child), { line: at, block });
        count(render(children, j), kindOf(child), at, block);
      }
      continue;
    }
    if (token.type === "html_block") rawHtml = true;
    const reference = token.type === "footnote_anchor" ? references.get(footnoteKey(token)) : undefined;
    count(render(tokens, i), kindOf(token), reference?.line ?? line, reference?.block ?? block);
  }
  if (total <= budget && rawHtml) {
    const rendered = countUtf8Bytes(renderMarkdown(source, base).html);
    const first = tokens.find((t) => t.type === "html_block" || t.children?.some((c) => c.type === "html_inline"));
    const at = first?.map?.[0] ?? 0;
    if (rendered > total) add(rendered - total, "raw HTML", at, first?.level === 0 ? at : block);
  }
  keepParsed(source, tokens);

  let heaviest: RenderedSize["heaviest"] = { block: { first: 0, last: 0, bytes: 0 }, line: { line: 0, bytes: 0 }, kind: "text" };
  for (const [first, entry] of blocks) {
    if (entry.bytes <= heaviest.block.bytes) continue;
    const kind = [...entry.kinds].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    heaviest = {
      block: { first, last: Math.max(entry.last, blockEnds.get(first) ?? first), bytes: entry.bytes },
      line: heaviest.line,
      kind,
    };
  }
  for (const [at, bytes] of lines) {
    if (at < heaviest.block.first || at > heaviest.block.last || bytes <= heaviest.line.bytes) continue;
    heaviest.line = { line: at, bytes };
  }
  return { bytes: total, over: total > budget, heaviest };
}

function footnoteKey(token: Token): string {
  const meta = token.meta as { id: number; subId?: number };
  return `${meta.id}:${meta.subId ?? 0}`;
}

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

export interface RenderOptions {
  /**
   * HTML placed after the body's first top-level block (its first paragraph, heading, list, table…), or alone for an
   * empty body, and sanitised with it: the lead figure. Readers that excerpt the content (sfeed, newsboat, rss2email's
   * text mails, link previews) then start with the article's words rather than the photo's caption and credit.
   */
  afterFirstBlock?: string;
}

type Parser = ReturnType<typeof createMarkdownParser>;

/**
 * Renders an article body to sanitised HTML with absolute URLs. The cost is bounded by the body's size (the check
 * refuses bodies over LIMITS.bodyBytes): if raw HTML opens more than LIMITS.renderHtmlDepth elements at once, which
 * would make the HTML parser's work grow with the square of the depth, the body is rendered again with its HTML as text.
 */
export function renderMarkdown(source: string, base: UrlBase, options: RenderOptions = {}): RenderedMarkdown {
  const tokens = takeParsed(source);
  const raw = renderWithInsert(md, tokens, options.afterFirstBlock);
  let html: string;
  try {
    html = sanitize(raw, base);
  } catch (error) {
    if (!(error instanceof NestingExceeded)) throw error;
    html = sanitize(renderWithInsert(mdWithoutHtml, mdWithoutHtml.parse(source, {}), options.afterFirstBlock), base);
  }
  return { html, firstParagraph: firstParagraphText(tokens) };
}

/** The tokens rendered, with `insert` after the first top-level block (the first token back at level 0 that closes one). */
function renderWithInsert(parser: Parser, tokens: ReturnType<Parser["parse"]>, insert: string | undefined): string {
  const env = {};
  if (insert === undefined) return parser.renderer.render(tokens, parser.options, env);
  const end = tokens.findIndex((t) => t.level === 0 && t.nesting <= 0 && t.block);
  const split = end < 0 ? tokens.length : end + 1;
  return (
    parser.renderer.render(tokens.slice(0, split), parser.options, env) +
    insert +
    parser.renderer.render(tokens.slice(split), parser.options, env)
  );
}

class NestingExceeded extends Error {}

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

/** A srcset with every candidate's URL made absolute; candidates whose URL is refused (data:, javascript:…) are dropped. */
export function absoluteSrcset(value: string, base: UrlBase): string {
  return parseSrcset(value)
    .flatMap(({ url, descriptors }) => {
      const abs = absoluteUrl(url, base);
      return abs ? [[abs, ...descriptors].join(" ")] : [];
    })
    .join(", ");
}

export interface SrcsetCandidate {
  url: string;
  descriptors: string[];
}

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\f" || c === "\r";

/**
 * Image candidates of a srcset, as the HTML standard's "parse a srcset attribute" finds them
 * (https://html.spec.whatwg.org/multipage/images.html#parsing-a-srcset-attribute): a URL runs to the next whitespace
 * (so the commas of a `data:` URL stay in it) less any trailing commas; descriptors run to a comma outside parentheses.
 * Candidates with invalid descriptors (not `Nw`, `Nx` or `Nh`, repeated, or `w` with `x`) are dropped, as browsers do.
 */
export function parseSrcset(input: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let pos = 0;
  while (true) {
    while (pos < input.length && (isSpace(input[pos]) || input[pos] === ",")) pos++;
    if (pos >= input.length) return candidates;
    const start = pos;
    while (pos < input.length && !isSpace(input[pos])) pos++;
    let url = input.slice(start, pos);
    const descriptors: string[] = [];
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
    } else {
      let current = "";
      let state: "descriptor" | "parens" | "after" = "descriptor";
      for (; ; pos++) {
        const c = input[pos];
        if (state === "descriptor") {
          if (isSpace(c)) {
            if (current) descriptors.push(current);
            current = "";
            state = "after";
          } else if (c === ",") {
            pos++;
            if (current) descriptors.push(current);
            break;
          } else if (c === undefined) {
            if (current) descriptors.push(current);
            break;
          } else {
            current += c;
            if (c === "(") state = "parens";
          }
        } else if (state === "parens") {
          if (c === undefined) {
            descriptors.push(current);
            break;
          }
          current += c;
          if (c === ")") state = "descriptor";
        } else if (c === undefined) {
          break;
        } else if (!isSpace(c)) {
          state = "descriptor";
          pos--;
        }
      }
    }
    if (url && areValidDescriptors(descriptors)) candidates.push({ url, descriptors });
  }
}

function areValidDescriptors(descriptors: readonly string[]): boolean {
  const kinds = new Set<string>();
  for (const d of descriptors) {
    const kind = /^\d+w$/.test(d) ? "w" : /^\d+h$/.test(d) ? "h" : /^(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?x$/i.test(d) ? "x" : undefined;
    if (!kind || kinds.has(kind)) return false;
    kinds.add(kind);
  }
  return !(kinds.has("w") && kinds.has("x")) && !(kinds.has("h") && !kinds.has("w"));
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

/**
 * What published content may hold, whatever wrote it: the tags, attributes, styles and URL schemes sanitize-html keeps.
 * The importer (src/import/html-to-markdown.ts) sanitises with the same policy, so imported markdown holds nothing
 * that rendering would drop.
 */
export const SANITIZE_POLICY = {
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
} satisfies sanitizeHtml.IOptions;

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
  // Elements htmlparser2 holds open (it opens and closes void elements at once), to stop before its cost per tag grows.
  let depth = 0;
  return sanitizeHtml(html, {
    onOpenTag: () => {
      if (++depth > LIMITS.renderHtmlDepth) throw new NestingExceeded();
    },
    onCloseTag: () => {
      depth--;
    },
    ...SANITIZE_POLICY,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: rewrite(attribs) }),
      img: (tagName, attribs) => ({ tagName, attribs: rewrite(attribs) }),
      source: (tagName, attribs) => ({ tagName, attribs: rewrite(attribs) }),
    },
  });
}
