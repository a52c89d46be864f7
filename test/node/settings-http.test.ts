// The HTTP settings (archive size, cache lifetimes, WebSub hub): defaults, and every bad value named.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/core/errors.ts";
import { parseSettings } from "../../src/core/settings.ts";
import { BASE_VARS } from "../support/http-fixtures.ts";

describe("HTTP settings", () => {
  it("has defaults", () => {
    const site = parseSettings(BASE_VARS);
    expect(site.archiveItems).toBe(50);
    expect(site.cache).toEqual({ maxAge: 300, sMaxAge: 300, staleWhileRevalidate: 600, archiveMaxAge: 86400 });
    expect(site.websubHub).toBeUndefined();
  });

  it.each([
    { vars: { ARCHIVE_ITEMS: "10" }, read: (s: ReturnType<typeof parseSettings>) => s.archiveItems, expected: 10 },
    { vars: { CACHE_MAX_AGE: "0" }, read: (s: ReturnType<typeof parseSettings>) => s.cache.maxAge, expected: 0 },
    { vars: { CACHE_S_MAXAGE: "31536000" }, read: (s: ReturnType<typeof parseSettings>) => s.cache.sMaxAge, expected: 31536000 },
    {
      vars: { WEBSUB_HUB: "https://hub.example/path" },
      read: (s: ReturnType<typeof parseSettings>) => s.websubHub,
      expected: "https://hub.example/path",
    },
    { vars: { WEBSUB_HUB: "" }, read: (s: ReturnType<typeof parseSettings>) => s.websubHub, expected: undefined },
  ])("accepts $vars", ({ vars, read, expected }) => {
    expect(read(parseSettings({ ...BASE_VARS, ...vars }))).toBe(expected);
  });

  it.each([
    { key: "ARCHIVE_ITEMS", value: "0" },
    { key: "ARCHIVE_ITEMS", value: "101" },
    { key: "CACHE_MAX_AGE", value: "-1" },
    { key: "CACHE_MAX_AGE", value: "5 minutes" },
    { key: "CACHE_S_MAXAGE", value: "1.5" },
    { key: "CACHE_STALE_WHILE_REVALIDATE", value: "31536001" },
    { key: "ARCHIVE_MAX_AGE", value: "" },
    { key: "WEBSUB_HUB", value: "hub.example" },
    { key: "WEBSUB_HUB", value: "ftp://hub.example/" },
  ])("rejects $key=$value, naming it", ({ key, value }) => {
    let error: unknown;
    try {
      parseSettings({ ...BASE_VARS, [key]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(key);
  });
});
