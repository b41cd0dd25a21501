// The area page: key figures, views, the temperature/probability choice, the delay and sector
// sliders and every chart. The state lives in the URL (?view, cell, delay, rates, hide) so a link
// restores it. Numbers shown at load come from the engine (Babel-formatted in the HTML); numbers
// that move with a control are recomputed with pathway.js and formatted with fmt.js.

import { Chart } from "./charts.js";
import { applyAccent, reportHeight } from "./embed-frame.js";
import { fill, number, percent, signedPercent, tonnes, tonnesWords } from "./fmt.js";
import { annualPath, costOfDelay, delayedPath, requiredRate, sectorWhatIf } from "./pathway.js";
import { startSlides } from "./slides.js";

const app = document.getElementById("app");
const kb = (window.__kb = { timings: {}, charts: {} });

async function loadJSON(id, url) {
  const el = document.getElementById(id);
  if (el) return JSON.parse(el.textContent);
  const res = await fetch(url);
  return res.json();
}

// ---------------------------------------------------------------------------------------------
// state

function parseState(data, ui) {
  const q = new URLSearchParams(location.search);
  const view = ui.views.includes(q.get("view")) ? q.get("view") : "oversikt";
  const cell = q.get("cell") in data.cells ? q.get("cell") : data.default_cell;
  const delay = Math.max(0, Math.min(data.max_delay_years, parseInt(q.get("delay") || "0", 10) || 0));
  const rates = {};
  for (const part of (q.get("rates") || "").split(",")) {
    const [s, v] = part.split(":");
    if (s in data.sector_e0_t && !Number.isNaN(parseFloat(v))) rates[s] = Math.max(0, Math.min(100, parseFloat(v)));
  }
  const hidden = new Set((q.get("hide") || "").split(",").filter((p) => ui.paths.includes(p)));
  return { view, cell, delay, rates, hidden, accent: q.get("accent") || "" };
}

