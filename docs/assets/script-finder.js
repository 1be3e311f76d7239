// Reply-script finder: shows the best-matching 答客词 above the site's search
// results, for questions typed the way a customer said them.
//
// Material's search only matches whole indexed words, so "车子停哪里" finds
// nothing although a script answers it. The finder scores every script by the
// characters and character pairs it shares with the query, weighted by rarity
// (BM25-style IDF), giving most weight to the question and its other phrasings.
(() => {
  "use strict";

  const MAX_RESULTS = 3;
  const MIN_SCORE = 2.5;
  const MIN_SHARE_OF_BEST = 0.6;
  const DATA_URI = "assets/generated/script-finder-data.js";

  // Colloquial forms mapped to the words scripts use.
  const COLLOQUIAL = [
    [/啥/g, "什么"], [/咋/g, "怎么"], [/哪儿|哪边|哪块/g, "哪里"], [/多钱/g, "多少钱"],
    [/车子/g, "车"], [/娃|小孩|小朋友/g, "孩子"], [/俺|咱/g, "我"], [/么/g, "吗"],
  ];
  // Characters too common in questions to say anything about the topic.
  const STOP = new Set("的了吗呢啊吧呀是我你您们这那个有在要会能可以请问一就都也还和与及或把被给让对".split(""));
  const FIELDS = [["question", 3], ["phrasings", 3], ["tags", 2], ["category", 1], ["reply", 1]];

  let index = null;
  let loading = null;

  const base = () => {
    const config = document.getElementById("__config");
    const path = config ? JSON.parse(config.textContent).base : ".";
    return new URL(path.endsWith("/") ? path : path + "/", location.href);
  };

  const normalize = (text) => {
    let value = text.toLowerCase();
    for (const [pattern, replacement] of COLLOQUIAL) value = value.replace(pattern, replacement);
    return value.replace(/[^\p{Script=Han}\p{L}\p{N}]+/gu, " ");
  };

  // Single characters (less the stop list) and adjacent pairs within each run.
  const grams = (text) => {
    const found = new Set();
    for (const run of normalize(text).split(" ")) {
      const chars = Array.from(run);
      chars.forEach((char, i) => {
        if (!STOP.has(char)) found.add(char);
        if (i + 1 < chars.length) found.add(char + chars[i + 1]);
      });
    }
    return found;
  };

  const build = (entries) => {
    const documentFrequency = new Map();
    const scripts = entries.map((entry) => {
      const fields = FIELDS.map(([name, weight]) => {
        const value = entry[name];
        return [grams(Array.isArray(value) ? value.join(" ") : value), weight];
      });
      const all = new Set(fields.flatMap(([set]) => [...set]));
      for (const gram of all) documentFrequency.set(gram, (documentFrequency.get(gram) || 0) + 1);
      return { entry, fields };
    });
    const total = scripts.length;
    const idf = (gram) => Math.log(1 + total / (documentFrequency.get(gram) || total));
    return { scripts, idf };
  };

  const search = (query) => {
    if (!index) return [];
    const terms = [...grams(query)];
    if (!terms.length) return [];
    return index.scripts
      .map(({ entry, fields }) => {
        let score = 0;
        for (const term of terms) {
          const best = Math.max(0, ...fields.map(([set, weight]) => (set.has(term) ? weight : 0)));
          score += best * index.idf(term) * (term.length > 1 ? 1.5 : 1);
        }
        return { entry, score };
      })
      .filter((result) => result.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score)
      .filter((result, _, sorted) => result.score >= sorted[0].score * MIN_SHARE_OF_BEST)
      .slice(0, MAX_RESULTS);
  };

  const load = () => {
    if (window.hbScriptFinderData) index = index || build(window.hbScriptFinderData);
    if (index || loading) return loading;
    loading = new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = new URL(DATA_URI, base()).href;
      script.onload = () => {
        index = build(window.hbScriptFinderData || []);
        resolve();
      };
      script.onerror = () => resolve();
      document.head.appendChild(script);
    });
    return loading;
  };

  const panel = () => {
    let element = document.querySelector(".hb-finder");
    if (!element) {
      const results = document.querySelector('[data-md-component="search-result"]');
      if (!results) return null;
      element = document.createElement("div");
      element.className = "hb-finder";
      element.setAttribute("aria-live", "polite");
      results.parentNode.insertBefore(element, results);
    }
    return element;
  };

  const show = (query) => {
    const element = panel();
    if (!element) return;
    const results = query.trim() ? search(query) : [];
    element.replaceChildren();
    element.hidden = results.length === 0;
    if (!results.length) return;
    const heading = document.createElement("div");
    heading.className = "hb-finder__title";
    heading.textContent = "答客词";
    const list = document.createElement("ol");
    list.className = "hb-finder__list";
    for (const { entry } of results) {
      const link = document.createElement("a");
      link.className = "hb-finder__link";
      link.href = new URL(entry.url, base()).href;
      const question = document.createElement("strong");
      question.textContent = entry.question;
      const summary = document.createElement("span");
      summary.textContent = `${entry.category} · ${entry.summary}`;
      link.append(question, summary);
      const item = document.createElement("li");
      item.append(link);
      list.append(item);
    }
    element.append(heading, list);
  };

  const input = document.querySelector('[data-md-component="search-query"]');
  if (!input) return;
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", () => {
    const query = input.value;
    Promise.resolve(load()).then(() => {
      if (input.value === query) show(query);
    });
  });
  if (input.value) load().then(() => show(input.value));
})();
