// Enhancements only: every page works without this script.
// - hints while typing, from the service's field-validation endpoint;
// - "go to the input" links focus the input they name;
// - print and copy buttons; filtering and sorting of the review table.
"use strict";

(function () {
  const lang = document.documentElement.lang === "en" ? "en" : "zh";

  // Live hints: a value is judged by its field type as a manifest value is.
  const pending = new WeakMap();
  function judge(input) {
    const hint = document.getElementById(input.id + "-hint");
    if (!hint) return;
    const value = input.value.trim();
    if (value === "") {
      hint.textContent = "";
      hint.className = "hint";
      input.removeAttribute("aria-invalid");
      return;
    }
    const type = encodeURIComponent(input.dataset.type);
    fetch("/v1/fields/" + type + "/validate?lang=" + lang, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(value),
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => {
        if (!answer || input.value.trim() !== value) return;
        if (answer.valid) {
          hint.textContent = "";
          hint.className = "hint";
          input.setAttribute("aria-invalid", "false");
        } else {
          hint.textContent = answer.message || answer.expected || "";
          hint.className = "hint bad";
          input.setAttribute("aria-invalid", "true");
        }
      })
      .catch(() => {});
  }
  document.querySelectorAll("input[data-type]").forEach((input) => {
    if (input.dataset.type === "text") return;
    input.addEventListener("input", () => {
      clearTimeout(pending.get(input));
      pending.set(input, setTimeout(() => judge(input), 350));
    });
    input.addEventListener("change", () => judge(input));
  });

  // A fix links to its input: focus it, not only scroll to it.
  function focusTarget(id) {
    const target = document.getElementById(id);
    if (!target) return false;
    target.scrollIntoView({ block: "center" });
    target.focus();
    return true;
  }
  document.querySelectorAll("a[data-focus]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (focusTarget(link.dataset.focus)) {
        event.preventDefault();
        history.replaceState(null, "", "#" + link.dataset.focus);
      }
    });
  });
  if (location.hash.length > 1) focusTarget(decodeURIComponent(location.hash.slice(1)));

  // Print: the whole page, or one notice alone.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });

  // Print one rejection notice alone (the print stylesheet hides the rest).
  document.querySelectorAll("[data-print-notice]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const notice = document.getElementById(button.dataset.printNotice);
      document.body.classList.add("print-one");
      notice.classList.add("print-only");
      window.print();
      notice.classList.remove("print-only");
      document.body.classList.remove("print-one");
    });
  });

  // Copy a rejection notice as plain text.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.copy);
      const status = button.parentElement.querySelector(".copied");
      navigator.clipboard.writeText(source.innerText.trim()).then(() => {
        if (status) status.textContent = button.dataset.copied;
      }, () => {});
    });
  });

  // The review table: filter by verdict and rule, sort by a column.
  const table = document.getElementById("results");
  if (!table) return;
  const body = table.tBodies[0];
  const filters = document.querySelector("[data-filters]");
  if (filters) {
    filters.hidden = false;
    const verdict = filters.querySelector("[data-filter=verdict]");
    const rule = filters.querySelector("[data-filter=rule]");
    const apply = () => {
      for (const row of body.rows) {
        const verdictOk = !verdict.value || row.dataset.verdict === verdict.value;
        const ruleOk = !rule.value || row.dataset.rules.includes(" " + rule.value + " ");
        row.hidden = !(verdictOk && ruleOk);
      }
    };
    verdict.addEventListener("change", apply);
    rule.addEventListener("change", apply);
  }
  table.querySelectorAll("th[data-sort]").forEach((header, column) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = header.textContent;
    header.textContent = "";
    header.appendChild(button);
    button.addEventListener("click", () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach((h) => h.removeAttribute("aria-sort"));
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const key = (row) => row.cells[column].innerText.trim();
      const numeric = header.dataset.sort === "number";
      const rows = Array.from(body.rows).sort((a, b) => {
        const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b), lang);
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
})();
