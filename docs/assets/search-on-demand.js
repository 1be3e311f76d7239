// Material for MkDocs requests its full-text index (search/search_index.json,
// about 120 KB gzipped, more than half of a first visit) as soon as any page
// loads, although most visits never search. This holds that one request back
// until the reader opens the search (or arrives from a search result, whose
// ?h= highlight needs the index); Material's search then starts as usual.
// Loaded in the page head, before Material's bundle makes the request. The
// offline copy (file://) loads the index as a script instead and is unaffected.
(() => {
  "use strict";

  const INDEX = /\/search\/search_index\.json$/;
  const held = [];
  let wanted = new URLSearchParams(location.search).has("h");

  const release = () => {
    if (wanted) return;
    wanted = true;
    for (const send of held.splice(0)) send();
  };

  const { open, send } = XMLHttpRequest.prototype;
  const isIndex = new WeakSet();
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (INDEX.test(new URL(url, location.href).pathname)) isIndex.add(this);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...body) {
    if (wanted || !isIndex.has(this)) return send.apply(this, body);
    held.push(() => send.apply(this, body));
  };

  // Opening the search: the search icon (a label toggling #__search), a tap or
  // click into the box, or Material's keyboard shortcut, which focuses the box.
  document.addEventListener("change", (event) => {
    if (event.target.id === "__search") release();
  });
  document.addEventListener("focusin", (event) => {
    if (event.target.closest?.(".md-search")) release();
  });
  document.addEventListener("pointerdown", (event) => {
    if (event.target.closest?.('.md-search, label[for="__search"]')) release();
  });
})();
