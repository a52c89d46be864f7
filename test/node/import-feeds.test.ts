// `npm run import` over feeds saved to disk (RSS 2.0, Atom 1.0, JSON Feed 1.1, archive pages that overlap), images
// fetched by URL within their limits, and hostile inputs refused within their budget.

import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "../../src/core/content.ts";
import { splitFrontMatter } from "../../src/core/front-matter.ts";
import { createDirectorySource } from "../../src/node/directory-source.ts";
import { appOver } from "../support/app.ts";
import { png, SVG_WITH_SCRIPT } from "../support/image-bytes.ts";
import { runImport, snapshot } from "../support/import-run.ts";
import { feedparser } from "../support/judges.ts";
import { NOW, site } from "../support/site.ts";

const OLD = "https://blog.example.org";

const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Old Blog</title><link>${OLD}/</link><description>d</description><language>en</language>
  <item>
    <title>Pipeline talks &amp;amp; a deal</title>
    <link>${OLD}/2024/03/pipeline-talks/</link>
    <guid isPermaLink="false">urn:uuid:6a1e0e2c-0b5b-4d2e-9b1a-111111111111</guid>
    <pubDate>Fri, 01 Mar 2024 09:30:00 +0330</pubDate>
    <dc:creator>Sara Ahmadi</dc:creator>
    <dc:creator>Reza Karimi</dc:creator>
    <category>Energy</category><category>Iran</category><category>Turkmenistan</category>
    <description>&lt;p&gt;Talks resumed &amp;amp; went well.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Talks resumed in <em>Ashgabat</em>.</p><p><img src="/uploads/pipe.png" alt="The pipeline"></p><script>track()</script>]]></content:encoded>
    <media:content url="${OLD}/uploads/lead.png" medium="image" type="image/png"><media:title>Engineers at work</media:title><media:description>On the border.</media:description><media:credit>Photo: A. Photographer</media:credit></media:content>
  </item>
  <item>
    <title>Guid that is not a URI</title>
    <link>${OLD}/2024/02/odd-guid.html</link>
    <guid>12345</guid>
    <pubDate>Thu, 01 Feb 2024 12:00:00 GMT</pubDate>
    <description>Short text only.</description>
    <enclosure url="${OLD}/uploads/odd.png" type="image/png" length="0"/>
  </item>
</channel>
</rss>
`;

/** An archive page of the same feed: the first item again, shorter (readers merge by guid; so does the import), and an older one. */
const RSS_ARCHIVE = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Old Blog</title><link>${OLD}/</link><description>d</description>
  <item>
    <title>Pipeline talks</title>
    <link>${OLD}/2024/03/pipeline-talks/</link>
    <guid isPermaLink="false">urn:uuid:6a1e0e2c-0b5b-4d2e-9b1a-111111111111</guid>
    <pubDate>Fri, 01 Mar 2024 09:30:00 +0330</pubDate>
    <description>A shorter copy.</description>
  </item>
  <item>
    <title>An older story</title>
    <link>${OLD}/2023/12/older-story/</link>
    <guid isPermaLink="true">${OLD}/2023/12/older-story/</guid>
    <pubDate>Mon, 11 Dec 2023 08:00:00 +0000</pubDate>
    <description>Older.</description>
  </item>
</channel></rss>
`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa">
  <title>بلاگ</title><id>tag:blog.example.org,2024:feed</id><updated>2024-04-02T10:00:00Z</updated>
  <link rel="alternate" href="${OLD}/fa/"/>
  <author><name>رضا کریمی</name><uri>https://reza.example.org/</uri></author>
  <entry>
    <title type="html">قطار &lt;b&gt;تهران&lt;/b&gt; – مشهد</title>
    <id>tag:blog.example.org,2024:entry-77</id>
    <link rel="alternate" href="${OLD}/fa/%D9%82%D8%B7%D8%A7%D8%B1/"/>
    <link rel="enclosure" type="image/png" href="${OLD}/uploads/train.png"/>
    <published>2024-04-01T08:00:00+03:30</published>
    <updated>2024-04-02T10:00:00+03:30</updated>
    <category term="transport" label="حمل و نقل"/>
    <summary type="text">خلاصه‌ی خبر</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>قطار جدید <strong>امروز</strong> راه افتاد.<br/>خط دوم</p></div></content>
  </entry>
