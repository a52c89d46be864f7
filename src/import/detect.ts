// What an input file is, from its first bytes (never its name): a WordPress export, an RSS or Atom feed, a JSON Feed, or neither.

export type InputKind = "wxr" | "rss" | "atom" | "json-feed";

export type Detected = { kind: InputKind; encoding: string } | { kind: "other"; why: string };

/** Bytes read to decide: the XML declaration, any comments, and the root element's start tag with its namespaces. */
export const SNIFF_BYTES = 16 * 1024;

/**
 * Decides from the start of a file. XML: the encoding from the byte order mark or the XML declaration (UTF-8 by
 * default, as XML 1.0 §4.3.3 says), then the root element: `rss` declaring WordPress's export namespace is WXR, other
 * `rss` is RSS, Atom's `feed` is Atom. JSON: an object naming a jsonfeed.org version.
 */
export function detectInput(head: Uint8Array): Detected {
  if (head[0] === 0xfe && head[1] === 0xff) return detectText(new TextDecoder("utf-16be").decode(head), "utf-16be");
  if (head[0] === 0xff && head[1] === 0xfe) return detectText(new TextDecoder("utf-16le").decode(head), "utf-16le");
  const ascii = new TextDecoder("latin1").decode(head);
  const declared = /^\uFEFF?\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(ascii.replace(/^\xEF\xBB\xBF/, ""))?.[1];
  let encoding = "utf-8";
  if (declared) {
    try {
      encoding = new TextDecoder(declared).encoding;
    } catch {
      return { kind: "other", why: `an XML document in an encoding this importer cannot read (${declared})` };
    }
  }
  return detectText(new TextDecoder(encoding).decode(head), encoding);
}

function detectText(text: string, encoding: string): Detected {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) {
    return /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\/1/.test(start)
      ? { kind: "json-feed", encoding: "utf-8" }
      : { kind: "other", why: "JSON that is not a JSON Feed (no jsonfeed.org version)" };
  }
  if (!start.startsWith("<")) return { kind: "other", why: "neither XML nor JSON" };
  // Past the prolog: the XML declaration, processing instructions, comments and a DOCTYPE.
  const body = start.replace(/^(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>\s*)*/i, "");
  const root = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)([^>]*)>?/.exec(body);
  if (!root) return { kind: "other", why: "XML whose root element could not be found at its start" };
  const name = root[1]!;
  const attrs = root[2] ?? "";
  if (/^html$/i.test(name)) return { kind: "other", why: "an HTML page, not a feed" };
  if (name === "rss") {
    return /xmlns:\w+\s*=\s*["']https?:\/\/wordpress\.org\/export\/[\d.]+\/["']/.test(attrs)
      ? { kind: "wxr", encoding }
      : { kind: "rss", encoding };
  }
  if (/(?:^|:)feed$/.test(name) && /["']http:\/\/www\.w3\.org\/2005\/Atom["']/.test(attrs)) return { kind: "atom", encoding };
  if (/(?:^|:)RDF$/.test(name)) return { kind: "other", why: "an RSS 1.0 (RDF) feed, which this importer does not read" };
  return { kind: "other", why: `an XML document whose root is <${name}>, not RSS, Atom or a WordPress export` };
}
