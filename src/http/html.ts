// HTML for the human pages: a tagged template that escapes every interpolated value unless it is marked as trusted.
import { ASSET_PATHS } from "../assets/paths.ts";
import { escapeHtml } from "../core/html.ts";
import { type TextDirection, textDirection } from "../core/language.ts";

/** Markup that is already safe: produced by `html` itself, or sanitised article HTML from the core. */
export class SafeHtml {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

type Value = SafeHtml | string | number | undefined | null | false | readonly Value[];

function render(value: Value): string {
  if (value === undefined || value === null || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * `html\`<p>${text}</p>\`` escapes `text` with the core's one HTML escaper (quotes included, so values are safe in
 * quoted attributes too). Arrays are joined; undefined, null and false render as nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup: only for HTML the core has sanitised (article bodies) or constant strings. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * The page shell shared by the index, facet, article and preview pages; `dir` is the direction of `lang`. Its
 * stylesheet is a static asset (src/assets/page.css, at its fingerprinted path under `siteUrl`).
 */
export function page(options: {
  lang: string;
  dir?: TextDirection;
  title: string;
  siteUrl: string;
  head?: SafeHtml;
  body: SafeHtml;
}): string {
  return html`<!doctype html>
<html lang="${options.lang}" dir="${options.dir ?? textDirection(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${options.title}</title>
${options.head}
<link rel="stylesheet" href="${options.siteUrl + ASSET_PATHS.pageCss}">
</head>
<body>
${options.body}
</body>
</html>
`.value;
}
