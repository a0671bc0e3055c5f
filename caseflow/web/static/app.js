// caseflow staff pages: no inline script anywhere (the Content-Security-Policy forbids it).
"use strict";

// A form is sent once: its button is disabled on the first submit (the server also records a
// form's one-time id once).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
});

// The worklist reloads itself when one of its cases changes (it polls a short stamp).
const main = document.querySelector("main[data-stamp-url]");
if (main) {
  const seconds = Number(main.dataset.refreshSeconds || "15");
  const look = async () => {
    try {
      const answer = await fetch(main.dataset.stampUrl, { credentials: "same-origin" });
      if (answer.ok && (await answer.text()) !== main.dataset.stamp) window.location.reload();
    } catch (_) { /* offline for a moment: look again later */ }
  };
  window.setInterval(look, seconds * 1000);
}

// The auditor's time slider shows the moment it points at, and opens it when let go.
const slider = document.querySelector("input[type=range][data-moments]");
if (slider) {
  const moments = JSON.parse(slider.dataset.moments);
  const label = document.getElementById(slider.dataset.label);
  slider.addEventListener("input", () => { label.textContent = moments[slider.value - 1]; });
  slider.addEventListener("change", () => slider.form.submit());
}
