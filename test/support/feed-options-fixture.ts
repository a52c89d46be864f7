// A newsroom for the feed options (docs/feeds.md, "Feed options"): articles in English and Persian, one kept out of the main
// feeds, one whose canonical URL is on another site, one whose canonical URL on this site has its own query and
// fragment, embargoed articles with words no feed may show before their time, and partners with and without feeds.
import type { MemoryFiles } from "../../src/sources/memory.ts";
import { NEWSROOM } from "./http-fixtures.ts";

export const BASE = "https://news.example";

/** Words only the full text of articles carries: an excerpt feed shows none of them. */
export const BODY_ONLY = "second paragraph only the full text carries";

/** Words of the embargoed articles: in no feed, list or page before their time. */
export const EMBARGOED_WORDS = ["Secret aside", "embargoed-aside", "محرمانه"];

const article = (front: string, body: string) => `---\n${front.trim()}\n---\n\n${body}\n`;

export const OPTION_FILES: MemoryFiles = {
  ...NEWSROOM,
  "2026/metro-fa.md": article(
    `title: "افتتاح خط تازه مترو"\ndate: "2026-01-08T12:00:00Z"\nlang: fa\nsection: City\ntags: [Baku]\nauthor: ben-ode\nimage:\n  src: https://images.example/metro.jpg\n  alt: "قطار"`,
    `خط تازه مترو امروز افتتاح شد.\n\nبند دوم که فقط در متن کامل است: ${BODY_ONLY}.`,
  ),
  "2026/aside.md": article(
    `title: "A note on pipeline tariffs"\ndate: "2026-01-09T12:00:00Z"\nsection: Business\ntags: [Energy]\nauthor: ana-lima\nmain_feed: false\nsummary: "Why tariffs matter, briefly."\nimage:\n  src: https://images.example/tariffs.png\n  alt: "A chart"`,
    `Tariffs on the pipeline were set in 2019.\n\nThe ${BODY_ONLY} about tariffs.`,
  ),
  "2026/syndicated.md": article(
    `title: "Wire: port traffic up"\ndate: "2026-01-04T08:00:00Z"\nsection: Business\ncanonical: "https://wire.example/port-traffic?src=rss"`,
    `Port traffic rose.\n\nThe ${BODY_ONLY} from the wire.`,
  ),
  "2026/campaign.md": article(
    `title: "Our campaign page"\ndate: "2026-01-03T08:00:00Z"\nsection: City\ncanonical: "${BASE}/special/campaign?ref=home#top"`,
    `The campaign opens.\n\nA ${BODY_ONLY} for the campaign.`,
  ),
  "2026/embargoed-aside.md": article(
    `title: "Secret aside"\ndate: "2026-01-10T20:00:00Z"\nlang: fa\nsection: Business\nmain_feed: false\ntags: [Embargo]`,
    "متن محرمانه.",
  ),
  "partners.yaml": [
    "acme:",
    "  name: Acme Daily",
    "  origins: [https://www.acme.example]",
    "  feed:",
    "    content: excerpt",
    "    utm: { source: acme, medium: '{format}', campaign: syndication }",
    "beta:",
    "  name: Beta",
    "  origins: ['*']",
    "  sections: [Business]",
    "  feed: true",
    "gamma:",
    "  name: Gamma",
    "  origins: ['*']",
    "",
  ].join("\n"),
};

/** Only the English articles of the newsroom: a site in one language. */
export const ONE_LANGUAGE_FILES: MemoryFiles = Object.fromEntries(
  Object.entries(OPTION_FILES).filter(([path]) => path !== "2026/metro-fa.md" && path !== "2026/embargoed-aside.md"),
);
