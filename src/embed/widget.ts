// The partner embed script, a static asset at /embed.js and at its fingerprinted path under /assets/
// (src/node/build-assets.ts): vanilla JS, no framework, no cookies, DOM built without innerHTML.
//
// It reads its own <script> tag's data attributes, fetches headlines.json from the site it was loaded from, and
// renders a list of links into a Shadow DOM so neither page's CSS reaches the other. Article text only ever goes
// through textContent and setAttribute. Each headline carries its language and direction (a Persian headline reads
// right to left on an English page); the relative time is in the page's language, isolated in a <bdi>. The
// relative-time rule matches formatRelativeTime in src/core/headlines.ts.
// Kept as a string (no backticks or dollar-brace inside): the asset build writes it out as it is, with no bundler.

const SOURCE = `
(function () {
  "use strict";
  var s = document.currentScript;
  if (!s || !s.src) return;
  var d = s.dataset, base = new URL(".", s.src), q = new URLSearchParams();
  if (base.pathname.slice(-8) === "/assets/") base = new URL("..", base);
  if (d.section) q.set("section", d.section);
  if (d.limit) q.set("limit", d.limit);
  if (d.key) q.set("key", d.key);
  var target = d.target ? document.querySelector(d.target) : null;
  var host = document.createElement("edge-headlines");
  if (target) target.appendChild(host); else s.parentNode.insertBefore(host, s);
  var root = host.attachShadow({ mode: "open" });
  var css = document.createElement("style");
  css.textContent = CSS_TEXT;
  root.appendChild(css);
  var locale = d.locale || document.documentElement.lang || navigator.language;
  function el(name, attrs, text) {
    var e = document.createElement(name);
    for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, String(attrs[k]));
    if (text != null) e.textContent = text;
    return e;
  }
  function fmt(Kind, opts) {
    try { return new Kind(locale, opts); } catch (e) { return new Kind(undefined, opts); }
  }
  var rtf = fmt(Intl.RelativeTimeFormat, { numeric: "auto" });
  var dtf = fmt(Intl.DateTimeFormat, { dateStyle: "medium", timeStyle: "short" });
  var units = [["second", 1], ["minute", 60], ["hour", 3600], ["day", 86400], ["week", 604800], ["month", 2629800], ["year", 31557600]];
  function ago(date) {
    var sec = (date.getTime() - Date.now()) / 1000, u = units[0];
    for (var i = 0; i < units.length; i++) if (Math.abs(sec) >= units[i][1]) u = units[i];
    return rtf.format(Math.round(sec / u[1]), u[0]);
  }
  function render(data) {
    var items = Array.isArray(data.items) ? data.items : [];
    var box = el("section", { "aria-labelledby": "edge-h" });
    box.appendChild(el("h2", { id: "edge-h" }, d.title || data.title || "Headlines"));
    var ul = el("ul", { role: "list" });
    items.forEach(function (it) {
      var dir = it.dir === "rtl" || it.dir === "ltr" ? it.dir : "auto";
      var li = el("li", { lang: it.language || null, dir: dir }), a = el("a", { href: it.url });
      if (d.thumbnails === "true" && it.image && it.image.url) {
        a.appendChild(el("img", { src: it.image.url, alt: "", width: 64, height: 48, loading: "lazy", decoding: "async", referrerpolicy: "no-referrer" }));
      }
      a.appendChild(el("span", { "class": "t" }, it.title));
      li.appendChild(a);
      var when = new Date(it.date_published);
      if (!isNaN(when.getTime())) {
        var time = el("time", { datetime: it.date_published, title: dtf.format(when) });
        time.appendChild(el("bdi", { lang: locale }, ago(when)));
        li.appendChild(time);
      }
      ul.appendChild(li);
    });
    box.appendChild(ul);
    root.appendChild(box);
  }
  fetch(new URL("headlines.json?" + q, base), { credentials: "omit", headers: { Accept: "application/json" } })
    .then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body && body.detail ? body.detail : "HTTP " + r.status);
        return body;
      });
    })
    .then(render)
    .catch(function (e) {
      host.hidden = true;
      console.warn("edge-feeds embed: " + e.message);
    });
})();
`;

// Resets inherited properties at the wrapper (the partner may style the host element), then sets our own; the
// colours follow prefers-color-scheme.
const CSS = [
  ":host{display:block;margin:0;padding:0}",
  ":host([hidden]){display:none}",
  "section{all:initial;display:block;box-sizing:border-box;padding:12px 14px;border:1px solid #8886;border-radius:8px;" +
    "font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#fff}",
  "h2{all:unset;display:block;font-size:12px;font-weight:700;letter-spacing:.06em;text-transform:uppercase;margin:0 0 6px;color:#555}",
  "ul{all:unset;display:block;list-style:none}",
  "li{all:unset;display:block;padding:8px 0;border-top:1px solid #8884}",
  "li:first-child{border-top:0}",
  "a{all:unset;display:flex;gap:10px;align-items:flex-start;cursor:pointer;color:#0b57d0;font-weight:600}",
  "a:hover .t{text-decoration:underline}",
  "a:focus-visible{outline:3px solid currentColor;outline-offset:2px;border-radius:2px}",
  "img{width:64px;height:48px;object-fit:cover;border-radius:4px;flex:none}",
  "time{display:block;font-size:12px;color:#5c5c5c;margin-top:2px}",
  "@media (prefers-color-scheme:dark){section{color:#e8e8e8;background:#15171a}h2{color:#aaa}a{color:#8ab4f8}time{color:#a8a8a8}}",
].join("");

/** The script body: comments and indentation dropped, the stylesheet inlined as a JSON string literal. */
export const EMBED_SCRIPT: string =
  SOURCE.split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n")
    .replace("CSS_TEXT", JSON.stringify(CSS)) + "\n";
