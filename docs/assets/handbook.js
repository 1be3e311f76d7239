// Checklists print as a blank form unless the trainer asks to keep the ticks.
document.addEventListener("change", (event) => {
  if (event.target.matches(".hb-print-filled-toggle")) {
    document.body.classList.toggle("hb-print-filled", event.target.checked);
    for (const toggle of document.querySelectorAll(".hb-print-filled-toggle")) {
      toggle.checked = event.target.checked;
    }
  }
});
