// Progressive enhancement only: every page works without this file.
"use strict";

// "Add a row" for the formsets of an editor: copies the empty row kept in a <template>.
// Without JavaScript the editor offers blank rows and "save and continue" instead.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-add-row]")) {
    const prefix = button.dataset.addRow;
    const template = document.getElementById(`${prefix}-empty`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const rows = document.getElementById(`${prefix}-rows`);
    if (!template || !total || !rows) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      rows.lastElementChild?.querySelector("input:not([type=hidden]), select, textarea")?.focus();
    });
  }
});
