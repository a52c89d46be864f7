// HTML for the human pages: hono/html's tagged template, which escapes every interpolated value (`& < > " '`, so values
// are safe in quoted attributes too) unless it is already HTML (made by `html` itself, or marked `trusted`), and the
// page shell every page shares.
import { html as honoHtml, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { ASSET_PATHS } from "../assets/paths.ts";
import { type TextDirection, textDirection } from "../core/language.ts";

/** Markup that is already safe: produced by `html`, or sanitised article HTML from the core (`trusted`). */
export type SafeHtml = HtmlEscapedString;

/**
 * `html\`<p>${text}</p>\`` with `text` escaped; arrays are joined, and undefined, null and booleans render as nothing.
 * Hono's template answers a promise only when a value is one, which no page passes: the type says so.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const out = honoHtml(strings, ...values);
  if (out instanceof Promise) throw new TypeError("html: a value was a promise; pages are rendered synchronously");
  return out;
}

/** Trusted markup: only for HTML the core has sanitised (article bodies) or constant strings. */
export function trusted(markup: string): SafeHtml {
  return raw(markup);
}

/**
 * The page shell shared by the index, facet, article and preview pages and the error page; `dir` is the direction of
 * `lang`. Its stylesheet is a static asset (src/assets/page.css, at its fingerprinted path under `siteUrl`).
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
`.toString();
}
