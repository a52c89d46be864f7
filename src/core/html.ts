// HTML escaping for text the project places into the HTML of feed content itself (lead figures, datelines), and its
// inverse for reading text back out of sanitised HTML. The pages escape through hono/html's template (src/http/html.ts).

/** Escapes text for HTML element content and quoted attribute values: `& < > " '` as numeric references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const NAMED: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/**
 * The text an HTML text or attribute value stands for: numeric references and the named ones sanitised HTML can hold
 * (sanitize-html writes `&amp;`, `&lt;`, `&gt;` and `&quot;`; this escaper writes numeric ones) decoded. Others stay.
 */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    const lower = e.toLowerCase();
    const code = lower.startsWith("#x") ? Number.parseInt(lower.slice(2), 16) : lower.startsWith("#") ? Number(lower.slice(1)) : undefined;
    if (code === undefined) return NAMED[lower] ?? whole;
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
