// "Paste your error": finds the troubleshooting entry for an exact error string or code, as the
// platform shows it (alone, with the venue's name, or inside the JSON the venue sent), in the
// errors the site publishes in help/index.json, in the box on the home page and each guide and as
// the first result of the search dialog. It reads the same data cut to what this script uses, in
// shards (assets/error-lookup/, written by venuekit/lookup.py): a key's shard is a hash of its prefix
// (its first three characters, longer where the manifest splits a crowded group), so a query loads
// only the shards of its own words. No library.
(function () {
  const forms = Array.from(document.querySelectorAll("form.error-lookup"));
  const config = JSON.parse(document.getElementById("__config").textContent);
  const root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  const folder = new URL("assets/error-lookup/", root);
  // No key is shorter: an error code such as 401, a label such as NFT.
  const SHORTEST = 3;
  // The most groups a query's beginning loads; one that would load more waits for more letters.
  const BEGINNINGS = 6;
  let manifest = null;
  const shards = new Map();
  const venues = new Map();

  const fetchJSON = (url) => fetch(url).then((response) => response.json());

  // FNV-1a over the code points of a key's prefix, as the build does.
  function shardOf(prefix, count) {
    let hash = 0x811c9dc5;
    for (const char of prefix) hash = Math.imul(hash ^ char.codePointAt(0), 0x01000193) >>> 0;
    return hash % count;
  }

  // The prefix a key is filed under: its first three characters in lower case, lengthened as the
  // manifest splits them while the key is longer (venuekit/lookup.py prefix_of). Null when a split
  // group lists no key under it: a word still being typed fetches nothing.
  function prefixOf(key, split) {
    const chars = [...key.toLowerCase()];
    let prefix = chars.slice(0, SHORTEST).join("");
    while (split[prefix] && chars.length > [...prefix].length) {
      const [length, children] = split[prefix];
      prefix = chars.slice(0, length).join("");
      if (!children.includes(prefix)) return null;
    }
    return prefix;
  }

  // Every prefix a key that begins with `start` can be filed under: the query's own, or where the
  // manifest splits a group by prefixes longer than the query, each of those that begins with it.
  function prefixesFrom(start, split) {
    const chars = [...start.toLowerCase()];
    let prefix = chars.slice(0, SHORTEST).join("");
    while (split[prefix] && split[prefix][0] <= chars.length) prefix = chars.slice(0, split[prefix][0]).join("");
    const lower = chars.join("");
    const found = [prefix];
    const under = (node) => {
      for (const child of split[node] ? split[node][1] : []) {
        if (!child.startsWith(lower)) continue;
        found.push(child);
        under(child);
      }
    };
    under(prefix);
    // A beginning that many messages share (a word such as "Invalid") waits for more letters.
    return found.length <= BEGINNINGS ? found : [];
  }

  // The lookup data for a text: every shard one of its candidates can be in, merged with those
  // loaded before. A venue's entries come whole in each shard they belong to, once each here.
  async function load(text) {
    manifest ??= fetchJSON(new URL("index.json", folder));
    const { shards: count, split = {} } = await manifest;
    const keys = [...candidates(text), text.trim().toLowerCase()].filter((key) => [...key].length >= SHORTEST);
    const prefixes = keys.map((key) => prefixOf(key, split)).filter((prefix) => prefix !== null);
    // A query of eight or more characters may begin messages (byBeginning below).
    if ([...text.trim()].length >= 8) prefixes.push(...prefixesFrom(text.trim(), split));
    const wanted = [...new Set(prefixes.map((prefix) => shardOf(prefix, count)))];
    for (const number of wanted) {
      if (!shards.has(number)) shards.set(number, fetchJSON(new URL(`${number}.json`, folder)).then(merge));
    }
    await Promise.all(wanted.map((number) => shards.get(number)));
    return data();
  }

  function merge(shard) {
    for (const part of shard.venues) {
      const venue = venues.get(part.order) || { ...part, errors: [], permissions: [] };
      venues.set(part.order, venue);
      for (const entry of part.errors) {
        if (!venue.errors.some((e) => e.path === entry.path)) venue.errors.push(entry);
      }
      for (const row of part.permissions) {
        if (!venue.permissions.some((r) => r.label === row.label && r.state === row.state)) venue.permissions.push(row);
      }
    }
  }

  // Every error string of the shards loaded so far, as written and in lower case, with its entries.
  function data() {
    const byError = new Map();
    const all = [...venues.values()].sort((a, b) => a.order - b.order);
    for (const venue of all) {
      for (const entry of venue.errors) {
        for (const error of entry.errors) {
          for (const key of [error, error.toLowerCase()]) {
            if (!byError.has(key)) byError.set(key, []);
            byError.get(key).push({ venue, entry, error });
          }
        }
      }
    }
    return { venues: all, byError };
  }

  // What in the pasted text could be the error: the whole text, every value of any JSON in it,
  // every quoted string, and every word.
  function candidates(text) {
    const found = [text.trim()];
    const walk = (value) => {
      if (value === null || value === undefined) return;
      if (typeof value === "object") Object.values(value).forEach(walk);
      else found.push(String(value));
    };
    const brace = text.search(/[{[]/);
    if (brace >= 0) {
      try {
        walk(JSON.parse(text.slice(brace)));
      } catch (error) {
        // Not JSON after all: the quoted strings and words below still count.
      }
    }
    for (const match of text.matchAll(/"([^"]+)"/g)) found.push(match[1]);
    found.push(...text.split(/\s+/).map((word) => word.replace(/^[,;'"]+|[,;'"]+$/g, "")));
    return found.filter((item) => item.length > 0);
  }

  // A venue the reader named (by CCXT id, name or slug), else the guide the box is on.
  function hinted(venues, text, here) {
    const words = text.toLowerCase().split(/[^a-z0-9-]+/);
    const named = venues.find((v) => v.ccxt.some((id) => words.includes(id)) || words.includes(v.slug));
    return named ? named.slug : here;
  }

  // Every entry any candidate names, best first: the guide the reader named or is on; then the
  // entry the most candidates name (a code and its message in the same JSON both point at it, the
  // whole text counting twice); then by venue, as the index lists them, and a venue's main guide,
  // whose CCXT id is the shortest, before its other products (binance before binanceusdm).
  function lookup(data, text, here) {
    const prefer = hinted(data.venues, text, here);
    const found = new Map();
    candidates(text).forEach((candidate, i) => {
      const hits = data.byError.get(candidate) || data.byError.get(candidate.toLowerCase()) || [];
      for (const hit of hits.filter((h, j) => hits.findIndex((o) => o.entry === h.entry) === j)) {
        const seen = found.get(hit.entry) || { hit, score: 0, order: found.size };
        seen.score += i === 0 ? 2 : 1;
        found.set(hit.entry, seen);
      }
    });
    const venueOrder = (h) => h.venue.rank;
    const mainFirst = (h) => Math.min(...h.venue.ccxt.map((id) => id.length));
    const key = ({ hit, score, order }) => [
      hit.venue.slug === prefer ? 0 : 1,
      -score,
      venueOrder(hit),
      mainFirst(hit),
      order,
    ];
    const compare = (a, b) => {
      const [x, y] = [key(a), key(b)];
      return x.reduce((result, value, i) => result || value - y[i], 0);
    };
    return [...found.values()].sort(compare).map(({ hit }) => hit);
  }

  function show(form, hits, text) {
    const output = form.querySelector("output");
    output.textContent = "";
    if (!text.trim()) return;
    if (!hits.length) {
      output.textContent = "No guide lists this exact message. Search the site for its words instead.";
      return;
    }
    hits.forEach((hit, i) => {
      const link = document.createElement("a");
      link.href = new URL(hit.entry.path, root).href;
      link.className = i === 0 ? "error-lookup-first" : "";
      link.textContent = `${hit.error}: ${hit.venue.name}, Troubleshooting`;
      const line = document.createElement("span");
      line.className = "error-lookup-hit";
      if (i > 0) line.append(i === 1 ? "Also: " : "");
      line.append(link);
      output.append(line);
    });
  }

  // The search dialog: a query that is an exact error (alone, with the venue's name, or in its JSON)
  // gets its entries as the first results, above Material's full-text results, which it keeps; a
  // query that begins an error message gets the messages it begins. At most three, best first.
  const query = document.querySelector('form[name="search"] input');
  const list = document.querySelector(".md-search-result__list");
  const meta = document.querySelector(".md-search-result__meta");
  if (query && list) {
    let shown = [];
    // The entry the keyboard is on: Material's results can arrive after it, and rebuilding the list
    // takes these out and puts them back, which would drop the focus.
    let focused = null;
    list.addEventListener("focusin", ({ target }) => {
      focused = shown.some((item) => item.contains(target)) ? target : null;
    });
    const place = () => {
      if (shown.length && list.firstElementChild !== shown[0]) list.prepend(...shown);
      const lost = !document.activeElement || document.activeElement === document.body;
      if (focused && lost && shown.some((item) => item.contains(focused))) focused.focus();
      // Material says "No matching documents" when its own search found none: ours still match.
      if (shown.length && meta && list.children.length === shown.length) {
        meta.textContent = `${shown.length} matching ${shown.length === 1 ? "entry" : "entries"}`;
      }
    };
    // Material rebuilds the list on every query: put these back on top each time.
    new MutationObserver(place).observe(list, { childList: true });
    query.addEventListener("input", () => {
      const text = query.value;
      load(text).then((data) => {
        if (query.value !== text) return;
        const exact = text.trim() ? lookup(data, text, "") : [];
        const hits = exact.length ? exact : byBeginning(data, text);
        const kind = exact.length ? "Exact error" : "Error that starts so";
        shown.forEach((item) => item.remove());
        shown = hits.slice(0, 3).map((hit) => errorResult(hit, kind));
        if (!shown.length) shown = byLabel(data, text).slice(0, 3).map(labelResult);
        place();
      });
    });
  }

  // A query of eight or more characters that begins error messages ("Invalid API-key" for
  // Binance's "Invalid API-key, IP, or permissions for action."): their entries, shortest first.
  function byBeginning(data, text) {
    const start = text.trim().toLowerCase();
    if (start.length < 8) return [];
    const messages = [...data.byError.keys()].filter((k) => k === k.toLowerCase() && k.startsWith(start));
    messages.sort((a, b) => a.length - b.length);
    return messages.flatMap((message) => lookup(data, data.byError.get(message)[0].error, ""));
  }

  // A query that is a permission's label on a venue's form (or its other name): that guide's
  // checklist, with what to do with the box. Labels first, then other names.
  const STATES = {
    required: "✓ turn on",
    optional: "◐ your choice",
    off: "– leave off",
    forbidden: "✗ never turn on",
    cannot: "✗ the API wallet cannot",
    limited: "⚠ limited",
  };
  function byLabel(data, text) {
    const wanted = text.trim().toLowerCase();
    if (wanted.length < 4) return [];
    const found = [];
    ["label", "names"].forEach((pass, rank) => {
      for (const venue of data.venues) {
        for (const row of venue.permissions || []) {
          const names = pass === "label" ? [row.label] : row.names;
          if (names.some((name) => name.toLowerCase() === wanted) && !found.some((f) => f.venue === venue)) {
            found.push({ venue, row, rank });
          }
        }
      }
    });
    // As for errors: by venue, as the index lists them, and a venue's main guide before its others.
    const order = (f) => [
      f.rank,
      f.venue.rank,
      Math.min(...f.venue.ccxt.map((id) => id.length)),
    ];
    return found.sort((a, b) => order(a).reduce((r, x, i) => r || x - order(b)[i], 0));
  }

  function labelResult({ venue, row }) {
    const hit = { venue, error: row.label, entry: { path: venue.sections.permissions } };
    return resultItem(hit, `Permission on ${venue.name}'s form (${STATES[row.state]})`);
  }

  function errorResult(hit, kind) {
    return resultItem(hit, `${kind}: ${hit.venue.name}, Troubleshooting`);
  }

  function resultItem(hit, description) {
    const item = document.createElement("li");
    item.className = "md-search-result__item error-lookup-result";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(hit.entry.path, root).href;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("h1");
    const code = document.createElement("code");
    code.textContent = hit.error;
    title.append(code);
    // A bare code comes with the message that names it in words, as the guide's heading shows it.
    const words = /^-?\d+$/.test(hit.error) && (hit.entry.errors || []).find((e) => !/^-?\d+$/.test(e));
    if (words) {
      const message = document.createElement("code");
      message.textContent = words;
      title.append(" ", message);
    }
    const where = document.createElement("p");
    where.textContent = description;
    article.append(title, where);
    link.append(article);
    item.append(link);
    return item;
  }

  for (const form of forms) {
    const input = form.querySelector("input");
    const here = form.dataset.venue || "";
    let hits = [];
    input.addEventListener("input", () => {
      const text = input.value;
      load(text).then((data) => {
        if (input.value !== text) return;
        hits = lookup(data, text, here);
        show(form, hits, text);
      });
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load(input.value).then((data) => {
        hits = lookup(data, input.value, here);
        show(form, hits, input.value);
        if (hits.length) location.href = new URL(hits[0].entry.path, root).href;
      });
    });
  }
})();