</feed>
`;

const JSON_FEED = JSON.stringify({
  version: "https://jsonfeed.org/version/1.1",
  title: "Xəbərlər",
  home_page_url: `${OLD}/az/`,
  language: "az",
  items: [
    {
      id: `${OLD}/az/?p=9`,
      url: `${OLD}/az/xezer-festivali/`,
      title: "Xəzər festivalı",
      content_text: "Festival bu gün açılır.\n\nİkinci paraqraf.",
      summary: "Festival haqqında",
      date_published: "2024-05-05T10:00:00+04:00",
      date_modified: "2024-05-06T11:00:00+04:00",
      authors: [{ name: "Leyla Aliyeva", url: "https://leyla.example.org/", avatar: "https://leyla.example.org/me.png" }],
      tags: ["Mədəniyyət", "Bakı"],
      image: `${OLD}/uploads/festival.png`,
    },
  ],
});

let server: Server;
let base: string;
let root: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (["/uploads/lead.png", "/uploads/train.png", "/uploads/festival.png", "/uploads/odd.png"].includes(path)) {
      res.writeHead(200, { "content-type": "image/png" }).end(png(800, 600));
    } else if (path === "/uploads/evil.png") {
      res.writeHead(200, { "content-type": "image/png" }).end(SVG_WITH_SCRIPT);
    } else if (path === "/uploads/huge.png") {
      // No Content-Length: the limit has to stop the body as it arrives.
      res.writeHead(200, { "content-type": "image/png" });
      const chunk = Buffer.alloc(1 << 20, 1);
      let sent = 0;
      const pump = (): void => {
        while (sent < 12 && res.write(chunk)) sent++;
        if (sent < 12) res.once("drain", pump);
        else res.end();
      };
      pump();
    } else if (path === "/uploads/slow.png") {
      // Never answers: the fetch's time limit ends it.
    } else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await mkdtemp(join(tmpdir(), "edge-feeds-import-feeds-"));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await rm(root, { recursive: true, force: true });
});

/** The feeds with their image URLs on the local server (the old site's host would need the network). */
const local = (text: string): string => text.replaceAll(`${OLD}/uploads/`, `${base}/uploads/`);

async function frontMatter(dir: string, file: string): Promise<Record<string, unknown>> {
  const split = splitFrontMatter(file, await readFile(join(dir, file), "utf8"));
  if (!split.ok) throw new Error(split.issue.found);
  return { ...split.data, body: split.body.trim() };
}

describe("a folder of feeds", () => {
  let input: string;
  let out: string;
  let result: Awaited<ReturnType<typeof runImport>>;
  beforeAll(async () => {
    input = join(root, "saved");
    out = join(root, "articles");
    await mkdir(join(input, "archive", "2"), { recursive: true });
    await mkdir(join(input, "uploads"), { recursive: true });
    // Names say nothing: the kind of each file is read from its content.
    await writeFile(join(input, "feed"), local(RSS));
    await writeFile(join(input, "archive", "2", "index.xml"), local(RSS_ARCHIVE));
    await writeFile(join(input, "fa.txt"), local(ATOM));
    await writeFile(join(input, "az.data"), local(JSON_FEED));
    await writeFile(join(input, "index.html"), "<!doctype html><html><body>The old home page</body></html>");
    // Saved beside the feed: the relative body image is copied from here, not fetched.
    await writeFile(join(input, "uploads", "pipe.png"), png(320, 240));
    result = await runImport([input, "--out", out]);
  });

  it("imports each item once, fetching the images it cannot find beside the input", () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/4 input\(s\), 5 post\(s\): 5 written/);
    expect(result.stdout).toMatch(/images: 1 copied, 4 fetched, 0 already there, 0 kept remote/);
    expect(result.stdout).toMatch(/check: ok/);
    expect(result.stderr).toMatch(/note: \S*index\.html: skipped, an HTML page, not a feed/);
    expect(result.stderr).toMatch(/1 item\(s\) appear in more than one input/);
  });

  it.each([
    {
      file: "2024/03/pipeline-talks.md",
      expected: {
        title: "Pipeline talks & a deal",
        slug: "pipeline-talks",
        date: "2024-03-01T09:30:00+03:30",
        id: "urn:uuid:6a1e0e2c-0b5b-4d2e-9b1a-111111111111",
        authors: ["sara-ahmadi", "reza-karimi"],
        section: "Energy",
        tags: ["Iran", "Turkmenistan"],
        summary: "Talks resumed & went well.",
        image: {
          src: "/images/127.0.0.1/uploads/lead.png",
          alt: "Engineers at work",
          caption: "On the border.",
          credit: "Photo: A. Photographer",
        },
        aliases: [`${OLD}/2024/03/pipeline-talks/`],
        body: "Talks resumed in _Ashgabat_.\n\n![The pipeline](/images/blog.example.org/uploads/pipe.png)",
      },
    },
    {
      file: "2024/02/odd-guid.md",
      expected: {
        title: "Guid that is not a URI",
        slug: "odd-guid",
        date: "2024-02-01T12:00:00Z",
        image: { src: "/images/127.0.0.1/uploads/odd.png" },
        aliases: [`${OLD}/2024/02/odd-guid.html`],
        body: "Short text only.",
      },
    },
    {
      file: "2023/12/older-story.md",
      expected: {
        title: "An older story",
        slug: "older-story",
        date: "2023-12-11T08:00:00Z",
        id: `${OLD}/2023/12/older-story/`,
        aliases: [`${OLD}/2023/12/older-story/`],
        body: "Older.",
      },
    },
    {
      file: "2024/04/قطار.md",
      expected: {
        title: "قطار تهران – مشهد",
        slug: "قطار",
        date: "2024-04-01T08:00:00+03:30",
        updated: "2024-04-02T10:00:00+03:30",
        id: "tag:blog.example.org,2024:entry-77",
        authors: ["رضا-کریمی"],
        section: "حمل و نقل",
        summary: "خلاصه‌ی خبر",
        image: { src: "/images/127.0.0.1/uploads/train.png" },
        lang: "fa",
        aliases: [`${OLD}/fa/%D9%82%D8%B7%D8%A7%D8%B1/`],
        body: "قطار جدید **امروز** راه افتاد.  \nخط دوم",
      },
    },
    {
      file: "2024/05/xezer-festivali.md",
      expected: {
        title: "Xəzər festivalı",
        slug: "xezer-festivali",
        date: "2024-05-05T10:00:00+04:00",
        updated: "2024-05-06T11:00:00+04:00",
        id: `${OLD}/az/?p=9`,
        authors: ["leyla-aliyeva"],
        tags: ["Mədəniyyət", "Bakı"],
        summary: "Festival haqqında",
        image: { src: "/images/127.0.0.1/uploads/festival.png" },
        lang: "az",
        aliases: [`${OLD}/az/xezer-festivali/`],
        body: "Festival bu gün açılır.\n\nİkinci paraqraf.",
      },
    },
  ])("$file", async ({ file, expected }) => {
    expect(await frontMatter(out, file)).toEqual(expected);
  });

  it("warns about what it could not keep: a guid that is no URI, a script", () => {
    expect(result.stderr).toMatch(/warning: \S+feed item 2 → 2024\/02\/odd-guid\.md: its id "12345" is not a URI and cannot be kept/);
    expect(result.stderr).toMatch(/warning: \S+feed item 1 → 2024\/03\/pipeline-talks\.md: <script> removed/);
  });

  it("writes authors with their links, and no e-mail", async () => {
    const authors = await readFile(join(out, "authors.yaml"), "utf8");
    expect(authors).toContain(
      "leyla-aliyeva:\n  name: Leyla Aliyeva\n  url: https://leyla.example.org/\n  avatar: https://leyla.example.org/me.png\n",
    );
    expect(authors).toContain("رضا-کریمی:\n  name: رضا کریمی\n  url: https://reza.example.org/\n");
  });

  it("changes nothing when run again, without fetching again", async () => {
    const before = await snapshot(out);
    const again = await runImport([input, "--out", out, "--offline"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/5 post\(s\): 0 written, 5 unchanged/);
    expect(again.stdout).toMatch(/images: 0 copied, 0 fetched, 5 already there/);
    expect(await snapshot(out)).toEqual(before);
  });

  it("serves the old ids in the feeds (the guid that was no URI falls back to the page)", async () => {
    const content = await loadContent(createDirectorySource(out), site);
    expect(content.issues).toEqual([]);
    const app = appOver({ source: createDirectorySource(out), site, now: () => NOW, log: () => {} });
    const parsed = feedparser(await (await app.request(`${site.url}/rss.xml`)).text());
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries.map((e) => e.id).sort()).toEqual(
      [
        "urn:uuid:6a1e0e2c-0b5b-4d2e-9b1a-111111111111",
        `${OLD}/2023/12/older-story/`,
        "tag:blog.example.org,2024:entry-77",
        `${OLD}/az/?p=9`,
        `${site.url}/articles/odd-guid`,
      ].sort(),
    );
  });
});

describe("images fetched by URL", () => {
  it("are refused by their bytes, their size and their time, and kept remote with the reason", async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>${OLD}/</link><description>d</description>
      <item><title>Images</title><link>${OLD}/images-story/</link><guid>${OLD}/?p=1</guid><pubDate>Fri, 01 Mar 2024 09:30:00 +0000</pubDate>
      <description>&lt;p&gt;&lt;img src="${base}/uploads/evil.png"&gt;&lt;img src="${base}/uploads/huge.png"&gt;&lt;img src="${base}/uploads/slow.png"&gt;&lt;img src="${base}/uploads/gone.png"&gt;&lt;/p&gt;</description></item>
      </channel></rss>`;
    const dir = join(root, "fetch");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "feed.xml"), rss);
    const result = await runImport([join(dir, "feed.xml"), "--out", join(dir, "out"), "--fetch-timeout", "1"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/images: 0 copied, 0 fetched, 0 already there, 4 kept remote/);
    expect(result.stderr).toMatch(/evil\.png kept as a remote image: it is an SVG image/);
    expect(result.stderr).toMatch(/huge\.png kept as a remote image: its body passed the 10 MiB limit/);
    expect(result.stderr).toMatch(/slow\.png kept as a remote image: no answer within 1 s/);
    expect(result.stderr).toMatch(/gone\.png kept as a remote image: fetching it answered 404/);
  }, 30_000);
});