function writeState(state, data, push = false) {
  const q = new URLSearchParams();
  if (state.view !== "oversikt") q.set("view", state.view);
  if (state.cell !== data.default_cell) q.set("cell", state.cell);
  if (state.delay) q.set("delay", String(state.delay));
  const rates = Object.entries(state.rates).map(([s, v]) => `${s}:${v}`);
  if (rates.length) q.set("rates", rates.join(","));
  if (state.hidden.size) q.set("hide", [...state.hidden].join(","));
  if (state.accent) q.set("accent", state.accent);
  const search = q.toString() ? `?${q.toString()}` : "";
  const url = `${location.pathname}${search}${location.hash}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
  document.querySelectorAll("a[data-keep-query]").forEach((a) => {
    const base = a.getAttribute("href").split("?")[0];
    a.setAttribute("href", base + search);
  });
}

// ---------------------------------------------------------------------------------------------
// models (numbers for the charts and tables)

const KT = 1000;

function inputs(data, state) {
  const c = data.cells[state.cell];
  return {
    asOf: data.as_of,
    e0: data.e0_t,
    remaining: c.remaining_t,
    convention: data.convention,
    horizonYear: data.horizon_year,
    residualFraction: data.residual_fraction,
    maxDelay: data.max_delay_years,
    infeasibleRate: data.infeasible_rate,
  };
}

/** The budget pathway of the chosen cell, recomputed as the engine does (reference "budget"). */
export function budgetPath(data, cellId) {
  const c = data.cells[cellId];
  const hY = Math.max(1, data.horizon_year - data.as_of + 1);
  const rate = requiredRate(data.e0_t, c.remaining_t, data.convention, hY, data.residual_fraction);
  const n = data.path_end_year - data.as_of + 1;
  return { rate, path: annualPath(data.e0_t, c.remaining_t, rate, data.convention, n, hY, data.residual_fraction) };
}

function years(data) {
  const out = [];
  for (let y = data.as_of; y <= data.path_end_year; y++) out.push(y);
  return out;
}

function historyBars(data, ui) {
  const T = ui.texts;
  const first = Math.max(2015, data.last_data_year - 12);
  const rows = [];
  ui.sectors.forEach((s, order) => {
    for (const [y, v] of data.history_by_sector[s] || []) {
      if (y >= first && v > 0) rows.push({ year: y, sector: T[`sector.${s}`], value: v / KT, order });
    }
  });
  for (const [y, v, est] of data.history) {
    if (est && y > data.last_data_year) rows.push({ year: y, sector: cap(T.estimated), value: v / KT, order: 99 });
  }
  return rows;
}

function cap(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function pathRows(data, ui, state, ids, extra = {}) {
  const T = ui.texts;
  const ys = years(data);
  const anchor = { year: data.e0_year, value: data.e0_t / KT };
  const rows = [];
  const push = (id, values) => {
    const label = T[`path.${id}`];
    rows.push({ ...anchor, series: label });
    values.forEach((v, i) => {
      if (ys[i] <= data.horizon_year) rows.push({ year: ys[i], value: v / KT, series: label });
    });
  };
  for (const id of ids) {
    if (state.hidden.has(id)) continue;
    if (id === "budget") push(id, budgetPath(data, state.cell).path);
    else if (id === "delayed") push(id, extra.delayed);
    else if (data.references[id]) push(id, data.references[id]);
  }
  return rows;
}

function pathsTable(data, ui, rows) {
  const T = ui.texts;
  const series = [...new Set(rows.map((r) => r.series))];
  const ys = [...new Set(rows.map((r) => r.year))].sort((a, b) => a - b);
  const lookup = new Map(rows.map((r) => [`${r.series}|${r.year}`, r.value]));
  const lang = ui.lang;
  return {
    columns: [T["chart.year"], ...series.map((s) => `${s} (${T.unit_kt_short})`)],
    rows: ys.map((y) => [String(y), ...series.map((s) => (lookup.has(`${s}|${y}`) ? number(lookup.get(`${s}|${y}`), lang, 1) : ""))]),
    raw: ys.map((y) => [y, ...series.map((s) => (lookup.has(`${s}|${y}`) ? lookup.get(`${s}|${y}`) : ""))]),
  };
}

function barsTable(ui, bars) {
  const T = ui.texts;
  const lang = ui.lang;
  const sectors = [...new Set(bars.map((r) => r.sector))];
  const ys = [...new Set(bars.map((r) => r.year))].sort((a, b) => a - b);
  const lookup = new Map(bars.map((r) => [`${r.sector}|${r.year}`, r.value]));
  return {
    columns: [T["chart.year"], ...sectors.map((s) => `${s} (${T.unit_kt_short})`)],
    rows: ys.map((y) => [String(y), ...sectors.map((s) => (lookup.has(`${s}|${y}`) ? number(lookup.get(`${s}|${y}`), lang, 1) : ""))]),
    raw: ys.map((y) => [y, ...sectors.map((s) => lookup.get(`${s}|${y}`) ?? "")]),
  };
}

/** Two year tables side by side (the bars and the lines of one chart), one row per year. */
function joinTables(a, b) {
  const years = [...new Set([...a.raw.map((r) => r[0]), ...b.raw.map((r) => r[0])])].sort((x, y) => x - y);
  const index = (t) => new Map(t.raw.map((r, i) => [r[0], i]));
  const ia = index(a);
  const ib = index(b);
  const blank = (t) => t.columns.slice(1).map(() => "");
  return {
    columns: [a.columns[0], ...a.columns.slice(1), ...b.columns.slice(1)],
    rows: years.map((y) => [String(y), ...(ia.has(y) ? a.rows[ia.get(y)].slice(1) : blank(a)), ...(ib.has(y) ? b.rows[ib.get(y)].slice(1) : blank(b))]),
    raw: years.map((y) => [y, ...(ia.has(y) ? a.raw[ia.get(y)].slice(1) : blank(a)), ...(ib.has(y) ? b.raw[ib.get(y)].slice(1) : blank(b))]),
  };
}

function listJoin(items, lang) {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${lang === "sv" ? "och" : "and"} ${items[items.length - 1]}`;
}

