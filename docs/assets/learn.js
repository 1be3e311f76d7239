// Learning pages: first-week path ticks, reply-script practice cards, quizzes.
// Everything is kept in this browser's localStorage: no server, no account.
(() => {
  "use strict";

  const store = {
    get(key, fallback) {
      try {
        const value = localStorage.getItem(key);
        return value === null ? fallback : JSON.parse(value);
      } catch {
        return fallback;
      }
    },
    set(key, value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Private mode or full storage: the page still works, it just forgets.
      }
    },
    remove(key) {
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing stored, nothing to clear.
      }
    },
  };

  // --- first-week path ----------------------------------------------------

  const setUpPath = (path) => {
    const key = `hb-path:${path.dataset.path}`;
    const boxes = [...path.querySelectorAll("input[data-step]")];
    const count = path.querySelector(".hb-path-count");
    const refresh = () => {
      const done = store.get(key, {});
      let ticked = 0;
      for (const box of boxes) {
        box.checked = Boolean(done[box.dataset.step]);
        box.closest(".hb-path-step").classList.toggle("hb-done", box.checked);
        ticked += box.checked ? 1 : 0;
      }
      count.textContent = `已完成 ${ticked} / ${boxes.length}`;
    };
    path.addEventListener("change", (event) => {
      const box = event.target;
      if (!box.matches("input[data-step]")) return;
      const done = store.get(key, {});
      if (box.checked) done[box.dataset.step] = Date.now();
      else delete done[box.dataset.step];
      store.set(key, done);
      refresh();
    });
    path.querySelector(".hb-path-reset").addEventListener("click", () => {
      store.remove(key);
      refresh();
    });
    refresh();
  };

  // --- practice cards -----------------------------------------------------

  const PRACTICE_KEY = "hb-practice";

  const loadScripts = () =>
    new Promise((resolve) => {
      if (window.hbScriptFinderData) return resolve(window.hbScriptFinderData);
      const config = document.getElementById("__config");
      const base = config ? JSON.parse(config.textContent).base : ".";
      const script = document.createElement("script");
      script.src = new URL(
        "assets/generated/script-finder-data.js",
        new URL(base.endsWith("/") ? base : base + "/", location.href),
      ).href;
      script.onload = () => resolve(window.hbScriptFinderData || []);
      script.onerror = () => resolve([]);
      document.head.appendChild(script);
    });

  // Not yet known first (most recently missed first), then never seen, then known (oldest first).
  const order = (scripts, marks) => {
    const rank = (script) => {
      const mark = marks[script.id];
      if (!mark) return [1, 0];
      return mark.known ? [2, mark.at] : [0, -mark.at];
    };
    return [...scripts].sort((a, b) => {
      const [ra, ta] = rank(a);
      const [rb, tb] = rank(b);
      return ra - rb || ta - tb;
    });
  };

  const setUpPractice = async (practice) => {
    const scripts = await loadScripts();
    const card = practice.querySelector(".hb-card");
    const empty = practice.querySelector(".hb-practice-empty");
    const buttons = [...practice.querySelectorAll(".hb-practice-category")];
    const part = (name) => card.querySelector(name);
    let category = new URLSearchParams(location.search).get("cat") || "";
    let current = null;

    const next = () => {
      const pool = scripts.filter((script) => !category || script.categoryId === category);
      empty.hidden = pool.length > 0;
      card.hidden = pool.length === 0;
      if (!pool.length) return;
      const marks = store.get(PRACTICE_KEY, {});
      const queue = order(pool, marks);
      current = queue[0];
      const known = pool.filter((script) => marks[script.id] && marks[script.id].known).length;
      const asked = [current.question, ...current.phrasings];
      part(".hb-card-question").textContent = asked[Math.floor(Math.random() * asked.length)];
      part(".hb-card-category").textContent = current.category;
      part(".hb-card-count").textContent = `已会 ${known} / ${pool.length}`;
      part(".hb-card-reply").textContent = current.reply;
      part(".hb-card-notes").textContent = current.notes.length ? `注意:${current.notes.join(";")}` : "";
      part(".hb-card-link").href = new URL(current.url, part(".hb-card-link").baseURI).href;
      card.dataset.script = current.id;
      part(".hb-card-answer").hidden = true;
      part(".hb-card-reveal").hidden = false;
      part(".hb-card-known").hidden = true;
      part(".hb-card-unknown").hidden = true;
    };

    const choose = (id) => {
      category = id;
      for (const button of buttons) {
        const pressed = button.dataset.category === id;
        button.setAttribute("aria-pressed", String(pressed));
        if (pressed) button.parentNode.scrollLeft = button.offsetLeft - button.parentNode.offsetLeft;
      }
      next();
    };

    const mark = (known) => {
      const marks = store.get(PRACTICE_KEY, {});
      marks[current.id] = { known, at: Date.now() };
      store.set(PRACTICE_KEY, marks);
      next();
    };

    for (const button of buttons) button.addEventListener("click", () => choose(button.dataset.category));
    part(".hb-card-reveal").addEventListener("click", () => {
      part(".hb-card-answer").hidden = false;
      part(".hb-card-reveal").hidden = true;
      part(".hb-card-known").hidden = false;
      part(".hb-card-unknown").hidden = false;
    });
    part(".hb-card-known").addEventListener("click", () => mark(true));
    part(".hb-card-unknown").addEventListener("click", () => mark(false));
    practice.querySelector(".hb-practice-reset").addEventListener("click", () => {
      store.remove(PRACTICE_KEY);
      next();
    });
    const valid = buttons.some((button) => button.dataset.category === category);
    choose(valid ? category : "");
  };

  // --- quizzes --------------------------------------------------------------

  const setUpQuiz = (quiz) => {
    const questions = [...quiz.querySelectorAll(".hb-quiz-question")];
    const score = quiz.querySelector(".hb-quiz-score");
    quiz.addEventListener("click", (event) => {
      if (event.target.closest(".hb-quiz-retry")) {
        // Start again: every question unanswered, options in a new order.
        for (const question of questions) {
          delete question.dataset.chosen;
          question.classList.remove("hb-right", "hb-wrong");
          const list = question.querySelector(".hb-quiz-options");
          for (const option of list.querySelectorAll(".hb-quiz-option")) {
            option.classList.remove("hb-chosen-right", "hb-chosen-wrong", "hb-correct");
          }
          const items = [...list.children];
          for (let i = items.length - 1; i > 0; i -= 1) {
            const j = Math.floor(Math.random() * (i + 1));
            [items[i], items[j]] = [items[j], items[i]];
          }
          list.append(...items);
          question.querySelector(".hb-quiz-feedback").hidden = true;
        }
        score.hidden = true;
        quiz.querySelector(".hb-quiz-retry").hidden = true;
        quiz.scrollIntoView({ behavior: "smooth" });
        return;
      }
      const option = event.target.closest(".hb-quiz-option");
      if (!option) return;
      const question = option.closest(".hb-quiz-question");
      if (question.dataset.chosen !== undefined) return;
      const right = option.dataset.option === question.dataset.answer;
      question.dataset.chosen = option.dataset.option;
      question.classList.add(right ? "hb-right" : "hb-wrong");
      option.classList.add(right ? "hb-chosen-right" : "hb-chosen-wrong");
      question
        .querySelector(`.hb-quiz-option[data-option="${question.dataset.answer}"]`)
        .classList.add("hb-correct");
      const feedback = question.querySelector(".hb-quiz-feedback");
      feedback.querySelector(".hb-quiz-verdict").textContent = right ? "✔ 回答正确" : "✘ 回答错误";
      feedback.hidden = false;
      const answered = questions.filter((q) => q.dataset.chosen !== undefined);
      if (answered.length === questions.length) {
        const correct = questions.filter((q) => q.classList.contains("hb-right")).length;
        score.textContent = `得分:${correct} / ${questions.length}`;
        score.hidden = false;
        quiz.querySelector(".hb-quiz-retry").hidden = false;
      }
    });
  };

  document.querySelectorAll(".hb-path[data-path]").forEach(setUpPath);
  document.querySelectorAll(".hb-practice").forEach(setUpPractice);
  document.querySelectorAll(".hb-quiz").forEach(setUpQuiz);
})();