describe("hostile inputs are refused within their budget, naming the file", () => {
  const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>&lol9;</title></item></channel></rss>`;
  const deep = `<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title><description>${"<a>".repeat(50_000)}</description></item></channel></rss>`;
  const hugeText = () =>
    `<?xml version="1.0"?><rss version="2.0"><channel><item><title>${"x".repeat(40 * 1024 * 1024)}</title></item></channel></rss>`;
  const external = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>`;
  const shortcodes = `<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
    <item><title>Flood</title><guid>${OLD}/?p=1</guid><content:encoded><![CDATA[${"[caption x]".repeat(5000)}]]></content:encoded>
    <wp:post_id>1</wp:post_id><wp:post_date>2024-01-01 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt>
    <wp:post_name>flood</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
    <item><title>Deep</title><guid>${OLD}/?p=2</guid><content:encoded><![CDATA[${"<div>".repeat(5000)}deep]]></content:encoded>
    <wp:post_id>2</wp:post_id><wp:post_date>2024-01-02 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-02 00:00:00</wp:post_date_gmt>
    <wp:post_name>deep</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
    <item><title>Many</title><guid>${OLD}/?p=4</guid><content:encoded><![CDATA[${"a<br>".repeat(60_000)}]]></content:encoded>
    <wp:post_id>4</wp:post_id><wp:post_date>2024-01-04 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-04 00:00:00</wp:post_date_gmt>
    <wp:post_name>many</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
    <item><title>Huge</title><guid>${OLD}/?p=5</guid><content:encoded><![CDATA[${"x".repeat(1_100_000)}]]></content:encoded>
    <wp:post_id>5</wp:post_id><wp:post_date>2024-01-05 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-05 00:00:00</wp:post_date_gmt>
    <wp:post_name>huge</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
    <item><title>Fine</title><guid>${OLD}/?p=3</guid><content:encoded><![CDATA[A good post.]]></content:encoded>
    <wp:post_id>3</wp:post_id><wp:post_date>2024-01-03 00:00:00</wp:post_date><wp:post_date_gmt>2024-01-03 00:00:00</wp:post_date_gmt>
    <wp:post_name>fine</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
    </channel></rss>`;

  it.each([
    { name: "billion laughs", text: () => LAUGHS, why: /a DOCTYPE that declares entities/ },
    { name: "an external entity", text: () => external, why: /a DOCTYPE that declares entities/ },
    { name: "50,000 nested elements", text: () => deep, why: /elements nested more than 100 deep/ },
    { name: "a 40 MiB text", text: hugeText, why: /a text of more than 32 MiB in one piece/ },
    { name: "not XML at all", text: () => "<rss><channel><item><title>x</ti", why: /not well-formed XML: unclosed tag: title/ },
  ])(
    "$name",
    async ({ text, why }) => {
      const dir = await mkdtemp(join(root, "hostile-"));
      await writeFile(join(dir, "export.xml"), text());
      const result = await runImport([join(dir, "export.xml"), "--out", join(dir, "out"), "--offline"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`error: \\S*export\\.xml(?::\\d+)?: not imported: (?:${why.source})`));
      expect(result.stdout).toMatch(/0 post\(s\)/);
    },
    60_000,
  );

  it("refuses the posts over a body budget, naming each, and imports the rest", async () => {
    const dir = await mkdtemp(join(root, "hostile-"));
    await writeFile(join(dir, "export.xml"), shortcodes);
    const result = await runImport([join(dir, "export.xml"), "--out", join(dir, "out"), "--offline"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /error: \S*export\.xml item 1 \(post 1\) \(2024\/01\/flood\.md\) "Flood": not imported: more than 200 shortcodes in one post/,
    );
    expect(result.stderr).toMatch(
      /error: \S*export\.xml item 2 \(post 2\) \(2024\/01\/deep\.md\) "Deep": not imported: HTML nested more than 100 elements deep/,
    );
    expect(result.stderr).toMatch(
      /error: \S*export\.xml item 3 \(post 4\) \(2024\/01\/many\.md\) "Many": not imported: more than 50,000 HTML elements in one body/,
    );
    expect(result.stderr).toMatch(
      /error: \S*export\.xml item 4 \(post 5\) \(2024\/01\/huge\.md\) "Huge": not imported: a body of 1,100,000 characters, over the 1,048,576/,
    );
    expect(result.stdout).toMatch(/5 post\(s\): 1 written, 0 unchanged, 0 kept as they were, 4 not imported/);
    expect(result.stdout).toMatch(/check: ok/);
  }, 60_000);
});

describe("a WordPress site's own feeds", () => {
  // WordPress's RSS, Atom and JSON feeds give each post its guid, the plain permalink /?p=ID: an old address to keep.
  const feed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>WP</title><link>${OLD}/</link><description>d</description>
  <item><title>Plain</title><link>${OLD}/2024/03/plain/</link><guid isPermaLink="false">${OLD}/?p=41</guid>
    <pubDate>Fri, 01 Mar 2024 09:30:00 +0000</pubDate><description>A.</description></item>
  <item><title>Language home</title><link>${OLD}/az/2024/03/dil/</link><guid isPermaLink="false">${OLD}/az/?p=42</guid>
    <pubDate>Sat, 02 Mar 2024 09:30:00 +0000</pubDate><description>B.</description></item>
  <item><title>Elsewhere</title><link>${OLD}/2024/03/elsewhere/</link><guid isPermaLink="false">https://other.example/?p=43</guid>
    <pubDate>Sun, 03 Mar 2024 09:30:00 +0000</pubDate><description>C.</description></item>
</channel></rss>
`;

  it("keeps a guid that is the post's plain permalink on its own site's root as an alias, and no other", async () => {
    const dir = await mkdtemp(join(tmpdir(), "edge-feeds-wp-feed-"));
    try {
      await writeFile(join(dir, "feed.xml"), feed);
      const result = await runImport([join(dir, "feed.xml"), "--out", join(dir, "out"), "--offline"]);
      expect(result.code, result.stderr).toBe(0);
      expect((await frontMatter(join(dir, "out"), "2024/03/plain.md")).aliases).toEqual([`${OLD}/2024/03/plain/`, `${OLD}/?p=41`]);
      expect((await frontMatter(join(dir, "out"), "2024/03/dil.md")).aliases).toEqual([`${OLD}/az/2024/03/dil/`]);
      expect((await frontMatter(join(dir, "out"), "2024/03/elsewhere.md")).aliases).toEqual([`${OLD}/2024/03/elsewhere/`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
