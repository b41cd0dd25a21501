// Presentation mode: one slide at a time, arrow keys (and buttons) step through, N shows the
// speaker notes, F asks for full screen, Esc leaves. The slide number is in the URL (#3).

import { fill, percent } from "./fmt.js";
import { costOfDelay } from "./pathway.js";

export async function startSlides({ drawVisible, data, ui }) {
  const slides = [...document.querySelectorAll(".slide")];
  const count = document.getElementById("slide-count");
  const notes = document.getElementById("notes");
  const notesBtn = document.getElementById("slide-notes");
  const T = ui.texts;
  const lang = ui.lang;

  // notes that need numbers from the data
  const cell = data.cells[data.default_cell];
  const cases = costOfDelay({
    asOf: data.as_of,
    e0: data.e0_t,
    remaining: cell.remaining_t,
    convention: data.convention,
    horizonYear: data.horizon_year,
    residualFraction: data.residual_fraction,
    maxDelay: data.max_delay_years,
    infeasibleRate: data.infeasible_rate,
  });
  const last = cases[cases.length - 1];
  const s6 = document.getElementById("s6-notes");
  if (s6) s6.textContent = fill(s6.dataset.template, { delay: last.delay_years, rate: last.exhausted ? "–" : percent(last.rate, lang) });
  const top = [...data.sectors].sort((a, b) => b.share - a.share)[0];
  const s7 = document.getElementById("s7-notes");
  if (s7 && top) s7.textContent = fill(s7.dataset.template, { largest: T[`sector.${top.sector}`], share: percent(top.share, lang) });

  let index = Math.max(0, Math.min(slides.length - 1, (parseInt(location.hash.slice(1), 10) || 1) - 1));
  const show = async (i, focus = true) => {
    index = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach((s, j) => (s.hidden = j !== index));
    count.textContent = fill(T["slides.slide"], { n: index + 1, total: slides.length });
    const n = slides[index].querySelector(".notes");
    notes.replaceChildren(...(n ? [...n.cloneNode(true).childNodes] : []));
    history.replaceState(null, "", `${location.pathname}${location.search}#${index + 1}`);
    await drawVisible();
    if (focus) slides[index].querySelector("h2")?.focus({ preventScroll: true });
  };
  slides.forEach((s) => {
    const h = s.querySelector("h2");
    if (h) h.tabIndex = -1;
  });
  document.getElementById("slide-prev").addEventListener("click", () => show(index - 1));
  document.getElementById("slide-next").addEventListener("click", () => show(index + 1));
  const toggleNotes = () => {
    notes.hidden = !notes.hidden;
    notesBtn.setAttribute("aria-pressed", String(!notes.hidden));
  };
  notesBtn.addEventListener("click", toggleNotes);
  const full = () => {
    if (document.fullscreenElement) document.exitFullscreen?.();
    else document.documentElement.requestFullscreen?.().catch(() => {});
  };
  document.getElementById("slide-full").addEventListener("click", full);
  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target && e.target.tagName) || "";
    if (["INPUT", "SELECT", "TEXTAREA"].includes(tag)) return;
    if (e.key === "ArrowRight" || e.key === "PageDown" || (e.key === " " && tag !== "BUTTON")) {
      e.preventDefault();
      show(index + 1);
    } else if (e.key === "ArrowLeft" || e.key === "PageUp") {
      e.preventDefault();
      show(index - 1);
    } else if (e.key === "Home") show(0);
    else if (e.key === "End") show(slides.length - 1);
    else if (e.key === "n" || e.key === "N") toggleNotes();
    else if (e.key === "f" || e.key === "F") full();
    else if (e.key === "Escape" && !document.fullscreenElement) location.href = document.getElementById("slide-exit").href;
  });
  window.addEventListener("hashchange", () => {
    const i = (parseInt(location.hash.slice(1), 10) || 1) - 1;
    if (i !== index) show(i, false);
  });
  await show(index, false);
}