function models(data, ui, state) {
  const T = ui.texts;
  const lang = ui.lang;
  const name = data.name;
  return {
    main() {
      const bars = historyBars(data, ui);
      const ids = ui.paths.filter((p) => p !== "delayed");
      const lines = pathRows(data, ui, state, ids);
      const { rate } = budgetPath(data, state.cell);
      const shown = ids.filter((p) => !state.hidden.has(p) && (p === "budget" || data.references[p])).map((p) => T[`path.${p}`]);
      const table = joinTables(barsTable(ui, bars), pathsTable(data, ui, lines));
      const available = ids.filter((p) => p === "budget" || data.references[p]).map((p) => T[`path.${p}`]);
      const sectors = [...new Set(bars.map((b) => b.sector))];
      return {
        keep: { series: available, sector: sectors },
        legend: { series: shown, sector: sectors },
        datasets: { bars, lines },
        description: fill(T[data.cells[state.cell].exhausted ? "chart.main_desc_spent" : "chart.main_desc"], {
          name,
          first: bars.length ? Math.min(...bars.map((b) => b.year)) : data.last_data_year,
          last: data.e0_year,
          paths: listJoin(shown, lang),
          end: data.horizon_year,
          e0: number(data.e0_t / KT, lang, 1),
          year: data.e0_year,
          rate: percent(rate, lang),
        }),
        table,
      };
    },
    scenario() {
      const inp = inputs(data, state);
      const n = data.path_end_year - data.as_of + 1;
      const delayed = delayedPath({ ...inp, delay: state.delay, nYears: n });
      const st = { ...state, hidden: new Set() };
      const lines = pathRows(data, ui, st, ["budget", "no-reduction", "delayed"], { delayed });
      const cod = costOfDelay(inp)[state.delay];
      const bars = historyBars(data, ui);
      const keep = { series: ["budget", "no-reduction", "delayed"].map((p) => T[`path.${p}`]), sector: [...new Set(bars.map((b) => b.sector))] };
      return {
        keep,
        legend: { ...keep, series: state.delay ? keep.series : keep.series.slice(0, 2) },
        datasets: { bars, lines },
        description: fill(T["chart.scenario_desc"], { year: data.as_of, delay: state.delay, rate: percent(cod.rate, lang) }),
        table: joinTables(barsTable(ui, bars), pathsTable(data, ui, lines)),
      };
    },
    delay() {
      const inp = inputs(data, state);
      const cases = costOfDelay(inp);
      const rows = cases.map((c) => ({
        label: String(c.start_year),
        value: c.rate * 100,
        text: percent(c.rate, lang, 0),
        status: c.infeasible ? T["chart.delay_alert"] : T["chart.delay_ok"],
      }));
      return {
        datasets: { d0: rows, d1: [{ value: data.infeasible_rate * 100, text: fill(T["chart.delay_threshold"], { rate: percent(data.infeasible_rate, lang, 0) }) }] },
        description: fill(T["chart.delay_desc"], {
          start: data.as_of,
          max: data.max_delay_years,
          first: percent(cases[0].rate, lang),
          last: percent(cases[cases.length - 1].rate, lang),
        }),
        table: {
          columns: [T["chart.delay_chart_x"], T["scen.delay_rate"] + " (%)", `${T["scen.delay_extra"]} (${T.unit_t_short})`],
          rows: cases.map((c) => [String(c.start_year), percent(c.rate, lang), number(c.extra_t, lang, 0)]),
          raw: cases.map((c) => [c.start_year, c.rate * 100, Math.round(c.extra_t)]),
        },
      };
    },
    cumulative() {
      const w = sectorOutcome(data, state);
      const c = data.cells[state.cell];
      const bp = budgetPath(data, state.cell).path;
      const nH = data.horizon_year - data.as_of + 1;
      const sum = (a) => a.slice(0, nH).reduce((x, y) => x + y, 0);
      const status = (v) => (v <= c.remaining_t ? T["chart.within"] : T["chart.over"]);
      const entries = [
        [T["chart.cumulative_yours"], w.cumulative_t],
        [T["path.budget"], sum(bp)],
        [T["path.no-reduction"], sum(data.references["no-reduction"])],
        [T["path.trend"], sum(data.references.trend)],
      ];
      const rows = entries.map(([label, v]) => ({ label, value: v / KT, text: number(v / KT, lang, 0), status: status(v) }));
      return {
        datasets: { d0: rows, d1: [{ value: c.remaining_t / KT, text: T["chart.cumulative_budget"] }] },
        description: fill(T["chart.cumulative_desc"], {
          from: data.as_of,
          to: data.horizon_year,
          total: number(w.cumulative_t / KT, lang, 0),
          verdict: w.within_budget ? T["chart.within"] : T["chart.over"],
          budget: number(c.remaining_t / KT, lang, 0),
        }),
        table: {
          columns: ["", T.unit_kt_short],
          rows: [...rows.map((r) => [r.label, r.text]), [T["chart.cumulative_budget"], number(c.remaining_t / KT, lang, 0)]],
          raw: [...entries.map(([l, v]) => [l, v / KT]), [T["chart.cumulative_budget"], c.remaining_t / KT]],
        },
      };
    },
    sector_shares() {
      const rows = data.sectors.map((s) => ({ label: T[`sector.${s.sector}`], value: s.share * 100, text: percent(s.share, lang) }));
      const top = [...data.sectors].sort((a, b) => b.share - a.share)[0];
      return {
        datasets: { d0: rows },
        description: fill(T["chart.sectors_desc"], { name, largest: top ? T[`sector.${top.sector}`] : "–", share: top ? percent(top.share, lang) : "–" }),
        table: { columns: [T["sectors.col_sector"], T["sectors.col_share"]], rows: rows.map((r) => [r.label, r.text]), raw: rows.map((r) => [r.label, r.value]) },
      };
    },
    sector_history() {
      const rows = [];
      ui.sectors.forEach((s, order) => {
        for (const [y, v] of data.history_by_sector[s] || []) if (v > 0) rows.push({ year: y, sector: T[`sector.${s}`], value: v / KT, order });
      });
      const ys = rows.map((r) => r.year);
      return {
        keep: { sector: [...new Set(rows.map((r) => r.sector))] },
        datasets: { bars: rows },
        description: fill(T["chart.sector_history_desc"], { name, first: Math.min(...ys), last: Math.max(...ys) }),
        table: barsTable(ui, rows),
      };
    },
    per_capita() {
      const ctx = data.cells[state.cell].per_capita_context || {};
      const rows = [{ label: name, value: data.emissions_per_capita_t, highlight: true }];
      for (const k of ["lan", "riket"]) if (ctx[k] && ctx[k].code !== data.code) rows.push({ label: ctx[k].name, value: ctx[k].emissions_per_capita_t, highlight: false });
      rows.forEach((r) => (r.text = number(r.value, lang, 2)));
      return {
        datasets: { d0: rows },
        description: fill(T["chart.per_capita_desc"], { year: data.e0_year, name, value: rows[0].text, others: listJoin(rows.slice(1).map((r) => `${r.label} (${r.text})`), lang) }),
        table: { columns: [T["percap.col_area"], T["percap.col_emissions"]], rows: rows.map((r) => [r.label, r.text]), raw: rows.map((r) => [r.label, r.value]) },
      };
    },
    budget_per_capita() {
      const c = data.cells[state.cell];
      const ctx = c.per_capita_context || {};
      const rows = [{ label: name, value: c.budget_per_capita_t, highlight: true }];
      for (const k of ["lan", "riket"]) if (ctx[k] && ctx[k].code !== data.code) rows.push({ label: ctx[k].name, value: ctx[k].budget_per_capita_t, highlight: false });
      rows.forEach((r) => (r.text = number(r.value, lang, 1)));
      return {
        datasets: { d0: rows },
        description: fill(T["chart.budget_per_capita_desc"], { name, value: rows[0].text, others: listJoin(rows.slice(1).map((r) => `${r.label} (${r.text})`), lang) }),
        table: { columns: [T["percap.col_area"], T["percap.col_budget"]], rows: rows.map((r) => [r.label, r.text]), raw: rows.map((r) => [r.label, r.value]) },
      };
    },
    ledger() {
      const rows = [];
      for (const l of data.ledger) {
        rows.push({ year: l.year, series: T["chart.ledger_emitted"], value: l.emitted_t / KT });
        rows.push({ year: l.year, series: T["chart.ledger_planned"], value: l.planned_t / KT });
      }
      return {
        datasets: { d0: rows },
        description: fill(T["chart.ledger_desc"], { from: data.budget_from }),
        table: {
          columns: [T["ledger.col_year"], `${T["ledger.col_emitted"]} (${T.unit_kt_short})`, `${T["ledger.col_planned"]} (${T.unit_kt_short})`],
          rows: data.ledger.map((l) => [String(l.year), number(l.emitted_t / KT, lang, 1), number(l.planned_t / KT, lang, 1)]),
          raw: data.ledger.map((l) => [l.year, l.emitted_t / KT, l.planned_t / KT]),
        },
      };
    },
  };
}

