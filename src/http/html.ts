// HTML for the human pages: a tagged template that escapes every interpolated value unless it is marked as trusted.
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

/** The page shell shared by the index, facet, article and preview pages; `dir` is the direction of `lang`. */
export function page(options: { lang: string; dir?: TextDirection; title: string; head?: SafeHtml; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="${options.lang}" dir="${options.dir ?? textDirection(options.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${options.title}</title>
${options.head}
<style>${trusted(PAGE_CSS)}</style>
</head>
<body>
${options.body}
</body>
</html>
`.value;
}

const PAGE_CSS = `
:root{color-scheme:light dark;--fg:#1b1b1b;--muted:#5c5c5c;--bg:#fff;--line:#ddd;--link:#0b57d0;--code:#f4f4f4}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--muted:#a8a8a8;--bg:#15171a;--line:#333;--link:#8ab4f8;--code:#22252a}}
body{margin:0 auto;max-width:46rem;padding:1.5rem 1rem 3rem;font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
h1{line-height:1.2;font-size:2rem;margin:.5rem 0}
.meta,.muted,figcaption{color:var(--muted);font-size:.9rem}
figure{margin:1.5rem 0}
img{max-width:100%;height:auto}
code,pre{background:var(--code);border-radius:4px;font-size:.85rem}
pre{padding:.75rem;overflow:auto;white-space:pre-wrap;word-break:break-word}
table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.3rem .5rem;text-align:start;vertical-align:top}
ul.feeds,ul.headlines{list-style:none;padding:0}ul.feeds li,ul.headlines li{padding:.4rem 0;border-top:1px solid var(--line)}
ul.headlines a{font-weight:600}ul.headlines .summary{margin:.2rem 0 0}
button{font:inherit;font-size:.8rem;cursor:pointer}
.warn{border-inline-start:4px solid #c77700;padding-inline-start:.75rem}
`;
