// Find the help page for a failed exchange connection, using the site's help index (help/index.json).

function helpUrl(index, exchangeId, message = "") {
  const venue = index.venues.find((v) => v.ccxt.includes(exchangeId));
  if (!venue) return null;
  const known = index.errors[exchangeId] || {};
  if (Object.hasOwn(known, message)) return index.site_url + known[message];
  // Exchanges wrap their codes and messages in JSON or text: look for the longest known one inside,
  // as written or as JSON escapes it (quotes, non-ASCII letters).
  const longestFirst = Object.keys(known).sort((a, b) => b.length - a.length);
  const found = longestFirst.find((error) => message.includes(error) || message.includes(jsonEscaped(error)));
  if (found !== undefined) return index.site_url + known[found];
  return index.site_url + venue.sections.troubleshooting;
}

function jsonEscaped(text) {
  const quoted = JSON.stringify(text).slice(1, -1);
  return quoted.replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

if (typeof module !== "undefined") module.exports = { helpUrl };