/** The sector what-if at the slider positions (percent → fraction). */
export function sectorOutcome(data, state) {
  const rates = {};
  for (const s of Object.keys(data.sector_e0_t)) rates[s] = sectorRatePct(data, state, s) / 100;
  return sectorWhatIf({
    asOf: data.as_of,
    end: data.horizon_year,
    sectorE0: data.sector_e0_t,
    sectorRates: rates,
    remaining: data.cells[state.cell].remaining_t,
  });
}

function sectorRatePct(data, state, s) {
  if (s in state.rates) return state.rates[s];
  // the required rate rounded up to the slider's step (half a percentage point)
  return Math.min(100, Math.ceil(data.cells[state.cell].rate * 200 - 1e-9) / 2);
}

// ---------------------------------------------------------------------------------------------
// page

function updateTiles(data, ui, state) {
  const c = data.cells[state.cell];
  const lang = ui.lang;
  const T = ui.texts;
  const set = (id, value, note, unit) => {
    const tile = document.querySelector(`.tile[data-tile="${id}"]`);
    if (!tile) return;
    tile.querySelector(".tile-value").textContent = value;
    if (note !== undefined) tile.querySelector(".tile-note").textContent = note;
    if (unit !== undefined) tile.querySelector(".tile-unit").textContent = unit;
  };
  const [bv, bu] = tonnesWords(c.budget_t, lang, T);
  // a spent budget is spent, and over by so much: never "−8,8 miljoner ton" left (site.py tiles)
  const [rv, ru] = tonnesWords(Math.abs(c.remaining_t), lang, T);
  set("budget", bv, undefined, bu);
  if (c.exhausted) set("remaining", T["tile.rate_exhausted"], fill(T["tile.remaining_over"], { value: rv, unit: ru }), "");
  else set("remaining", rv, "", ru);
  set("rate", c.exhausted ? T["tile.rate_exhausted"] : percent(c.rate, lang), c.exhausted ? T["tile.rate_note_exhausted"] : fill(T["tile.rate_note"], { year: data.as_of }));
  if (c.exhausted) set("years", number(0, lang, 0), T["tile.rate_note_exhausted"], T["tile.years_unit"]);
  else set("years", c.years_left === null ? T.none : number(c.years_left, lang, 1), c.exhaustion_year ? fill(T["tile.years_left_note"], { year: c.exhaustion_year }) : "", c.years_left === null ? "" : T["tile.years_unit"]);
  const gap = document.getElementById("gap");
  if (gap && data.recent_change !== null) {
    gap.hidden = c.exhausted;
    gap.textContent = fill(T[data.recent_change < 0 ? "tile.gap" : "tile.gap_up"], { recent: percent(Math.abs(data.recent_change), lang), rate: percent(c.rate, lang) });
  }
  set("one_in_n", c.one_in_n ? fill(T["tile.one_in_n_value"], { n: c.one_in_n }) : T.none);
  const alerts = document.getElementById("alerts");
  if (alerts) {
    alerts.querySelectorAll(".alert").forEach((a) => a.remove());
    let msg = "";
    if (c.exhausted) msg = T["tile.exhausted"];
    else if (c.infeasible) msg = fill(T["tile.infeasible"], { rate: percent(data.infeasible_rate, lang, 0) });
    if (msg) {
      const p = document.createElement("p");
      p.className = "alert";
      p.textContent = msg;
      alerts.prepend(p);
    }
    if (c.members_overspent_t > 0 && c.members_available_t !== null) {
      // a county or Sweden nets its members' overspending against the rest: say so
      const p = document.createElement("p");
      p.className = "alert";
      p.textContent = fill(T["tile.members_overspent"], {
        name: data.name,
        overspent: tonnesWords(c.members_overspent_t, lang, T).join(" "),
        available: tonnesWords(c.members_available_t, lang, T).join(" "),
      });
      alerts.append(p);
    }
  }
  const [t, p] = state.cell.split("-");
  const note = document.getElementById("cell-note");
  if (note) {
    let text = fill(T["area.choice_note"], { temperature: number(parseFloat(t), lang, 1), probability: p });
    if (c.national_budget_derived) text += " " + T["area.choice_derived"];
    note.textContent = text;
  }
}

