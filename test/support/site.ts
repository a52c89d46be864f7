// Shared fixtures for Node-side tests: site settings, the fixture content folder, and the fixed clock.
import { fileURLToPath } from "node:url";
import { parseSettings, type SiteSettings } from "../../src/core/settings.ts";

export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/content/", import.meta.url));
export const BROKEN_DIR = fileURLToPath(new URL("../fixtures/broken/", import.meta.url));
export const GOLDEN_DIR = fileURLToPath(new URL("../golden/", import.meta.url));

export const SITE_INPUT = {
  SITE_URL: "https://news.example.com",
  SITE_TITLE: "The New Region",
  SITE_DESCRIPTION: "News & analysis from the South Caucasus, Iran and the Caspian region.",
  SITE_LANGUAGE: "en",
  SITE_TIMEZONE: "Europe/London",
  FEED_ITEMS: "20",
} as const;

export const site: SiteSettings = parseSettings(SITE_INPUT);

/** The fixed clock of the golden files: after every fixture article except the embargoed one (2027). */
export const NOW = new Date("2026-01-01T00:00:00Z");
