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

// Conditional questions of a questionnaire: a question is shown only when the earlier
// question it depends on has one of the listed options chosen; hidden answers are not sent.
// Without JavaScript every question is shown with a note saying who should answer it, and
// the server ignores answers to questions whose condition is not met.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-survey-form]");
  if (!form) return;
  const update = () => {
    for (const block of form.querySelectorAll("[data-show-if]")) {
      const name = block.dataset.showIf;
      const wanted = (block.dataset.showIfValues || "").split(",");
      const controller = form.querySelector(`[data-question="${name}"]`);
      const chosen = [...form.querySelectorAll(`[name="${name}"]:checked`)].map((i) => i.value);
      const shown = Boolean(controller && !controller.hidden) && chosen.some((v) => wanted.includes(v));
      block.hidden = !shown;
      block.disabled = !shown;
    }
  };
  form.addEventListener("change", update);
  update();
});

// A part of a form that applies only for one choice of a select (the meeting-only fields of
// a calendar entry, the obituary fields of a newsletter notice): hidden otherwise. Without
// JavaScript it stays visible, with its legend saying when it applies, and the server
// ignores it. Rows added to a formset later are covered too.
const shownWhen = (root) => {
  for (const block of root.querySelectorAll("[data-shown-when]")) {
    const [name, value] = block.dataset.shownWhen.split("=");
    const control = block.closest("form")?.elements.namedItem(name);
    if (control) block.hidden = control.value !== value;
  }
};
document.addEventListener("DOMContentLoaded", () => {
  shownWhen(document);
  document.addEventListener("change", (event) => {
    const form = event.target.closest?.("form");
    if (form) shownWhen(form);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-add-row]");
    if (button) queueMicrotask(() => shownWhen(document));
  });
});

// "Copy" buttons beside read-only fields (a feed's address): shown only where the
// clipboard can be written; the status line says what happened for screen readers.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = button.closest(".field")?.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = "URLをコピーしました。";
      } catch {
        field.select();
        if (status) status.textContent = "コピーできませんでした。選択したURLをコピーしてください。";
      }
    });
  }
});
