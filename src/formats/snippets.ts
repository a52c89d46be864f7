// One article as each format writes it, for the editor's preview: exactly the item every feed of that format carries.
import type { Article } from "../core/model.ts";
import { FORMATS } from "./index.ts";

export interface FormatSnippet {
  label: string;
  /** The item exactly as the format's renderer writes it (the `<item>`, the `<entry>`, or the JSON item object). */
  text: string;
}

/** Each format's item for this article; JSON is indented for reading, XML loses only the document's indentation. */
export function itemSnippets(article: Article): FormatSnippet[] {
  return FORMATS.map((format) => {
    const item = format.renderItem(article);
    return { label: format.label, text: format.id === "json" ? JSON.stringify(JSON.parse(item), null, 2) : dedent(item) };
  });
}

function dedent(text: string): string {
  // Indentation comes from the writer's nesting; CDATA lines inside keep their own, so strip only up to the item's.
  const indent = /^ */.exec(text)![0].length;
  return text
    .split("\n")
    .map((l) => l.slice(Math.min(indent, /^ */.exec(l)![0].length)))
    .join("\n")
    .trimEnd();
}
