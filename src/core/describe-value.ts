// Describes input values briefly for messages and logs: a message never quotes more than a few dozen characters of input.

/** Characters of a string a message quotes before cutting it with `…`. */
export const QUOTE_CHARS = 80;
/** Entries of a small list or map that a message still shows inline. */
const INLINE_ENTRIES = 6;

/**
 * A short description of any value, whatever its size: a string quoted up to QUOTE_CHARS characters with `…`, a number
 * or boolean as written, a small list or map of plain values inline (`["a", 1]`), anything larger by its shape
 * ("a list of 9 lists", "a map of 12 fields (a, b, …)"). The cost is bounded too: it looks at no more than a few entries.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid date" : value.toISOString();
  if (Array.isArray(value)) {
    if (value.length === 0) return "[] (an empty list)";
    const inline = formatInlineList(value);
    if (inline) return inline;
    return `a list of ${value.length} ${pluralise(classifyList(value), value.length)}`;
  }
  if (typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "{} (an empty map)";
    const inline = formatInlineMap(value as Record<string, unknown>, keys);
    if (inline) return inline;
    const shown = keys.slice(0, 3).map((k) => clip(k, 24));
    return `a map of ${keys.length} field${keys.length === 1 ? "" : "s"} (${shown.join(", ")}${keys.length > 3 ? ", …" : ""})`;
  }
  return `a ${typeof value}`;
}

/** A string as a JSON string literal, cut after QUOTE_CHARS characters with `…`, and its length when cut. */
export function quote(text: string, max = QUOTE_CHARS): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(clip(text, max))} (${text.length.toLocaleString("en")} characters)`;
}

/** Plain text cut after `max` UTF-16 units (never inside a surrogate pair) with `…`; for names such as field keys. */
export function clip(text: string, max = QUOTE_CHARS): string {
  if (text.length <= max) return text;
  const end = isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max;
  return text.slice(0, end) + "…";
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isPlain(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function formatPlain(value: string | number | boolean | null): string {
  return typeof value === "string" ? JSON.stringify(clip(value, 24)) : String(value);
}

function formatInlineList(list: readonly unknown[]): string | undefined {
  if (list.length > INLINE_ENTRIES || !list.every(isPlain)) return undefined;
  const text = `[${list.map(formatPlain).join(", ")}]`;
  return text.length <= QUOTE_CHARS ? text : undefined;
}

function formatInlineMap(map: Record<string, unknown>, keys: readonly string[]): string | undefined {
  if (keys.length > INLINE_ENTRIES || !keys.every((k) => k.length <= 24 && isPlain(map[k]))) return undefined;
  const text = `{ ${keys.map((k) => `${k}: ${formatPlain(map[k] as string | number | boolean | null)}`).join(", ")} }`;
  return text.length <= QUOTE_CHARS ? text : undefined;
}

type Kind = "string" | "number" | "boolean" | "list" | "map" | "empty value" | "item";

function classify(value: unknown): Kind {
  if (value === null || value === undefined) return "empty value";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "map";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "item";
}

/** The common kind of a list's entries, or "item" when they differ (stops at the first difference). */
function classifyList(list: readonly unknown[]): Kind {
  const first = classify(list[0]);
  for (const entry of list) if (classify(entry) !== first) return "item";
  return first;
}

function pluralise(kind: Kind, n: number): string {
  if (n === 1) return kind;
  return kind === "empty value" ? "empty values" : `${kind}s`;
}
