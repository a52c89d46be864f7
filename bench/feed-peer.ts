// The `feed` npm package (v6, the design's named library) fed the same model: the benchmark's peer, and the subject of
// the evidence test (test/node/feed-package.test.ts) that says why the project renders the formats itself.
import { Feed as FeedPackage } from "feed";
import type { Feed } from "../src/core/model.ts";

/** The same feed as a `feed` package object, mapped as its documentation suggests. */
export function feedPackageOf(feed: Feed): FeedPackage {
  const { head } = feed;
  const f = new FeedPackage({
    id: head.id,
    title: head.title,
    description: head.description,
    link: head.homeUrl,
    language: head.language,
    updated: feed.updated,
    generator: "edge-feeds",
    feedLinks: { rss: head.self.rss, atom: head.self.atom, json: head.self.json },
    author: { name: head.publisher.name, email: head.publisher.publicEmail, link: head.publisher.url },
    copyright: "",
  });
  for (const a of feed.items) {
    f.addItem({
      title: a.title,
      id: a.id,
      link: a.url,
      date: a.updated,
      published: a.published,
      description: a.summary,
      content: a.html,
      author: a.authors.map((p) => ({ name: p.name, email: p.publicEmail, link: p.url, avatar: p.avatar })),
      category: [...(a.section ? [a.section] : []), ...a.tags].map((name) => ({ name })),
      image: a.image?.type ? { url: a.image.url, type: a.image.type, length: a.image.length } : undefined,
    });
  }
  return f;
}

/** One format's text from the `feed` package. */
export function renderWithFeedPackage(feed: Feed, format: string): string {
  const f = feedPackageOf(feed);
  return format === "rss" ? f.rss2() : format === "atom" ? f.atom1() : f.json1();
}
