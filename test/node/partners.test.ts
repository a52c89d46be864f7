// partners.yaml parsing, request planning and the relative-time rule, as tables.
import { describe, expect, it } from "vitest";
import { formatRelativeTime, withUtm } from "../../src/core/headlines.ts";
import { HeadlinesRequestError, parsePartners, planHeadlines } from "../../src/core/partners.ts";

const YAML = `acme:
  name: Acme
  origins: [https://acme.example, "https://www.acme.example/"]
  sections: [News, Business]
  limit: 3
  utm: { campaign: c, source: acme }
open:
  name: Open
  origins: ["*"]
`;
const { partners, issues } = parsePartners(YAML);
const known = new Set(["news", "business", "analysis"]);

describe("parsePartners", () => {
  it("normalises origins, sections and utm order", () => {
    expect(issues).toEqual([]);
    expect(partners.get("acme")).toEqual({
      key: "acme",
      name: "Acme",
      origins: ["https://acme.example", "https://www.acme.example"],
      sections: ["news", "business"],
      limit: 3,
      utm: [
        ["utm_source", "acme"],
        ["utm_campaign", "c"],
      ],
    });
  });

  it.each([
    ["x:\n  name: X\n  origins: [https://x.example]\n", "x", /key "x"/],
    ["bad:\n  name: B\n  origins: [https://b.example/path]\n", "bad.origins.0", /not an origin/],
    ["bad:\n  name: B\n  origins: [ftp://b.example]\n", "bad.origins.0", /not an origin/],
    ["bad:\n  name: B\n  origins: []\n", "bad.origins", /\[\]/],
    ["bad:\n  name: B\n  origins: [https://b.example]\n  limit: 500\n", "bad.limit", /500/],
    ["bad:\n  name: B\n  origins: [https://b.example]\n  utm: { src: x }\n", "bad.utm", /.+/],
    ["- a\n- b\n", undefined, /not a map/],
    ["a: [\n", "a", /malformed YAML/],
  ])("reports %j at %s", (text, field, found) => {
    const result = parsePartners(text);
    expect(result.partners.size).toBe(0);
    expect(result.issues[0]!.file).toBe("partners.yaml");
    expect(result.issues[0]!.field).toBe(field);
    expect(result.issues[0]!.found).toMatch(found);
  });
});

describe("planHeadlines", () => {
  it.each([
    [{}, { sections: undefined, limit: 5, origins: ["*"] }],
    [{ limit: "8" }, { limit: 8 }],
    [{ limit: "99" }, { limit: 10 }],
    [{ section: "News, analysis" }, { sections: ["news", "analysis"] }],
    [{ key: "acme" }, { sections: ["news", "business"], limit: 3, origins: ["https://acme.example", "https://www.acme.example"] }],
    [
      { key: "acme", section: "business", limit: "2" },
      { sections: ["business"], limit: 2 },
    ],
    [
      { key: "open", limit: "7" },
      { sections: undefined, limit: 7, origins: ["*"] },
    ],
  ])("%o → %o", (query, expected) => {
    expect(planHeadlines(query, partners, known)).toMatchObject(expected);
  });

  it.each([
    [{ key: "nope" }, "unknown-partner"],
    [{ limit: "1.5" }, "bad-limit"],
    [{ limit: "-1" }, "bad-limit"],
    [{ section: "sport" }, "unknown-section"],
    [{ key: "acme", section: "analysis" }, "section-not-allowed"],
  ])("%o is refused as %s", (query, reason) => {
    expect(() => planHeadlines(query, partners, known)).toThrow(expect.objectContaining({ reason }));
    expect(() => planHeadlines(query, partners, known)).toThrow(HeadlinesRequestError);
  });
});

describe("withUtm", () => {
  it.each([
    ["https://a.example/x", [], "https://a.example/x"],
    ["https://a.example/x", [["utm_source", "p"]], "https://a.example/x?utm_source=p"],
    [
      "https://a.example/x?utm_source=old&q=1#top",
      [
        ["utm_source", "p"],
        ["utm_medium", "w m"],
      ],
      "https://a.example/x?utm_source=p&q=1&utm_medium=w+m#top",
    ],
  ] as const)("%s + %o", (url, utm, expected) => {
    expect(withUtm(url, utm)).toBe(expected);
  });
});

describe("formatRelativeTime", () => {
  const now = new Date("2025-05-05T12:00:00Z");
  it.each([
    ["2025-05-05T12:00:00Z", "en", "now"],
    ["2025-05-05T11:59:30Z", "en", "30 seconds ago"],
    ["2025-05-05T11:15:00Z", "en", "45 minutes ago"],
    ["2025-05-05T09:00:00Z", "de", "vor 3 Stunden"],
    ["2025-05-04T10:00:00Z", "en", "yesterday"],
    ["2025-04-20T12:00:00Z", "en", "2 weeks ago"],
    ["2025-02-01T12:00:00Z", "fr", "il y a 3 mois"],
    ["2023-05-05T12:00:00Z", "en", "2 years ago"],
    ["2025-05-05T15:00:00Z", "en", "in 3 hours"],
  ])("%s in %s", (date, locale, expected) => {
    expect(formatRelativeTime(new Date(date), now, locale)).toBe(expected);
  });
});
