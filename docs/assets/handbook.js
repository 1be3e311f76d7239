// Material's search dialog has no accessible name (axe: aria-dialog-name). Named here,
// not by a build hook, so the site keeps it under any engine that builds it.
document.querySelector('.md-search[role="dialog"]')?.setAttribute("aria-label", "搜索手册");

// Checklists print as a blank form unless the trainer asks to keep the ticks.
document.addEventListener("change", (event) => {
  if (event.target.matches(".hb-print-filled-toggle")) {
    document.body.classList.toggle("hb-print-filled", event.target.checked);
    for (const toggle of document.querySelectorAll(".hb-print-filled-toggle")) {
      toggle.checked = event.target.checked;
    }
  }
});

// Tooltips of glossary terms and of the 补充 / 待填写 marks. A phone shows no native
// tooltip, so a tap (or Enter) opens the title in a small box, always as text:
// the theme's own tooltips (content.tooltips) would render a title as HTML.
(() => {
  const MARKED = "abbr[title], .hb-supplement[title], .hb-todo[title], .hb-broken[title]";
  let open = null;

  function close() {
    if (open) {
      open.remove();
      open = null;
    }
  }

  function show(mark) {
    close();
    const tip = document.createElement("div");
    tip.className = "hb-tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = mark.getAttribute("title");
    document.body.append(tip);
    const box = mark.getBoundingClientRect();
    const left = Math.min(box.left, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = `${Math.max(8, left)}px`;
    tip.style.top = `${box.bottom + 6}px`;
    open = tip;
  }

  for (const mark of document.querySelectorAll(MARKED)) {
    mark.tabIndex = 0;
  }
  document.addEventListener("click", (event) => {
    const mark = event.target.closest(MARKED);
    if (mark) show(mark);
    else close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
    const mark = event.target.closest?.(MARKED);
    if (mark && event.key === "Enter") show(mark);
  });
  window.addEventListener("scroll", close, { passive: true });
})();
