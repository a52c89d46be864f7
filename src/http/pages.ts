// Small HTML pages the worker answers itself: the index with feed autodiscovery.
import type { SiteSettings } from "../core/settings.ts";
import { escapeHtml } from "../core/feed.ts";
import { FORMATS } from "../formats/index.ts";

/** The home page: names the feeds and carries `<link rel="alternate">` autodiscovery tags for each. */
export function renderIndexPage(site: SiteSettings): string {
  const links = FORMATS.map(
    (f) => `<link rel="alternate" type="${f.contentType.split(";")[0]}" title="${escapeHtml(`${site.title} (${f.label})`)}" href="${escapeHtml(`${site.url}/${f.file}`)}">`,
  ).join("\n");
  const items = FORMATS.map((f) => `<li><a href="${escapeHtml(`${site.url}/${f.file}`)}">${escapeHtml(f.label)}</a> <code>${escapeHtml(`${site.url}/${f.file}`)}</code></li>`).join("\n");
  return `<!doctype html>
<html lang="${escapeHtml(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(site.title)} feeds</title>
${links}
</head>
<body>
<h1>${escapeHtml(site.title)}</h1>
<p>${escapeHtml(site.description)}</p>
<h2>Feeds</h2>
<ul>
${items}
</ul>
</body>
</html>
`;
}
