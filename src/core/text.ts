// Plain-text helpers shared by the model builders: excerpts and slugs.

/**
 * Cuts plain text at a word boundary near `max` characters and adds an ellipsis. Counts code points, so a cut never
 * splits a surrogate pair.
 */
export function excerpt(text: string, max = 280): string {
  const clean = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  const head = chars.slice(0, max).join("");
  const space = head.lastIndexOf(" ");
  const cut = space > max * 0.5 ? head.slice(0, space) : head;
  return cut.replace(/[\s,;:.\-–—]+$/u, "") + "…";
}

/**
 * The URL slug form of a name, used for sections, tags and authors: lowercase, letters and digits of any script,
 * runs of anything else become one hyphen.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** How many line breaks come before `index` in `text`: the 0-based line of that position. */
export function countLinesBefore(text: string, index: number): number {
  let line = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
