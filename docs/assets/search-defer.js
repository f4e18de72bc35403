// Material starts its search worker and downloads its search index as every page loads, so a reader
// who never searches would still pay for the worker and the Pagefind files it loads. This script
// runs in the page head, before Material's bundle, and holds both until the reader first reaches for
// search: focus on the search field (a tap, a click, or Material's / and s shortcuts, which focus it)
// or a press on the search icon. Nothing else changes: the same worker, the same results.
(() => {
  let open;
  const opened = new Promise((resolve) => {
    open = resolve;
  });
  const inSearch = (target) => target instanceof Element && target.closest('[data-md-component="search"], label[for="__search"]');
  for (const type of ["focusin", "pointerdown"]) {
    document.addEventListener(type, (event) => inSearch(event.target) && open(), { capture: true });
  }

  // Material requests the index with XMLHttpRequest: its send waits until search is opened.
  const INDEX = /\/search\/search_index\.json(?:[?#]|$)/;
  const { open: openRequest, send: sendRequest } = XMLHttpRequest.prototype;
  const held = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(String(url))) held.add(this);
    return openRequest.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (!held.has(this)) return sendRequest.call(this, body);
    opened.then(() => sendRequest.call(this, body));
  };

  // A stand-in that Material talks to as it would to the worker; the real one starts on first use.
  const PageWorker = window.Worker;
  window.Worker = class extends EventTarget {
    constructor(url, options) {
      super();
      this.queue = [];
      this.onmessage = this.onmessageerror = this.onerror = null;
      opened.then(() => {
        this.worker = new PageWorker(url, options);
        for (const type of ["message", "messageerror", "error"]) {
          this.worker.addEventListener(type, (event) => {
            const copy = type === "error" ? new Event("error") : new MessageEvent(type, { data: event.data });
            this.dispatchEvent(copy);
            this[`on${type}`]?.(copy);
            if (type === "message") count(event.data);
          });
        }
        for (const message of this.queue.splice(0)) this.worker.postMessage(message);
      });
    }
    postMessage(message) {
      if (this.worker) this.worker.postMessage(message);
      else this.queue.push(message);
    }
    terminate() {
      if (this.worker) this.worker.terminate();
      this.queue.length = 0;
    }
  };

  // The site's worker sends the ten best pages and how many matched in all (search-worker.js):
  // Material counts the ten, so the count is put right once Material has shown them.
  function count(message) {
    const { items, total } = message?.type === 3 ? message.data : {};
    const meta = document.querySelector(".md-search-result__meta");
    if (meta && items && total > items.length) {
      meta.textContent = `${total} matching documents, the best ${items.length} shown`;
    }
  }
})();
