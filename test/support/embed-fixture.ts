// Fixture content for the embed, page and preview tests: a small archive with a hostile headline, an embargoed
// article and a draft, plus a partners.yaml built for the origins a test gives.
import { readFileSync } from "node:fs";
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";
import { createMemorySource, type MemoryFiles } from "../../src/sources/memory.ts";

export const NOW = new Date("2025-05-05T12:00:00Z");
export const PREVIEW_TOKEN = "preview-token-0123456789";
export const HOSTILE_TITLE = `<script>window.__pwned = 1</script> "onerror=window.__pwned=2 <img src=x onerror="window.__pwned=3"> & more`;

const photo = new Uint8Array(readFileSync(new URL("../../articles/images/caspian-port.jpg", import.meta.url)));

function article(front: Record<string, string>, body = "Body text of the article.\n"): string {
  return `---\n${Object.entries(front)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n")}\n---\n\n${body}`;
}

/** Titles of the published News articles, newest first. */
export const NEWS_TITLES = [HOSTILE_TITLE, "Ministers meet in Tbilisi", "Ferry link reopens", "Port strike ends"];

export function fixtureFiles(partnerOrigins: readonly string[]): MemoryFiles {
  return {
    "authors.yaml": "jane:\n  name: Jane Doe\n  url: https://jane.example/\n",
    "partners.yaml":
      [
        "acme:",
        "  name: Acme Daily",
        `  origins: [${partnerOrigins.map((o) => JSON.stringify(o)).join(", ")}]`,
        "  sections: [News, Business]",
        "  limit: 3",
        "  utm: { source: acme, medium: widget, campaign: headlines }",
        "broken:",
        "  name: Broken",
        "  origins: [https://broken.example/path]",
      ].join("\n") + "\n",
    "images/photo.jpg": photo,
    "news/hostile.md": article(
      {
        title: JSON.stringify(HOSTILE_TITLE),
        date: "2025-05-05T09:00:00Z",
        section: "News",
        author: "jane",
        tags: "[Security]",
        image: `{ src: /images/photo.jpg, alt: "A port", caption: "The port at dusk.", credit: "Photo: Jane Doe" }`,
      },
      "A hostile <em>headline</em> test.\n\nSecond paragraph.\n",
    ),
    "news/tbilisi.md": article({
      title: "Ministers meet in Tbilisi",
      date: "2025-05-04T10:00:00Z",
      section: "News",
      author: "jane",
      tags: "[Diplomacy]",
    }),
    "news/ferry.md": article({ title: "Ferry link reopens", date: "2025-05-03T08:00:00Z", section: "News", tags: "[Transport]" }),
    "news/strike.md": article({ title: "Port strike ends", date: "2025-04-20T08:00:00Z", section: "News" }),
    "business/gas.md": article({ title: "Gas exports rise", date: "2025-05-04T12:00:00Z", section: "Business", summary: "Exports rose." }),
    "analysis/corridor.md": article({ title: JSON.stringify("Analysis: the corridor"), date: "2025-05-01T12:00:00Z", section: "Analysis" }),
    "news/embargoed.md": article({
      title: "Embargoed summit story",
      date: "2025-06-01T09:00:00Z",
      section: "Secret Section",
      tags: "[Embargo-only tag]",
    }),
    "news/draft.md": article({ title: "Draft story", date: "2025-05-01T09:00:00Z", section: "News", draft: "true" }),
  };
}

export function fixtureSource(partnerOrigins: readonly string[] = ["https://partner.example"]) {
  return createMemorySource(fixtureFiles(partnerOrigins));
}

export function fixtureSite(url = "https://feeds.example.com", extra: Record<string, string> = {}): SiteSettings {
  return parseSettings({
    SITE_URL: url,
    SITE_TITLE: "Test News",
    SITE_DESCRIPTION: "Test feeds",
    SITE_LANGUAGE: "en-GB",
    SITE_TIMEZONE: "Europe/London",
    ...extra,
  });
}
