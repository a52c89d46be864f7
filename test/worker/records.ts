// A minimal article record for the writer's tests: `slug`, published `minute` minutes into 2026, in `section` with
// `tags`, by the publisher, with a one-line body.
import type { ArticleRecord } from "../../src/core/article.ts";

export function testRecord(slug: string, minute: number, section: string, tags: readonly string[], title = slug): ArticleRecord {
  const published = new Date(Date.UTC(2026, 0, 1) + minute * 60_000);
  return {
    file: `${slug}.md`,
    slug,
    id: `https://news.example.com/articles/${slug}`,
    idIsUrl: true,
    title,
    url: `https://news.example.com/articles/${slug}`,
    pageUrl: `https://news.example.com/articles/${slug}`,
    published,
    updated: published,
    authors: [{ key: "publisher", name: "Pub" }],
    section,
    tags: [...tags],
    draft: false,
    body: `Body of ${title}.`,
    bodyImages: [],
  };
}
