// HTML escaping for text the project places into HTML itself (lead figures, datelines, pages); the one HTML escaper.

/** Escapes text for HTML element content and quoted attribute values: `& < > " '` as numeric references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
