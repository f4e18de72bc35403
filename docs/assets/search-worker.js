// The site's search worker: it answers Material's search dialog from the Pagefind index in pagefind/,
// in the place of Material's own worker (the build copies this file over it; venuekit/search.py).
// Pagefind loads only the index chunks a query's words fall in and the text of the results shown,
// so a first search downloads about the same at 1,000 venues as at 10.
//
// Material's protocol (its integrations/search/worker): it sends SETUP with the search index's
// config and the dialog's options and waits for READY, then one QUERY per change of the query; each
// RESULT holds `items`, one group per page (the page first, then its sections), each with location,
// title and text as HTML, score and `terms` (each query word: found or not), and with search.suggest
// a `suggest` list whose last word completes the word being typed.
const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// Pages shown per query: Material renders ten at once, and each costs one fragment download.
const SHOWN = 10;
const root = new URL(self.location.href.replace(/assets\/[^?#]*$/, ""));
let pagefind = null;
let suggest = false;
let latest = 0;

addEventListener("message", async ({ data: message }) => {
  if (message.type === SETUP) {
    suggest = Boolean(message.data.options?.suggest);
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ basePath: new URL("pagefind/", root).pathname, baseUrl: root.pathname });
    await pagefind.init();
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    // Queries come one per keystroke and Pagefind answers each after its downloads: only the
    // newest is answered, so an older answer never replaces a newer one.
    const asked = ++latest;
    let data;
    try {
      data = await answer(message.data, () => asked !== latest);
    } catch (error) {
      console.warn(`Search failed for ${JSON.stringify(message.data)}`, error);
      data = { items: [] };
    }
    if (asked === latest) postMessage({ type: RESULT, data });
  }
});

// Words as the reader typed them, for Material's `terms` (the ?h= highlight on the page opened).
function words(query) {
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean);
}

// The result for a query; none when a newer query came while Pagefind searched, so that the pages
// of a query typed over are not downloaded.
async function answer(query, stale) {
  const terms = Object.fromEntries(words(query).map((word) => [word, true]));
  if (!Object.keys(terms).length) return { items: [] };
  const found = await pagefind.search(query);
  if (stale()) return null;
  const results = found.results.slice(0, SHOWN);
  const pages = await Promise.all(results.map((result) => result.data()));
  // A CCXT id typed in full puts its guide first (kraken: Kraken Spot, not Kraken Futures); the
  // guide names its ids in Pagefind's meta (templates/guide.md.j2).
  const named = (page) => (page.meta.ccxt || "").split(/[\s,]+/).some((id) => id.toLowerCase() in terms);
  const order = pages.map((page, i) => i).sort((a, b) => named(pages[b]) - named(pages[a]) || a - b);
  // Material's Enter opens the result with the highest score: a named guide gets the best one.
  const best = Math.max(0, ...results.map((result) => result.score));
  const items = order.map((i) => group(pages[i], named(pages[i]) ? best : results[i].score, terms));
  const result = { items, total: found.results.length };
  if (suggest) result.suggest = completion(query, pages[order[0]]);
  return result;
}

// One page's group: the page, then each of its sections that matched. A section whose heading has
// every word shows under the page; the others fold into Material's "more on this page".
function group(page, score, terms) {
  const location = (url) => url.replace(root.pathname, "");
  const keys = Object.keys(terms);
  const article = {
    location: location(page.url),
    title: mark(page.meta.title || page.url, keys),
    text: page.excerpt,
    score,
    terms,
  };
  const sections = (page.sub_results || [])
    .filter((sub) => sub.url.includes("#") && sub.anchor?.element !== "h1")
    .map((sub, i) => {
      const heading = (sub.title || "").toLowerCase();
      const named = keys.every((key) => heading.includes(key));
      return {
        location: location(sub.url),
        title: mark(sub.title || "", keys),
        text: sub.excerpt,
        score: named ? score : score / (2 + i),
        terms,
      };
    });
  return [article, ...sections];
}

// Plain text as HTML, with each word that begins with a query word marked as Material marks it.
function mark(text, keys) {
  const escape = (plain) => plain.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  if (!keys.length) return escape(text);
  const alternatives = [...keys].sort((a, b) => b.length - a.length);
  const pattern = alternatives.map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  let html = "";
  let at = 0;
  for (const match of text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])(?:${pattern})`, "giu"))) {
    html += `${escape(text.slice(at, match.index))}<mark>${escape(match[0])}</mark>`;
    at = match.index + match[0].length;
  }
  return html + escape(text.slice(at));
}

// The word being typed, completed from the best result's title, as the reader typed its start.
function completion(query, page) {
  const typed = query.match(/[\p{L}\p{N}_]+$/u)?.[0];
  if (!typed || !page) return [];
  const title = (page.meta.title || "").split(/[^\p{L}\p{N}_]+/u);
  const word = title.find((w) => w.length > typed.length && w.toLowerCase().startsWith(typed.toLowerCase()));
  return word ? [typed + word.slice(typed.length)] : [];
}