function updateDelay(data, ui, state) {
  const lang = ui.lang;
  const T = ui.texts;
  const d = costOfDelay(inputs(data, state))[state.delay];
  const out = document.getElementById("delay-out");
  if (!out) return;
  out.textContent = fill(out.dataset.template, { n: state.delay, year: data.as_of + state.delay });
  document.getElementById("delay")?.setAttribute("aria-valuetext", out.textContent);
  document.getElementById("delay-rate").textContent = d.exhausted ? T["scen.delay_exhausted"] : percent(d.rate, lang);
  document.getElementById("delay-extra").textContent = tonnesWords(d.extra_t, lang, T).join(" ");
  document.getElementById("delay-year").textContent = d.near_zero_year === null ? T.none : String(Math.floor(d.near_zero_year));
}

function updateSectors(data, ui, state) {
  const lang = ui.lang;
  const T = ui.texts;
  for (const s of Object.keys(data.sector_e0_t)) {
    const input = document.getElementById(`rate-${s}`);
    if (!input) continue;
    const v = sectorRatePct(data, state, s);
    if (parseFloat(input.value) !== v) input.value = String(v);
    const o = document.getElementById(`rate-${s}-out`);
    o.textContent = percent(v / 100, lang);
    input.setAttribute("aria-valuetext", percent(v / 100, lang));
  }
  const w = sectorOutcome(data, state);
  const total = document.getElementById("sector-total");
  if (total) {
    const share = w.budget_t > 0 ? w.cumulative_t / w.budget_t : Infinity;
    total.textContent = `${fill(T["scen.total"], { from: data.as_of, to: data.horizon_year })}: ${tonnesWords(w.cumulative_t, lang, T).join(" ")}, ${fill(T["scen.of_budget"], { share: Number.isFinite(share) ? percent(share, lang, 0) : "–" })} – ${w.within_budget ? T["js.within_budget"] : T["js.over_budget"]}.`;
    total.classList.toggle("over", !w.within_budget);
  }
}

