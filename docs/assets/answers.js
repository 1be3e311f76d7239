// Answer search: one ranked list of reply scripts (答客词) and handbook rules,
// each shown with the answer itself, above the site's full-text search.
//
// The data (assets/generated/answers-data.js, built from the content model by
// generator/render/answers.py) is loaded as a script, so this works from file:// and does not
// depend on the site engine's search. Scoring: characters and character pairs of the query,
// weighted by rarity over all answers (IDF) and by the field they occur in. An answer's search
// questions (a script's other phrasings, an item's asked questions) are units of their own:
// the answer is matched by its text and keys (tags, its post's role names) plus its best
// question, so words from two unrelated questions do not add up. Generic words (你们, 员工, 怎么, 要求
// …) and function words (到底, 已经, 的话 …: jieba's adverbs, conjunctions, particles) are cut out
// of the query first, and an answer must cover most of what is left of the query, with at
// least one whole pair, or it is not shown: a query that shares only generic words with an
// answer gets the "nothing found" state and the fallback (无法当场解答; 请示主管) instead; so does a
// best match too weak for the query or with a rival as strong (SURENESS), its matches listed
// below as close ones, unless one clause of the query alone is clearly sure of it (CLAUSE); a
// query matching nothing as a whole shows the close matches of its clearest clause that asks
// something. The query is also cut into words (the answers' own words, from jieba at build
// time); a common word the handbook never uses (工资, 年会 …) counts against every answer. A
// question asking for a figure (多久, 几声) favours answers that state one, one asking what a word
// means (啥叫期房, 定金跟订金有啥区别) the glossary's terms; one asking for a price
// or a brand is unanswered when the best match never speaks of one. A question naming a topic
// the handbook leaves to someone else (handbook.yml not_covered: 工资, 病假 …) says so and whom to
// ask.
//
// Content is text: everything is rendered with createElement/textContent.
(() => {
  "use strict";

  const MAX_RESULTS = 5;
  const PER_SECTION = 2;
  const MIN_COVERAGE = 0.3;
  // How much an answer that leaves part of the query unanswered ranks below one that answers all of it.
  const COVERAGE_POWER = 1.5;
  // A confirming pair must be rarer than this share of answers (not 公司, 客户 …).
  const MAX_PAIR_SHARE = 0.05;
  const MIN_PAIR_FREE_COVERAGE = 0.85;
  const MIN_SHARE_OF_BEST = 0.45;
  const EXPANSION_WEIGHT = 0.8;
  const ABSENT_WEIGHT = 1;
  const MIN_PAIR_COVERAGE = 0.1;
  // Staff search mostly while a customer waits: a reply script wins a near tie with a rule,
  // and a clear one when the question is put to staff (你, 你们), as a customer's is. It gets
  // no such prior when the question is about staff's own work: it speaks of the customer in
  // the third person (客户, 客人), or of being on duty (上班, 值班, 到岗 …), as customers never do.
  const SCRIPT_PRIOR = 1.25;
  const CUSTOMER_VOICE = { pattern: /你/, prior: 2 };
  const STAFF_VOICE = /客户|客人|顾客|访客|上班|当班|值班|上岗|到岗|站岗|新人|新员工|同事/;
  // A question that asks for a figure (多久, 几声, 多远 …) is best answered by an answer that states one.
  const ASKS_FIGURE = /多久|多长|多远|多高|多大|多快|几[次声下天个分小周月年米人遍]/;
  const STATES_FIGURE = /[0-9０-９一二两三四五六七八九十百半]+\s*(分钟|小时|天|日|周|月|年|次|声|米|厘米|毫米|人|个|遍|秒|度|%|％)/;
  const FIGURE_PRIOR = 1.5;
  // A question asking what a word means (啥叫期房, 定金跟订金有啥区别) is best answered by the glossary.
  const ASKS_MEANING = /什么意思|什么叫|什么是|是指什么|区别|不一样|一回事/;
  const TERM_PRIOR = 4;
  // A question naming a post (做保洁的, 当保安的) asks about that post's rules: another
  // post's version of the same rule ranks below it.
  const OTHER_POST_PRIOR = 0.6;
  // A question asking for a price (a deposit, a charge for damage), or a brand, is not
  // answered by a passage that never speaks of one: if the best match does not (鞋套多少钱 →
  // the rule on shoe covers, 工牌丢了要赔钱吗 → the rule on wearing it, 消毒液是什么牌子 → the
  // rule on disinfecting), nothing does.
  const ASKS_FOR = [
    { asks: /多少钱|价格|价钱|贵不贵|要钱|花多少|收费|交钱|押金|赔/, speaks: /钱|价|费|元|免费|优惠|贵|便宜|折|付|贷|款|押金/ },
    { asks: /牌子|品牌|厂家|厂商/, speaks: /牌子|品牌|厂家|厂商/ },
  ];
  // How sure the best match is: its support (the log of its score per unit of what the
  // query asks), less `rivalry` times the share of it its runner-up by another title has. Below `minimum`
  // the list is shown as close matches under "nothing found", not as the answer. Both
  // are fitted by bench/fit_sureness.py on the tuned, held-out and fresh question sets.
  const SURENESS = { rivalry: 4.08, minimum: -1.84 };
  // A chatty question wraps one clear ask in small talk (我家狗还在车上呢，能牵进来看房不 …):
  // when one of its clauses (of at least `minLength` characters) is, alone, surer than
  // the minimum by `margin` of the same best match, the whole question is sure of it too.
  const CLAUSE = { minLength: 4, margin: 1 };
  // A clause that asks: a question word, or a yes-no ending (…吗, …不, …没).
  const ASKS_QUESTION = /[哪吗呢几谁]|什么|怎么|多少|多久|能不能|可不可以|有没有|是不是|[不没]$/;
  const DATA_URI = "assets/generated/answers-data.js";
  // Characters of the question repeated in "nothing found".
  const ECHO_LENGTH = 16;

  // Colloquial forms mapped to the words the content uses.
  const COLLOQUIAL = [
    [/啥/g, "什么"], [/咋整|咋办/g, "怎么办"], [/咋/g, "怎么"], [/干(?=[些点]?什么|吗|嘛|活)/g, "做"], [/哪儿|哪边|哪块/g, "哪里"], [/多钱/g, "多少钱"], [/什么意识/g, "什么意思"],
    [/头(?=1[天周次])/g, "第"], [/响([到了]?第?[几0-9]+)下/g, "响$1声"], [/车子/g, "车"], [/娃|小孩|小朋友/g, "孩子"], [/俺|咱/g, "我"], [/(?<![什怎那这多要])么/g, "吗"],
  ];
  // Words that say nothing about the topic: cut out of the query before scoring.
  const GENERIC = [
    "怎么办", "怎么样", "怎么", "如何", "什么", "哪些", "是不是", "有没有", "能不能", "可不可以",
    "可以", "需要", "应该", "要求", "规定", "员工", "你们", "我们", "他们", "这个", "那个",
    "这里", "这边", "一下", "请问", "时候", "没有", "在哪", "哪里", "多少", "多久", "几点",
    "几号", "几天", "几个", "多长", "多大", "多高", "哪家", "哪个", "行不行", "好不好", "对不对", "不是", "回事",
  ];
  const GENERIC_PATTERN = new RegExp(GENERIC.join("|"), "g");
  // An A-not-A question (管不管饭, 包不包住) names its topic's words without the 不 (管饭, 包住).
  const A_NOT_A = /(\p{Script=Han})[不没]\1/gu;
  // Characters that ask (第几下, 多远, 找谁): never read as a typo of a same-sounding one.
  const ASKING = new Set("第几多哪谁啥么吗呢".split(""));
  // Single characters too common to say anything about the topic.
  const STOP = new Set("的了吗呢啊吧呀是我你您他她们这那个有没在要会能可以请问一就都也还和与及或把被给让对得地".split(""));
  // Field weights: where a query term is found matters.
  const FIELDS = [["title", 3], ["keys", 3], ["label", 1.5], ["text", 1.5], ["avoid", 0.5]];
  const QUESTION_WEIGHT = 2.5;
  const CLOSENESS_WEIGHT = 2;

  // Counts written in words match counts in figures: 一次 is 1次, 两个小时 is 2个小时.
  const NUMERALS = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
  const COUNTED = /([一二两三四五六七八九十])(?=次|个|天|小时|分钟|周|月|年|米|人|声|遍|秒|层)/g;

  // Two terms side by side; a whole number counts as one term, like a character.
  const isPair = (gram) => gram.length > 1 && !/^[0-9]+$/.test(gram);

  const normalize = (text) => {
    let value = String(text).toLowerCase().replace(COUNTED, (numeral) => NUMERALS[numeral]);
    for (const [pattern, replacement] of COLLOQUIAL) value = value.replace(pattern, replacement);
    return value.replace(/[^\p{Script=Han}\p{L}\p{N}]+/gu, " ");
  };

  // Single characters (less the stop list) and adjacent pairs within each run. A whole
  // number is one term, so 45 is not found in 12345.
  const grams = (text, found = new Set()) => {
    for (const run of text.split(" ")) {
      const chars = run.match(/[0-9]+|./gu) || [];
      chars.forEach((char, i) => {
        if (!STOP.has(char)) found.add(char);
        if (i + 1 < chars.length) found.add(char + chars[i + 1]);
      });
    }
    return found;
  };

  const build = (data) => {
    const answers = data.answers || [];
    const postings = new Map();
    answers.forEach((answer, doc) => {
      // A term counts with the weight of the best field it is found in.
      const best = new Map();
      for (const [name, weight] of FIELDS) {
        for (const gram of grams(normalize(answer[name] || ""))) {
          if ((best.get(gram) || 0) < weight) best.set(gram, weight);
        }
      }
      for (const [gram, weight] of best) {
        let list = postings.get(gram);
        if (!list) postings.set(gram, (list = []));
        list.push(doc, weight);
      }
    });
    // Each search question (a phrasing, an asked question) is a unit of its own: an answer
    // is matched by its body plus its best question, not the union of all its questions.
    const unitDoc = [];
    const unitGrams = [];
    const unitPostings = new Map();
    answers.forEach((answer, doc) => {
      const questions = [answer.kind === "script" ? answer.title : "", ...(answer.words || "").split("\n")];
      for (const question of questions.filter(Boolean)) {
        const set = grams(normalize(question));
        for (const gram of set) {
          let list = unitPostings.get(gram);
          if (!list) unitPostings.set(gram, (list = []));
          list.push(unitDoc.length);
        }
        unitDoc.push(doc);
        unitGrams.push(set);
      }
    });
    // Document frequency of a term: answers whose body or any question has it.
    const docFrequency = new Map();
    for (const [gram, list] of postings) docFrequency.set(gram, new Set(list.filter((_, i) => i % 2 === 0)));
    for (const [gram, list] of unitPostings) {
      const set = docFrequency.get(gram) || new Set();
      for (const unit of list) set.add(unitDoc[unit]);
      docFrequency.set(gram, set);
    }
    const frequency = new Map([...docFrequency].map(([gram, set]) => [gram, set.size]));
    const total = answers.length || 1;
    // A term no answer has is as rare as can be: it counts fully against coverage.
    const idf = (gram) => Math.log(1 + total / (frequency.get(gram) || 1));
    const synonyms = (data.synonyms || []).map((group) => group.map(normalize));
    const byId = new Map(answers.map((answer) => [answer.id, answer]));
    const split = (text) => (text || "").split(" ").filter(Boolean);
    const absent = new Set(split(data.absent));
    // The standards and shared tasks each answer's section states, read once here, not per
    // query: every item of a procedure that names a standard is that rule's context.
    const sectionRules = new Map();
    for (const answer of answers) {
      const set = sectionRules.get(answer.url) || new Set();
      for (const rule of split(answer.rules)) set.add(rule);
      sectionRules.set(answer.url, set);
    }
    const rules = new Map(answers.map((answer) => [answer, sectionRules.get(answer.url)]));
    // Topics the handbook leaves to someone else (pay, leave …): their words, normalised, to their topic.
    const notCovered = new Map();
    for (const topic of data.not_covered || []) {
      for (const word of topic.words) notCovered.set(normalize(word).trim(), topic);
    }
    // Words a query is cut into: the answers' own, common words they never use, and the lists here.
    const vocabulary = new Set(split(data.vocabulary));
    const filler = new Set(split(data.filler));
    const words = new Set([...vocabulary, ...absent, ...filler, ...GENERIC, ...synonyms.flat(), ...notCovered.keys()]);
    let longest = 1;
    for (const word of words) longest = Math.max(longest, word.length);
    // Same-sounding characters, with the initials and finals people mix up (zh/z, ch/c, sh/s, -ng/-n) merged.
    const sounds = new Map();
    for (const [reading, chars] of Object.entries(data.readings || {})) {
      const sound = reading.replace(/^([zcs])h/, "$1").replace(/ng$/, "n");
      sounds.set(sound, (sounds.get(sound) || "") + chars);
    }
    const homophones = new Map();
    for (const chars of sounds.values()) {
      for (const char of chars) {
        const list = homophones.get(char) || new Set();
        for (const other of chars) if (other !== char) list.add(other);
        homophones.set(char, list);
      }
    }
    const posts = Object.entries(data.posts || {}).map(([post, names]) => [post, names.map((name) => normalize(name).trim())]);
    return {
      posts,
      answers, postings, unitPostings, unitDoc, unitGrams, frequency, idf, synonyms, byId, absent, vocabulary, words, longest, homophones, notCovered, filler, rules,
      fallback: data.fallback,
      supervisors: data.supervisors,
    };
  };

  // A character that is in no word or pair of the query is often a typo of a same-sounding
  // one (洗首间 for 洗手间, 容基率 for 容积率): swap in the one that makes the longest
  // word of the handbook, if any does.
  const correct = (index, text) =>
    text
      .split(" ")
      .map((run) => {
        const chars = Array.from(run);
        // The longest word of `words` in chars that includes position i.
        const longestAt = (i, words) => {
          let best = 0;
          for (let start = Math.max(0, i - index.longest + 1); start <= i; start++) {
            for (let end = Math.max(i + 1, start + 2); end <= Math.min(chars.length, start + index.longest); end++) {
              if (end - start > best && words.has(chars.slice(start, end).join(""))) best = end - start;
            }
          }
          return best;
        };
        const uses = (pair) => index.frequency.has(pair);
        const inPair = (i) => (i > 0 && uses(chars[i - 1] + chars[i])) || (i + 1 < chars.length && uses(chars[i] + chars[i + 1]));
        chars.forEach((char, i) => {
          if (STOP.has(char) || ASKING.has(char) || inPair(i) || longestAt(i, index.words)) return;
          let best = null;
          let longest = 0;
          for (const other of index.homophones.get(char) || []) {
            chars[i] = other;
            const length = longestAt(i, index.vocabulary);
            if (length > longest) [best, longest] = [other, length];
          }
          chars[i] = best || char;
        });
        return chars.join("");
      })
      .join(" ");

  // The query cut into as few known words as possible; anything else stays single characters.
  const segment = (index, text) => {
    const tokens = [];
    for (const run of text.split(" ")) {
      const chars = Array.from(run);
      const cost = [0];
      const from = [0];
      for (let end = 1; end <= chars.length; end++) {
        cost[end] = cost[end - 1] + 1;
        from[end] = end - 1;
        for (let start = Math.max(0, end - index.longest); start < end - 1; start++) {
          if (cost[start] + 1 < cost[end] && index.words.has(chars.slice(start, end).join(""))) {
            cost[end] = cost[start] + 1;
            from[end] = start;
          }
        }
      }
      const cut = [];
      for (let end = chars.length; end > 0; end = from[end]) cut.unshift(chars.slice(from[end], end).join(""));
      tokens.push(...cut);
    }
    return tokens;
  };

  // The query less its filler words (到底, 已经, 自己 …): they say nothing about the topic.
  const cutFiller = (index, text) =>
    text
      .split(" ")
      .map((run) => segment(index, run).map((token) => (index.filler.has(token) ? " " : token)).join(""))
      .join(" ");

  // The synonym groups a text says a word of.
  const groupsIn = (index, text) => index.synonyms.filter((group) => group.some((word) => text.includes(word)));

  // The query's own terms (generic words cut), the terms its synonyms add, and all it says.
  const queryTerms = (index, normalized) => {
    const text = correct(index, normalized);
    const own = grams(cutFiller(index, text.replace(GENERIC_PATTERN, " ")));
    const added = new Set();
    for (const group of groupsIn(index, text)) {
      for (const word of group) if (!text.includes(word)) grams(word, added);
    }
    for (const gram of own) added.delete(gram);
    return { own, added, said: grams(text) };
  };

  // The words a query is cut into; an A-not-A question (管不管饭) is read without the 不.
  const queryWords = (index, normalized) => segment(index, normalized.replace(A_NOT_A, "$1"));

  // The topic the handbook does not cover that the query's words name (工资, 病假 …), if
  // any: a whole word of the query, so 参加班前会 is not 加班, or inside a word the handbook
  // never uses (月工资).
  const uncovered = (index, words) => {
    for (const word of words) {
      if (index.notCovered.has(word)) return index.notCovered.get(word);
      if (index.vocabulary.has(word)) continue;
      for (const [covered, topic] of index.notCovered) if (word.includes(covered)) return topic;
    }
    return null;
  };

  // The posts a query names, by their names or a synonym of one (保安 is 秩序维护).
  const namedPosts = (index, normalized) => {
    const text = [normalized, ...groupsIn(index, normalized).flat()].join(" ");
    return new Set(index.posts.filter(([, names]) => names.some((name) => text.includes(name))).map(([post]) => post));
  };

  const sureness = ({ support, rivalry }) => support - SURENESS.rivalry * rivalry;

  const search = (index, query, inClause = false) => {
    if (!index) return [];
    const normalized = normalize(query);
    const words = queryWords(index, normalized);
    if (uncovered(index, words)) return [];
    const { own, added, said } = queryTerms(index, normalized);
    const strength = (gram) => index.idf(gram) * (gram.length > 1 ? 1.5 : 1);
    // Coverage is measured on the query's own characters; pairs rank and confirm.
    let wanted = 0;
    for (const gram of own) if (!isPair(gram)) wanted += index.idf(gram);
    if (wanted === 0) return [];
    // A common word the handbook never uses (年会, 加班费 …) names a topic no answer
    // covers: it weighs against every answer as much as an unseen term can.
    const absent = words.filter((word) => index.absent.has(word)).length;
    wanted += absent * ABSENT_WEIGHT * index.idf("");
    // Pairs the handbook has, and the absent words, must be covered too; a pair it
    // does not have (a typo, two words' boundary) is left out.
    let wantedPairs = 0;
    for (const gram of own) {
      if (isPair(gram) && index.frequency.has(gram)) wantedPairs += index.idf(gram);
    }
    wantedPairs += absent * index.idf("");
    const maxPair = Math.max(2, index.answers.length * MAX_PAIR_SHARE);
    // A count of the query (1个, 30年) says nothing about the topic: it does not confirm a
    // match. An ordinal (第1天) does.
    const counts = new Set(
      [...own].filter((gram) => isPair(gram) && /[0-9]/.test(gram) && !/^第/.test(gram) && !normalized.includes("第" + gram)),
    );
    // Per answer, the query terms its body has; per question unit, the terms it has.
    const body = new Map();
    const units = new Map();
    const note = (map, key, gram, weight, factor) => {
      let hits = map.get(key);
      if (!hits) map.set(key, (hits = new Map()));
      const old = hits.get(gram);
      if (!old || old[0] < weight) hits.set(gram, [weight, factor]);
    };
    const visit = (gram, factor) => {
      const list = index.postings.get(gram);
      if (list) for (let i = 0; i < list.length; i += 2) note(body, list[i], gram, list[i + 1], factor);
      const unitList = index.unitPostings.get(gram);
      if (unitList) for (const unit of unitList) note(units, unit, gram, QUESTION_WEIGHT, factor);
    };
    for (const gram of own) visit(gram, 1);
    for (const gram of added) visit(gram, EXPANSION_WEIGHT);
    const unitsOf = new Map();
    for (const unit of units.keys()) {
      const doc = index.unitDoc[unit];
      if (!unitsOf.has(doc)) unitsOf.set(doc, []);
      unitsOf.get(doc).push(unit);
    }
    const tally = (hits) => {
      const hit = { score: 0, covered: 0, pairs: 0, coveredPairs: 0 };
      for (const [gram, [weight, factor]] of hits) {
        hit.score += strength(gram) * factor * weight;
        if (isPair(gram) && !counts.has(gram) && (index.frequency.get(gram) || 0) <= maxPair) hit.pairs += 1;
        if (isPair(gram)) hit.coveredPairs += index.idf(gram) * factor;
        else hit.covered += index.idf(gram) * factor;
      }
      return hit;
    };
    const value = (hit) => hit.score * Math.min(1, hit.covered / wanted) ** COVERAGE_POWER;
    // How much of a question the query says: a query close to one way of asking it wins a tie.
    const closeness = (unit) => {
      let found = 0;
      let total = 0;
      for (const gram of index.unitGrams[unit]) {
        const weight = index.idf(gram);
        total += weight;
        if (said.has(gram)) found += weight;
      }
      return total ? found / total : 0;
    };
    const scores = new Map();
    for (const doc of new Set([...body.keys(), ...unitsOf.keys()])) {
      const bodyHits = body.get(doc) || new Map();
      let best = tally(bodyHits);
      const together = new Map(bodyHits);
      for (const unit of unitsOf.get(doc) || []) {
        const merged = new Map(bodyHits);
        for (const [gram, entry] of units.get(unit)) {
          if (!merged.has(gram) || merged.get(gram)[0] < entry[0]) merged.set(gram, entry);
          if (!together.has(gram) || together.get(gram)[0] < entry[0]) together.set(gram, entry);
        }
        const hit = tally(merged);
        hit.score *= 1 + CLOSENESS_WEIGHT * closeness(unit);
        if (value(hit) > value(best)) best = hit;
      }
      // A long query may be said across several of an answer's questions: all of them
      // together is a candidate too, without the closeness of any one.
      const bag = tally(together);
      if (value(bag) > value(best)) best = bag;
      scores.set(doc, best);
    }
    const asksFigure = ASKS_FIGURE.test(query);
    const asksMeaning = ASKS_MEANING.test(normalized);
    let scriptPrior = SCRIPT_PRIOR;
    if (STAFF_VOICE.test(normalized)) scriptPrior = 1;
    else if (CUSTOMER_VOICE.pattern.test(normalized)) scriptPrior = CUSTOMER_VOICE.prior;
    const named = namedPosts(index, normalized);
    const ranked = [];
    for (const [doc, hit] of scores) {
      const coverage = Math.min(1, hit.covered / wanted);
      const pairCoverage = wantedPairs ? Math.min(1, hit.coveredPairs / wantedPairs) : 1;
      const confident =
        pairCoverage >= MIN_PAIR_COVERAGE &&
        (hit.pairs > 0 ? coverage >= MIN_COVERAGE : coverage >= MIN_PAIR_FREE_COVERAGE);
      const answer = index.answers[doc];
      let prior = answer.kind === "script" ? scriptPrior : 1;
      if (asksFigure && STATES_FIGURE.test(answer.text)) prior *= FIGURE_PRIOR;
      if (asksMeaning && answer.kind === "term") prior *= TERM_PRIOR;
      if (named.size && answer.post && !named.has(answer.post)) prior *= OTHER_POST_PRIOR;
      ranked.push({ answer, score: hit.score * coverage ** COVERAGE_POWER * prior, coverage, confident });
    }
    ranked.sort((a, b) => b.score - a.score || (a.answer.id < b.answer.id ? -1 : 1));
    // The best answer decides: if it is not a confident match, nothing is.
    if (!ranked.length || !ranked[0].confident) return inClause ? [] : closeByClause(index, normalized);
    const top = ranked[0].answer;
    const topText = [top.title, top.text, top.words, top.keys].join(" ");
    if (ASKS_FOR.some(({ asks, speaks }) => asks.test(normalized) && !speaks.test(topText))) return [];
    // At most PER_SECTION answers from one section, so one long procedure cannot fill the list.
    const perSection = new Map();
    const results = ranked
      .filter((result) => result.score >= ranked[0].score * MIN_SHARE_OF_BEST)
      .filter(({ answer }) => {
        const shown = perSection.get(answer.url) || 0;
        perSection.set(answer.url, shown + 1);
        return shown < PER_SECTION;
      })
      .slice(0, MAX_RESULTS);
    // The voice of the question reorders scripts and rules, but never makes the search surer
    // than on the scale SURENESS was fitted on, where every script has SCRIPT_PRIOR: a
    // customer's chit-chat (你结婚了没) must not become a confident reply.
    const voice = ranked[0].answer.kind === "script" ? Math.min(1, SCRIPT_PRIOR / scriptPrior) : 1;
    const support = Math.log((ranked[0].score * voice) / wanted);
    // The runner-up is the best answer by another title whose section states none of the
    // standards and shared tasks of the best's: the same rule for another post, or as the
    // standard itself, is no rival.
    const topRules = index.rules.get(top);
    const statesTopRule = (answer) => {
      for (const rule of index.rules.get(answer)) if (topRules.has(rule)) return true;
      return false;
    };
    const rival = ranked.find(({ answer }) => answer.title !== top.title && !statesTopRule(answer));
    const rivalry = rival ? rival.score / ranked[0].score : 0;
    results.evidence = { support, rivalry };
    results.sure = sureness(results.evidence) >= SURENESS.minimum;
    if (!results.sure && !inClause) {
      results.sure = clearClauses(index, normalized).some((alone) => alone[0].answer === top);
    }
    return results;
  };

  // The results of each clause of the query (if it has two or more) that is clearly sure alone.
  const clearClauses = (index, normalized) => {
    const clauses = normalized.split(" ").filter((clause) => Array.from(clause).length >= CLAUSE.minLength);
    if (clauses.length < 2) return [];
    return clauses
      .map((clause) => Object.assign(search(index, clause, true), { clause }))
      .filter((alone) => alone.length > 0 && sureness(alone.evidence) >= SURENESS.minimum + CLAUSE.margin);
  };

  // A query matching nothing as a whole may still hold a clause that matches clearly
  // (美女你好，我们开车过来的，车停哪里方便): the clearest one's results, as close matches only.
  const closeByClause = (index, normalized) => {
    const clear = clearClauses(index, normalized);
    if (!clear.length) return [];
    // The clause that asks something is the ask; the others are small talk around it.
    const asking = clear.filter(({ clause }) => ASKS_QUESTION.test(clause));
    const clearest = (asking.length ? asking : clear).reduce((best, alone) => (sureness(alone.evidence) > sureness(best.evidence) ? alone : best));
    // Not the query's own evidence: bench/fit_sureness.py must not fit on it.
    delete clearest.evidence;
    clearest.sure = false;
    return clearest;
  };

  const api = { build, search, normalize };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof window === "undefined" || typeof document === "undefined") return;
  window.hbAnswers = api;

  // --- In the page -----------------------------------------------------------

  let index = null;
  let loading = null;

  const base = () => {
    const config = document.getElementById("__config");
    const path = config ? JSON.parse(config.textContent).base : ".";
    return new URL(path.endsWith("/") ? path : path + "/", location.href);
  };

  const load = () => {
    if (window.hbAnswersData) index = index || build(window.hbAnswersData);
    if (index) return Promise.resolve();
    if (loading) return loading;
    loading = new Promise((resolve) => {
      const script = document.createElement("script");
      script.src = new URL(DATA_URI, base()).href;
      script.onload = () => {
        index = build(window.hbAnswersData || {});
        resolve();
      };
      script.onerror = () => resolve();
      document.head.appendChild(script);
    });
    return loading;
  };

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // Text with line breaks: one block per line, never HTML.
  const lines = (className, text) => {
    const node = element("div", className);
    for (const line of String(text).split("\n")) node.append(element("p", null, line));
    return node;
  };

  // `folded`: a script's notes fold under 注意 (one tap), so what follows starts on the first screen.
  const card = (answer, say, folded = false) => {
    const item = element("li", `hb-answer hb-answer--${answer.kind}`);
    item.dataset.id = answer.id;
    const link = element("a", "hb-answer__link");
    link.href = new URL(answer.url, base()).href;
    link.append(element("span", "hb-answer__label", answer.label), element("span", "hb-answer__title", answer.title));
    item.append(link);
    if (answer.kind === "script") {
      const reply = element("div", "hb-answer__say");
      reply.append(element("span", "hb-answer__mark", say || "这样答"), lines("hb-answer__text", answer.text));
      item.append(reply);
      if (answer.avoid) {
        const avoid = element(folded ? "details" : "div", "hb-answer__avoid");
        const mark = element("span", "hb-answer__mark", "注意");
        const summary = folded ? element("summary") : null;
        if (summary) summary.append(mark);
        avoid.append(summary || mark, lines("hb-answer__text", answer.avoid));
        item.append(avoid);
      }
    } else {
      if (answer.avoid) {
        // A forbidden phrase: what never to say, then what to say instead.
        const avoid = element("div", "hb-answer__avoid");
        avoid.append(element("span", "hb-answer__mark", "不说"), lines("hb-answer__text", answer.avoid));
        const instead = element("div", "hb-answer__say");
        instead.append(element("span", "hb-answer__mark", "应说"), lines("hb-answer__text", answer.text));
        item.append(avoid, instead);
      } else {
        item.append(lines("hb-answer__text hb-answer__rule", answer.text));
      }
    }
    return item;
  };

  const answerList = (className, results) => {
    const list = element("ol", className);
    for (const { answer } of results) list.append(card(answer));
    return list;
  };

  // The search box this works in: Material's (ProperDocs' too), or Zensical's search
  // dialog, which lives in an open shadow root and is found by its ARIA roles. `fullText`
  // is the engine's own result list, shown on request only.
  const materialSearch = () => {
    const input = document.querySelector('[data-md-component="search-query"]');
    const results = document.querySelector('[data-md-component="search-result"]');
    return input && results ? { input, root: document, before: results, fullText: [results] } : null;
  };
  const dialogSearch = (input) => {
    const root = input.getRootNode();
    const list = root.querySelector('[role="listbox"]');
    if (!list) return null;
    const status = root.querySelector('[role="status"]');
    const fullText = [status, list].filter(Boolean);
    return { input, root, before: fullText[0], fullText };
  };

  const setFullText = (ui, shown) => {
    for (const node of ui.fullText) node.classList.toggle("hb-fulltext-hidden", !shown);
    const toggle = ui.root.querySelector(".hb-answers__fulltext");
    if (toggle) toggle.setAttribute("aria-pressed", String(shown));
  };
  let fullText = false;

  const panel = (ui) => {
    let node = ui.root.querySelector(".hb-answers");
    if (!node) {
      // A shadow root does not see the page's style sheets: it gets this one of its own.
      if (ui.root !== document) {
        const style = element("link");
        style.rel = "stylesheet";
        style.href = new URL("assets/answers.css", base()).href;
        ui.root.append(style);
      }
      node = element("div", "hb-answers");
      node.setAttribute("aria-live", "polite");
      ui.before.parentNode.insertBefore(node, ui.before);
    }
    return node;
  };

  const show = (ui, query) => {
    const node = panel(ui);
    node.replaceChildren();
    const text = query.trim();
    node.hidden = !text;
    node.dataset.query = text;
    setFullText(ui, fullText || !text);
    if (!text) return;
    const results = search(index, text);
    node.dataset.state = !results.length ? "none" : results.sure ? "found" : "unsure";
    if (results.sure) {
      node.append(answerList("hb-answers__list", results));
    } else {
      const none = element("div", "hb-answers__none");
      const topic = !results.length && index && uncovered(index, queryWords(index, normalize(text)));
      // A question about staff's own work (客户, 上班 …) has no customer waiting for a reply:
      // no fallback script, the close matches straight after the advice.
      const ownWork = STAFF_VOICE.test(normalize(text));
      if (topic) {
        none.append(
          element("p", "hb-answers__none-title", `“${text}”属于${topic.topic}，本手册不涉及。`),
          element("p", null, `请问${topic.ask}。`),
        );
      } else {
        const what = results.length ? "确切回答" : "能回答";
        // A long question is echoed by its start: the box above shows it whole.
        const chars = Array.from(text);
        const echo = chars.length > ECHO_LENGTH ? chars.slice(0, ECHO_LENGTH - 1).join("") + "…" : text;
        const supervisors = index && index.supervisors ? `（${index.supervisors}）` : "";
        const advice = ownWork
          ? `不要猜测，请示主管${supervisors}。`
          : `不要猜测。新员工请示主管${supervisors}；客户在等，可以先这样答：`;
        none.append(element("p", "hb-answers__none-title", `手册里没有找到${what}“${echo}”的内容。`), element("p", null, advice));
      }
      node.append(none);
      const fallback = !topic && !ownWork && index && index.byId.get(index.fallback);
      // Not sure of the best match: it and the others are shown as close, not as the answer.
      const close = results.filter(({ answer }) => answer !== fallback);
      if (fallback) {
        const list = element("ol", "hb-answers__list hb-answers__list--fallback");
        list.append(card(fallback, "先这样答", close.length > 0));
        node.append(list);
      }
      if (close.length) {
        node.append(element("p", "hb-answers__close-title", "相近的内容，不一定回答了这个问题："));
        node.append(answerList("hb-answers__list hb-answers__list--close", close));
      }
    }
    const toggle = element("button", "hb-answers__fulltext md-button", fullText ? "收起全文搜索结果" : "全文搜索（整页结果）");
    toggle.type = "button";
    toggle.setAttribute("aria-pressed", String(fullText));
    toggle.addEventListener("click", () => {
      fullText = !fullText;
      toggle.textContent = fullText ? "收起全文搜索结果" : "全文搜索（整页结果）";
      setFullText(ui, fullText);
    });
    node.append(toggle);
  };

  const listen = (ui) => {
    const update = () => {
      const query = ui.input.value;
      load().then(() => {
        if (ui.input.value === query) show(ui, query);
      });
    };
    ui.input.addEventListener("focus", load, { once: true });
    ui.input.addEventListener("input", update);
    if (ui.input.value) update();
  };

  const material = materialSearch();
  if (material) {
    listen(material);
    return;
  }
  // Zensical builds its dialog when the search is first opened: take its box on first use.
  const taken = new WeakSet();
  const take = (event) => {
    const box = event.composedPath()[0];
    if (!(box instanceof HTMLInputElement) || box.getAttribute("role") !== "combobox" || taken.has(box)) return;
    const ui = dialogSearch(box);
    if (!ui) return;
    taken.add(box);
    listen(ui);
  };
  document.addEventListener("focusin", take);
  document.addEventListener("input", take);
})();
