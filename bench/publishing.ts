// Publishing into a stored archive through the publish API, timed from the client: one new article (at the newest end
// of its lists), an edit of the oldest article, a delete; and how soon a publish shows in the feeds of the same worker.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateArchive } from "./archive-generator.ts";
import type { ArchiveSpec, ArchiveStamp } from "./archives.ts";
import { BENCH_TOKEN, type LocalWorker, sleep } from "./harness.ts";
import { get } from "./load.ts";

const auth = { Authorization: `Bearer ${BENCH_TOKEN}` };

/** A new article at the newest end of home, News, Oil and one author's list, in a new tag of its own (so the OPML changes). */
export function benchArticle(run: string, n: number, at: Date): { path: string; title: string; tag: string; text: string } {
  const title = `Bench publish ${run} ${n}`;
  const tag = `Bench ${run} ${n}`;
  const text = `---
title: ${JSON.stringify(title)}
date: ${at.toISOString().replace(/\.\d{3}Z$/, "Z")}
section: News
authors:
  - sara-ahmadi-0
tags:
  - Oil
  - ${JSON.stringify(tag)}
summary: "An article the benchmark publishes and deletes again."
---

A short body written by the benchmark: it is published, timed, looked for in the feeds and deleted.
`;
  return { path: `bench/${run}-${n}.md`, title, tag, text };
}

async function send(worker: LocalWorker, method: "PUT" | "DELETE", path: string, body?: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${worker.url}/api/articles/${path.split("/").map(encodeURIComponent).join("/")}`, {
    method,
    headers: auth,
    ...(body === undefined ? {} : { body }),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

/** The oldest article of the archive (its file and text), remembered in the archive's stamp once found. */
async function oldestArticle(spec: ArchiveSpec): Promise<{ path: string; text: string }> {
  const stampPath = join(spec.dir, "archive.json");
  const stamp = JSON.parse(await readFile(stampPath, "utf8")) as ArchiveStamp & { oldest?: { path: string; text: string } };
  if (stamp.oldest) return stamp.oldest;
  for (const file of generateArchive({ count: spec.count, seed: spec.seed, body: spec.body, order: "oldest-first" })) {
    if (!file.path.endsWith(".md")) continue;
    stamp.oldest = { path: file.path, text: String(file.data) };
    await writeFile(stampPath, JSON.stringify(stamp, null, 2) + "\n");
    return stamp.oldest;
  }
  throw new Error("the archive has no article");
}

export interface PublishTimings {
  /** Client wall time of each request, ms. */
  publish: number[];
  edit: number[];
  delete: number[];
}

const must = (what: string, status: number, expected: number[]): void => {
  if (!expected.includes(status)) throw new Error(`${what} answered ${status}`);
};

/**
 * `times` new articles published and deleted again, and the oldest article edited (its body) and put back, each a
 * single PUT or DELETE as `npm run publish` sends them. The archive is as it was afterwards, but for the retired ids.
 */
export async function timePublishing(worker: LocalWorker, spec: ArchiveSpec, times: number): Promise<PublishTimings> {
  const run = Date.now().toString(36);
  const timings: PublishTimings = { publish: [], edit: [], delete: [] };
  const articles = Array.from({ length: times }, (_, n) => benchArticle(run, n, new Date(Date.now() - 60_000)));
  for (const a of articles) {
    const r = await send(worker, "PUT", a.path, a.text);
    must(`publishing ${a.path}`, r.status, [201]);
    timings.publish.push(r.ms);
  }
  const oldest = await oldestArticle(spec);
  for (let n = 0; n < times; n++) {
    const edited = await send(worker, "PUT", oldest.path, `${oldest.text}\nEdited by the benchmark (${run} ${n}).\n`);
    must(`editing ${oldest.path}`, edited.status, [200]);
    timings.edit.push(edited.ms);
  }
  must(`restoring ${oldest.path}`, (await send(worker, "PUT", oldest.path, oldest.text)).status, [200]);
  for (const a of articles) {
    const r = await send(worker, "DELETE", a.path);
    must(`deleting ${a.path}`, r.status, [200]);
    timings.delete.push(r.ms);
  }
  return timings;
}

export interface Visibility {
  /** The publish request's own time, ms. */
  publishMs: number;
  /** Per URL: ms from the publish's answer to the first response that showed the article (null: not within the wait). */
  shownAfterMs: Record<string, number | null>;
  /** How long a warm request to each URL took just before the publish (its body from the isolate's cache), ms. */
  warmMs: Record<string, number>;
}

/**
 * Publish → visible on one worker with its response cache warm: the site's feed, the section's, the OPML list (the
 * article brings a new tag) and a `?limit` variant (the worker keeps nothing by URL: each shows at once),
 * each polled from the publish's answer until it shows the article. The article is deleted afterwards.
 */
export async function timeVisibility(worker: LocalWorker, waitMs: number): Promise<Visibility> {
  const run = Date.now().toString(36);
  const article = benchArticle(run, 0, new Date(Date.now() - 60_000));
  const urls = ["/rss.xml", "/sections/news/rss.xml", "/feeds.opml", "/rss.xml?limit=5"];
  const warmMs: Record<string, number> = {};
  for (const url of urls) {
    await get(worker.url + url);
    const warm = await get(worker.url + url);
    must(`GET ${url}`, warm.status, [200]);
    warmMs[url] = warm.ms;
  }
  const published = await send(worker, "PUT", article.path, article.text);
  must(`publishing ${article.path}`, published.status, [201]);
  const answered = performance.now();
  const needle = (url: string) => (url === "/feeds.opml" ? article.tag : article.title);
  const shownAfterMs: Record<string, number | null> = Object.fromEntries(urls.map((u) => [u, null]));
  let waiting = [...urls];
  // Every URL polled at once, each timed to the end of its own first response that shows the article.
  while (waiting.length && performance.now() - answered < waitMs) {
    await Promise.all(
      waiting.map(async (url) => {
        const res = await get(worker.url + url);
        if (new TextDecoder().decode(res.body).includes(needle(url))) shownAfterMs[url] = performance.now() - answered;
      }),
    );
    waiting = waiting.filter((u) => shownAfterMs[u] === null);
    if (waiting.length) await sleep(50);
  }
  must(`deleting ${article.path}`, (await send(worker, "DELETE", article.path)).status, [200]);
  return { publishMs: published.ms, shownAfterMs, warmMs };
}