function embedSnippet(code, name, view, lang, accent, T) {
  const base = new URL("../../", location.href);
  const src = new URL(`${lang}/${code}/embed/?view=${view}${accent ? `&accent=${accent}` : ""}`, base).href;
  const script = new URL("assets/embed.js", base).href;
  const title = fill(T["embed.frame_title"], { name });
  return `<iframe src="${src}" title="${title.replace(/"/g, "&quot;")}" data-koldioxidbudget style="width:100%;height:900px;border:0" loading="lazy"></iframe>\n<script src="${script}" async></script>`;
}

/** What a downloaded chart says about itself: area and scenario, source, edition and licence. */
function exportLines(data, ui, state) {
  const [t, p] = state.cell.split("-");
  const T = ui.texts;
  return [
    fill(T["chart.export_scenario"], { name: data.name, temperature: number(parseFloat(t), ui.lang, 1), probability: p }),
    fill(T["chart.export_source"], { edition: data.edition }),
  ];
}

// the names in the page's language ("Uppsala County", "Sweden"), which the page carries: the
// data file is one for both languages and names areas as SCB does
function localNames(data) {
  const d = app.dataset;
  if (d.name) data.name = d.name;
  for (const c of Object.values(data.cells || {})) {
    for (const [k, n] of [["lan", d.lanName], ["riket", d.riketName]]) {
      if (n && c.per_capita_context && c.per_capita_context[k]) c.per_capita_context[k].name = n;
    }
  }
}

