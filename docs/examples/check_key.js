// Read a venue's answer to its permission probe (from the site's help index, help/index.json):
// can the key trade, and can it move funds out? Send the probe with your own client (CCXT's
// implicit-API method is `probe.ccxt`), then pass its parsed answer here.

const FUNDS_OUT = ["withdraw", "transfer"];
const ABSENT = Symbol("absent");

function readAnswer(probe, answer, apiKey = "") {
  // Any sign of moving funds wins; then anything the answer does not show, or shows in a way the
  // venue does not document, makes it unknown; then a key that cannot trade is said to be one.
  const found = probe.signals.map((signal) => [signal, shows(signal, valueAt(answer, signal.field, apiKey))]);
  for (const [signal, on] of found) {
    const moves = signal.capability.filter((c) => FUNDS_OUT.includes(c));
    if (moves.length && on) {
      return { verdict: "can-withdraw", reason: `the key can ${moves.join(" and ")}: ${said(signal)}` };
    }
  }
  for (const [signal, on] of found) {
    if (on === null) {
      return { verdict: "unknown", reason: `the answer has no \`${signal.field}\` in the documented form` };
    }
  }
  for (const known of probe.known) {
    const other = items(valueAt(answer, known.field, apiKey)).find((item) => !known.values.some((v) => same(item, v)));
    if (other !== undefined) {
      return {
        verdict: "unknown",
        reason: `\`${known.field}\` holds \`${shown(other)}\`, which the venue's documentation does not list`,
      };
    }
  }
  for (const gap of probe.gaps) {
    if (FUNDS_OUT.includes(gap.capability)) {
      return {
        verdict: "unknown",
        reason: `the answer does not show whether the key can ${gap.capability}: ${gap.text}`,
      };
    }
  }
  const trade = found.filter(([signal]) => signal.capability.includes("trade")).map(([, on]) => on);
  if (trade.length && !trade.some(Boolean)) {
    return { verdict: "cannot-trade", reason: "the key cannot trade: turn its trade permission on" };
  }
  return { verdict: "trade-only", reason: "the key can trade and cannot withdraw or transfer funds out" };
}

// The value at `field`: keys and list indexes separated by dots, and `[i=value]` for the first row
// of a list whose item (or key) `i` is `value` (`@apiKey`: the pasted key). ABSENT when missing.
function valueAt(answer, field, apiKey = "") {
  let value = answer;
  for (const part of field.split(".")) {
    if (part.startsWith("[")) {
      const [key, ...rest] = part.slice(1, -1).split("=");
      const wanted = rest.join("=") === "@apiKey" ? apiKey : rest.join("=");
      const rows = Array.isArray(value) ? value : [];
      const row = rows.find((r) => item(r, key) !== ABSENT && String(item(r, key)) === wanted);
      value = row === undefined ? ABSENT : row;
    } else {
      value = item(value, part);
    }
    if (value === ABSENT) return ABSENT;
  }
  return value;
}

function item(value, key) {
  if (Array.isArray(value)) {
    return /^\d+$/.test(key) && Number(key) < value.length ? value[Number(key)] : ABSENT;
  }
  if (value !== null && typeof value === "object") {
    return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : ABSENT;
  }
  return ABSENT;
}

function shows(signal, value) {
  // Whether the value shows the capability; null when the answer does not hold the field as documented.
  if (value === ABSENT || value === null) return null;
  if (signal.contains !== null) return items(value).some((item) => same(item, signal.contains));
  // A value of another JSON type than documented (the string "false", a 0 for false) says nothing.
  if (typeof value !== typeof signal.equals) return null;
  return value === signal.equals;
}

function same(item, wanted) {
  // A list item as documented: a number matches written as a number or as text (5 or "5").
  if (typeof item === "boolean" || typeof wanted === "boolean" || (item !== null && typeof item === "object")) {
    return item === wanted;
  }
  return String(item) === String(wanted);
}

function items(value) {
  if (Array.isArray(value)) return value;
  return typeof value === "string" ? value.split(/[,\s]+/).filter(Boolean) : [];
}

function shown(item) {
  return typeof item === "string" ? item : JSON.stringify(item);
}

function said(signal) {
  if (signal.contains !== null) return `\`${signal.field}\` includes \`${signal.contains}\``;
  return `\`${signal.field}\` is \`${JSON.stringify(signal.equals)}\``;
}

module.exports = { readAnswer, valueAt };
