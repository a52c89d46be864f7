// The `feed` npm package (the design's named library) fed the same model, for the evidence test and the benchmark.
import { Feed as FeedPackage } from "feed";
import type { Feed } from "../../src/core/model.ts";

export function feedPackageOf(feed: Feed): FeedPackage {
  const out = new FeedPackage({
    id: feed.id,
    title: feed.title,
    description: feed.description,
    link: feed.homeUrl,
    language: feed.language,
    updated: feed.updated,
    feedLinks: { rss: feed.urls.rss, atom: feed.urls.atom, json: feed.urls.json },
    author: { name: feed.publisher.name, link: feed.publisher.url },
    copyright: "",
  });
  for (const a of feed.items) {
    out.addItem({
      title: a.title,
      id: a.id,
      link: a.url,
      date: a.updated,
      published: a.published,
      description: a.summary,
      content: a.html,
      author: a.authors.map((x) => ({ name: x.name, email: x.email, link: x.url, avatar: x.avatar })),
      category: [...(a.section ? [a.section] : []), ...a.tags].map((name) => ({ name })),
      image: a.image ? { url: a.image.url, type: a.image.type, length: a.image.length } : undefined,
    });
  }
  return out;
}