async function main() {
  const [data, ui] = await Promise.all([loadJSON("kb-data", app.dataset.data), loadJSON("kb-ui", app.dataset.ui)]);
  localNames(data);
  kb.data = data;
  kb.ui = ui;
  const state = parseState(data, ui);
  kb.state = state;
  const mode = app.dataset.mode;
  const m = models(data, ui, state);
  const charts = kb.charts;
  const figures = {};
  document.querySelectorAll("figure[data-chart]").forEach((f) => (figures[f.dataset.chart] = f));
  const templateOf = (kind) => ui.charts[kind === "scenario" ? "main" : kind];
  for (const [kind, fig] of Object.entries(figures)) {
    charts[kind] = new Chart(fig, templateOf(kind), m[kind], ui, `koldioxidbudget-${data.code}-${kind}`, () => exportLines(data, ui, state));
  }
  const drawn = new Set();
  const drawVisible = async () => {
    const todo = [];
    for (const [kind, chart] of Object.entries(charts)) {
      if (drawn.has(kind) || chart.figure.offsetParent === null) continue;
      drawn.add(kind);
      todo.push(chart.draw());
    }
    await Promise.all(todo);
  };
  const redraw = async (kinds) => {
    const todo = [];
    for (const k of kinds) if (charts[k] && drawn.has(k)) todo.push(charts[k].update());
    await Promise.all(todo);
  };

  if (mode === "slides") {
    const redrawVisible = async () => {
      const todo = [];
      for (const [kind, chart] of Object.entries(charts)) if (drawn.has(kind) && chart.figure.offsetParent !== null) todo.push(chart.draw());
      await Promise.all(todo);
    };
    await startSlides({ drawVisible, redrawVisible, data, ui, state });
    kb.timings.chartsDrawn = performance.now();
    document.body.dataset.ready = "1";
    return;
  }

  // views
  const sections = [...document.querySelectorAll("section.view")];
  const showView = (view) => {
    state.view = view;
    for (const s of sections) s.hidden = mode === "page" || mode === "embed" ? s.dataset.view !== view : false;
    document.querySelectorAll("nav.views a[data-view]").forEach((a) => {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  };
  showView(mode === "embed" && !ui.embed_views.includes(state.view) ? "oversikt" : state.view);
  document.querySelectorAll("nav.views a[data-view]").forEach((a) =>
    a.addEventListener("click", async (e) => {
      e.preventDefault();
      showView(a.dataset.view);
      writeState(state, data, true);
      await drawVisible();
      document.getElementById(`h-${a.dataset.view}`)?.focus({ preventScroll: true });
    }),
  );
  window.addEventListener("popstate", async () => {
    const s = parseState(data, ui);
    Object.assign(state, s);
    showView(state.view);
    syncControls();
    updateAll();
    await drawVisible();
    await redraw(Object.keys(charts));
  });
  sections.forEach((s) => {
    const h = s.querySelector(".view-title");
    if (h) h.tabIndex = -1;
  });

  // controls
  const form = document.getElementById("cell-choice");
  const delay = document.getElementById("delay");
  const syncControls = () => {
    const [t, p] = state.cell.split("-");
    form?.querySelectorAll('input[name="temperature"]').forEach((i) => (i.checked = i.value === t));
    const sel = document.getElementById("probability");
    if (sel) sel.value = p;
    if (delay) delay.value = String(state.delay);
    document.querySelectorAll('#path-toggles input[name="path"]').forEach((i) => (i.checked = !state.hidden.has(i.value)));
  };
  const updateAll = () => {
    updateTiles(data, ui, state);
    updateDelay(data, ui, state);
    updateSectors(data, ui, state);
  };
  syncControls();
  updateAll();

  const timed = async (name, fn) => {
    const t0 = performance.now();
    await fn();
    await new Promise((r) => requestAnimationFrame(() => r()));
    kb.timings[name] = performance.now() - t0;
  };

  form?.addEventListener("change", async () => {
    const t = form.querySelector('input[name="temperature"]:checked')?.value;
    let p = document.getElementById("probability").value;
    let id = `${t}-${p}`;
    if (!(id in data.cells)) {
      const alt = Object.keys(data.cells).find((k) => k.startsWith(`${t}-`));
      id = alt || data.default_cell;
      p = id.split("-")[1];
    }
    state.cell = id;
    syncControls();
    updateAll();
    writeState(state, data);
    await timed("cell", () => redraw(Object.keys(charts)));
  });
  document.querySelectorAll('#path-toggles input[name="path"]').forEach((i) =>
    i.addEventListener("change", async () => {
      if (i.checked) state.hidden.delete(i.value);
      else state.hidden.add(i.value);
      writeState(state, data);
      await timed("toggle", () => redraw(["main"]));
    }),
  );
  delay?.addEventListener("input", async () => {
    state.delay = parseInt(delay.value, 10);
    updateDelay(data, ui, state);
    writeState(state, data);
    await timed("delay", () => redraw(["scenario"]));
  });
  document.querySelectorAll("#sector-sliders input[data-sector]").forEach((input) =>
    input.addEventListener("input", async () => {
      state.rates[input.dataset.sector] = parseFloat(input.value);
      updateSectors(data, ui, state);
      writeState(state, data);
      await timed("sector", () => redraw(["cumulative"]));
    }),
  );
  document.getElementById("sector-reset")?.addEventListener("click", async () => {
    state.rates = {};
    updateSectors(data, ui, state);
    writeState(state, data);
    await redraw(["cumulative"]);
  });

  const snippet = document.getElementById("area-snippet");
  if (snippet) snippet.value = embedSnippet(data.code, data.name, "oversikt", ui.lang, "", ui.texts);

  if (mode === "embed") {
    // a link out of the frame opens in a new tab, never inside the host's iframe
    document.querySelectorAll("a[href]").forEach((a) => {
      if (a.getAttribute("href").startsWith("#")) return;
      a.target = "_blank";
      a.rel = "noopener";
    });
    applyAccent(state.accent);
    const full = document.getElementById("open-full");
    if (full) full.href = `../${location.search.replace(/([?&])accent=[^&]*&?/, "$1").replace(/[?&]$/, "")}`;
    reportHeight();
  }
  writeState(state, data);
  await drawVisible();
  kb.timings.chartsDrawn = performance.now();
  document.body.dataset.ready = "1";
}

main().catch((e) => {
  document.body.dataset.error = String(e && e.stack ? e.stack : e);
  throw e;
});
