// Presentation mode: one slide at a time, full screen on a projector. Arrow keys, Page Up/Down
// and Space step through, Home/End jump, N shows the speaker notes, F asks for full screen, Esc
// leaves full screen and then goes back to the tool with the same state (temperature and
// probability, view, delay…: the query of the address is kept both ways). The slide number is
// in the URL (#3). Figures on the slides are the engine's, for the chosen cell.

import { fill, number, percent, tonnesWords } from "./fmt.js";
import { costOfDelay } from "./pathway.js";

function slot(name) {
  return document.querySelector(`[data-slot="${name}"]`);
}

/** The big numbers for the chosen temperature × probability (the page holds the default's). */
function fillSlots(data, ui, cellId) {
  const T = ui.texts;
  const lang = ui.lang;
  const c = data.cells[cellId];
  const set = (name, text) => {
    const el = slot(name);
    if (el) el.textContent = text;
  };
  const [bv, bu] = tonnesWords(c.budget_t, lang, T);
  // a spent budget: by how much it is over, never a negative amount left (site.py tiles)
  const [rv, ru] = tonnesWords(Math.abs(c.remaining_t), lang, T);
  set("budget", bv);
  set("budget-unit", bu);
  set("remaining", c.exhausted ? fill(T["tile.remaining_over"], { value: rv, unit: ru }) : rv);
  set("remaining-unit", c.exhausted ? "" : ru);
  const s2 = slot("s2-text");
  if (s2) s2.textContent = c.exhausted ? s2.dataset.exhausted : s2.dataset.template;
  set("years", c.exhausted ? number(0, lang, 0) : c.years_left === null ? T.none : number(c.years_left, lang, 1));
  set("years-unit", c.years_left === null ? "" : T["tile.years_unit"]);
  const s3 = slot("s3-title");
  if (s3) s3.textContent = c.exhausted ? s3.dataset.exhausted : fill(s3.dataset.template, { year: c.exhaustion_year ?? T.none });
  set("rate", c.exhausted ? T["tile.rate_exhausted"] : percent(c.rate, lang));
  const s4 = slot("s4-share");
  if (s4) {
    // a spent budget: the big number says "Förbrukad", this line what that means
    s4.textContent = c.exhausted
      ? T["slides.s3_notes_exhausted"]
      : fill(s4.dataset.template, { n: c.one_in_n ? fill(T["tile.one_in_n_value"], { n: c.one_in_n }) : T.none });
  }
  const [t, p] = cellId.split("-");
  const ct = slot("cell-text");
  if (ct) ct.textContent = fill(ct.dataset.template, { temperature: number(parseFloat(t), lang, 1), probability: p });
}

export async function startSlides({ drawVisible, redrawVisible, data, ui, state }) {
  const slides = [...document.querySelectorAll(".slide")];
  const count = document.getElementById("slide-count");
  const notes = document.getElementById("notes");
  const notesBtn = document.getElementById("slide-notes");
  const exit = document.getElementById("slide-exit");
  const T = ui.texts;
  const lang = ui.lang;
  const cellId = state.cell;
  fillSlots(data, ui, cellId);

  // notes that need numbers from the data
  const cell = data.cells[cellId];
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

  // back to the tool with the same state (the query), never to a bare page
  const exitHref = () => (exit ? exit.getAttribute("href").split("?")[0] + location.search : null);
  if (exit) exit.setAttribute("href", exitHref());

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
    redrawVisible();
  };
  notesBtn.addEventListener("click", toggleNotes);
  const full = () => {
    if (document.fullscreenElement) document.exitFullscreen?.();
    else document.documentElement.requestFullscreen?.().catch(() => {});
  };
  document.getElementById("slide-full").addEventListener("click", full);
  document.addEventListener("fullscreenchange", () => {
    document.body.classList.toggle("fullscreen", !!document.fullscreenElement);
  });
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => redrawVisible(), 150);
  });
  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target && e.target.tagName) || "";
    if (["INPUT", "SELECT", "TEXTAREA"].includes(tag)) return;
    if (e.key === "ArrowRight" || e.key === "ArrowDown" || e.key === "PageDown" || (e.key === " " && tag !== "BUTTON")) {
      e.preventDefault();
      show(index + 1);
    } else if (e.key === "ArrowLeft" || e.key === "ArrowUp" || e.key === "PageUp") {
      e.preventDefault();
      show(index - 1);
    } else if (e.key === "Home") show(0);
    else if (e.key === "End") show(slides.length - 1);
    else if (e.key === "n" || e.key === "N") toggleNotes();
    else if (e.key === "f" || e.key === "F") full();
    else if (e.key === "Escape" && !document.fullscreenElement && exit) location.href = exitHref();
  });
  window.addEventListener("hashchange", () => {
    const i = (parseInt(location.hash.slice(1), 10) || 1) - 1;
    if (i !== index) show(i, false);
  });
  await show(index, false);
}
