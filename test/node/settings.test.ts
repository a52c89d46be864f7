// Site settings: defaults, normalisation and the error each bad value gets.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { SITE_INPUT } from "../support/site.ts";

describe("parseSettings", () => {
  it("normalises the URL and language, and defaults the item count", () => {
    const { FEED_ITEMS: _, ...rest } = SITE_INPUT;
    const site = parseSettings({ ...rest, SITE_URL: "https://news.example.com/edition/", SITE_LANGUAGE: "EN-gb" });
    expect(site).toMatchObject({ url: "https://news.example.com/edition", language: "en-GB", feedItems: 20 });
  });

  it.each([
    { key: "SITE_URL", value: "news.example.com", message: /not an absolute URL/ },
    { key: "SITE_URL", value: "ftp://news.example.com", message: /http or https/ },
    { key: "SITE_URL", value: "https://news.example.com/?x=1", message: /query/ },
    { key: "SITE_TITLE", value: "  ", message: /required/ },
    { key: "SITE_LANGUAGE", value: "english!", message: /BCP 47/ },
    { key: "SITE_TIMEZONE", value: "Mars/Olympus", message: /IANA/ },
    { key: "FEED_ITEMS", value: "0", message: /1 to 100/ },
    { key: "FEED_ITEMS", value: "many", message: /1 to 100/ },
  ])("$key = $value is refused", ({ key, value, message }) => {
    const attempt = () => parseSettings({ ...SITE_INPUT, [key]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).setting).toBe(key);
    }
  });
});
