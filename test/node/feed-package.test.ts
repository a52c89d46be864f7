// Evidence for docs/choices.md: what the `feed` package (6.x) gets wrong on our fixture articles, judged by the same
// independent parsers as our own renderers. If a future `feed` fixes these, this test fails and the choice is revisited.
import { beforeAll, describe, expect, it } from "vitest";
import { feedPackageOf } from "../../bench/feed-peer.ts";
import type { Feed } from "../../src/core/model.ts";
import { fixtureFeed } from "../support/feeds.ts";
import { feedparser, jsonFeedSchemaErrors, xmllint } from "../support/judges.ts";

let feed: Feed;
beforeAll(async () => {
  feed = await fixtureFeed();
});

describe("the feed package on the fixture articles", () => {
  it("writes an XML-illegal control character straight through: the whole RSS and Atom documents stop parsing", () => {
    const peer = feedPackageOf(feed);
    expect(xmllint(peer.rss2())).not.toBe("");
    expect(xmllint(peer.atom1())).not.toBe("");
  });

  it("puts bare names in RSS <author> (an e-mail address by the spec) and no dc:creator", () => {
    const clean = { ...feed, items: feed.items.filter((a) => !a.title.includes("\u0001")) };
    const rss = feedPackageOf(clean).rss2();
    expect(rss).toMatch(/<author>[^<@]*<\/author>|<author><!\[CDATA\[[^@\]]*\]\]><\/author>/);
    expect(rss).not.toContain("<dc:creator>");
  });

  it("guesses the Atom enclosure type from the file extension: a WebP named .jpg is announced as image/jpg", () => {
    const clean = { ...feed, items: feed.items.filter((a) => !a.title.includes("\u0001")) };
    const atom = feedparser(feedPackageOf(clean).atom1());
    const webp = clean.items.findIndex((a) => a.image?.type === "image/webp");
    expect(atom.entries[webp]!.enclosures[0]?.type).not.toBe("image/webp");
  });

  it("writes JSON Feed 1.0, not 1.1: no `authors`, no `language`, fails the 1.1 schema", () => {
    const doc = JSON.parse(feedPackageOf(feed).json1());
    expect(doc.version).not.toBe("https://jsonfeed.org/version/1.1");
    expect(doc.items[0].authors).toBeUndefined();
    expect(jsonFeedSchemaErrors(doc)).not.toEqual([]);
  });
});
