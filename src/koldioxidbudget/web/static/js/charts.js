// Charts in the page: the report's Vega-Lite specs (templates from web/specs.py) drawn with
// vega-embed, their data supplied and replaced by name; every chart has a text description,
// a table alternative and CSV/SVG/PNG downloads built from the same rows.

const SV_LOCALE = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0kr"], minus: "\u2212" };
const EN_LOCALE = { decimal: ".", thousands: ",", grouping: [3], currency: ["£", ""], minus: "\u2212" };

function withData(spec, datasets) {
  // Vega-Lite's top-level "datasets" feeds every {data: {name}} reference of the template
  const copy = JSON.parse(JSON.stringify(spec));
  copy.datasets = datasets;
  return copy;
}

/** Legends list only what the area has: domain and range entries whose value is not in `keep`
 * (per field) are dropped from every scale that pairs them one to one. */
function keepOnly(spec, keep) {
  if (!keep) return spec;
  const walk = (node) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const sc = node.scale;
      if (typeof node.field === "string" && node.field in keep && sc && Array.isArray(sc.domain) && Array.isArray(sc.range) && sc.domain.length === sc.range.length) {
        const ok = new Set(keep[node.field]);
        const idx = sc.domain.map((d, i) => (ok.has(d) ? i : -1)).filter((i) => i >= 0);
        sc.domain = idx.map((i) => sc.domain[i]);
        sc.range = idx.map((i) => sc.range[i]);
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(spec);
  return spec;
}

function dataUrlToBlob(url) {
  const [head, body] = url.split(",");
  const mime = head.slice(5).split(";")[0];
  const bin = atob(body);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: mime });
}

function download(name, blob) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}

/** A number for a file: at most three decimals, no float noise (0.1 + 0.2 → 0.3). */
function rounded(v) {
  return typeof v === "number" && Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v;
}

/** CSV text. `excel`: what Swedish Excel opens as columns (UTF-8 byte-order mark, ";" between
 * fields and a decimal comma in Swedish); otherwise plain CSV for programs ("," and "."). */
export function csvText(table, lang = "sv", excel = false) {
  const sep = excel && lang === "sv" ? ";" : ",";
  const esc = (v) => {
    let s = v === null || v === undefined ? "" : String(rounded(v));
    if (excel && lang === "sv" && typeof v === "number") s = s.replace(".", ",");
    return s.includes(sep) || /["\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.columns.map(esc).join(sep)];
  for (const row of table.raw) lines.push(row.map(esc).join(sep));
  const text = lines.join(excel ? "\r\n" : "\n") + (excel ? "\r\n" : "\n");
  return excel ? "\ufeff" + text : text;
}

/** The legends of a spec (colour scales with a legend), as [{title, symbol, items: [{label,
 * color, dash}]}], and the spec with those legends switched off: the page draws them in HTML so
 * they wrap on a narrow screen instead of being clipped. */
function takeLegends(spec) {
  const found = [];
  const seen = new Set();
  const walk = (node, mark) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, mark));
    if (!node || typeof node !== "object") return;
    const m = node.mark ? (typeof node.mark === "string" ? node.mark : node.mark.type) : mark;
    const enc = node.encoding;
    const c = enc && enc.color;
    if (c && c.legend !== null && c.scale && Array.isArray(c.scale.domain) && Array.isArray(c.scale.range)) {
      const dashes = enc.strokeDash && enc.strokeDash.field === c.field && enc.strokeDash.scale ? enc.strokeDash.scale.range : null;
      const line = (c.legend && c.legend.symbolType === "stroke") || m === "line";
      const key = JSON.stringify([c.title || "", c.scale.domain]);
      if (!seen.has(key)) {
        seen.add(key);
        found.push({
          title: c.title || "",
          symbol: line ? "line" : "square",
          items: c.scale.domain.map((d, i) => ({ label: String(d), color: c.scale.range[i], dash: dashes ? dashes[i] : null })),
        });
      }
      c.legend = null;
    }
    for (const [k, v] of Object.entries(node)) if (k !== "encoding" && k !== "datasets") walk(v, m);
  };
  walk(spec, null);
  return found;
}

const SVGNS = "http://www.w3.org/2000/svg";

function legendElement(legends) {
  const box = document.createElement("div");
  box.className = "chart-legend";
  for (const lg of legends) {
    const group = document.createElement("div");
    group.className = "legend-group";
    if (lg.title) {
      const t = document.createElement("p");
      t.className = "legend-title";
      t.textContent = lg.title;
      group.appendChild(t);
    }
    const ul = document.createElement("ul");
    for (const it of lg.items) {
      const li = document.createElement("li");
      const svg = document.createElementNS(SVGNS, "svg");
      svg.setAttribute("viewBox", lg.symbol === "line" ? "0 0 28 12" : "0 0 12 12");
      svg.setAttribute("class", lg.symbol === "line" ? "sym sym-line" : "sym");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      if (lg.symbol === "line") {
        const l = document.createElementNS(SVGNS, "line");
        for (const [k, v] of Object.entries({ x1: 1, y1: 6, x2: 27, y2: 6, stroke: it.color, "stroke-width": 3 })) l.setAttribute(k, v);
        if (it.dash && it.dash.length && !(it.dash.length === 2 && it.dash[1] === 0)) l.setAttribute("stroke-dasharray", it.dash.join(" "));
        svg.appendChild(l);
      } else {
        const r = document.createElementNS(SVGNS, "rect");
        for (const [k, v] of Object.entries({ x: 0.5, y: 0.5, width: 11, height: 11, fill: it.color, stroke: "#595959", "stroke-width": 0.6 })) r.setAttribute(k, v);
        svg.appendChild(r);
      }
      li.appendChild(svg);
      li.appendChild(document.createTextNode(it.label));
      ul.appendChild(li);
    }
    group.appendChild(ul);
    box.appendChild(group);
  }
  return box;
}

/** Presenting: the chart as tall as its box allows, with type that reads from the back row. */
function presenting() {
  return document.body.classList.contains("mode-slides");
}

const BIG = { labelFontSize: 22, titleFontSize: 22 };

async function fontCss() {
  // the page's own font, as data URLs, so a downloaded SVG shows the same type everywhere
  const out = [];
  for (const sheet of [...document.styleSheets]) {
    let rules = [];
    try {
      rules = [...sheet.cssRules];
    } catch {
      continue;
    }
    for (const r of rules) {
      if (!(r instanceof CSSFontFaceRule)) continue;
      const m = /url\("?([^")]+)"?\)/.exec(r.style.getPropertyValue("src"));
      if (!m) continue;
      let url = m[1];
      if (!url.startsWith("data:")) {
        try {
          const blob = await (await fetch(new URL(url, sheet.href || location.href))).blob();
          url = await new Promise((res) => {
            const fr = new FileReader();
            fr.onload = () => res(fr.result);
            fr.readAsDataURL(blob);
          });
        } catch {
          continue;
        }
      }
      out.push(`@font-face{font-family:${r.style.getPropertyValue("font-family")};font-weight:${r.style.getPropertyValue("font-weight") || 400};font-style:${r.style.getPropertyValue("font-style") || "normal"};src:url("${url}")}`);
    }
  }
  return out.join("");
}

function tableElement(table, caption) {
  const t = document.createElement("table");
  const cap = document.createElement("caption");
  cap.textContent = caption;
  t.appendChild(cap);
  const thead = t.createTHead();
  const hr = thead.insertRow();
  table.columns.forEach((c, i) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = c;
    if (i > 0) th.className = "num";
    hr.appendChild(th);
  });
  const tb = t.createTBody();
  for (const row of table.rows) {
    const tr = tb.insertRow();
    row.forEach((v, i) => {
      const cell = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) cell.scope = "row";
      else cell.className = "num";
      cell.textContent = v;
      tr.appendChild(cell);
    });
  }
  return t;
}

/**
 * A chart bound to a <figure data-chart>. `model()` returns {datasets, description, table:
 * {columns, rows (formatted), raw (numbers)}, keep, legend} for the current state; `update()`
 * redraws. `meta()` gives the lines a downloaded image carries (area, scenario, source, edition,
 * licence). Legends are HTML below the chart (they wrap); downloads draw Vega's own.
 */
export class Chart {
  constructor(figure, template, model, ui, fileStem, meta = () => []) {
    this.figure = figure;
    this.template = template;
    this.model = model;
    this.ui = ui;
    this.fileStem = fileStem;
    this.meta = meta;
    this.view = null;
    this.current = null;
    this.canvas = figure.querySelector(".chart-canvas");
    this.tableBox = figure.querySelector(".chart-table");
    this.desc = figure.querySelector(".chart-desc");
    this.title = figure.querySelector(".chart-title").textContent;
    this.legendBox = null;
    const btn = figure.querySelector(".btn-table");
    btn?.addEventListener("click", () => {
      const open = btn.getAttribute("aria-expanded") === "true";
      btn.setAttribute("aria-expanded", String(!open));
      btn.textContent = open ? ui.texts["chart.show_table"] : ui.texts["chart.hide_table"];
      this.tableBox.hidden = open;
      if (!open) this.renderTable();
    });
    figure.querySelectorAll(".btn-dl").forEach((b) =>
      b.addEventListener("click", () => this.download(b.dataset.format)),
    );
  }

  screenSpec(m) {
    const spec = keepOnly(withData(this.template.spec, m.datasets), m.keep);
    takeLegends(spec);
    if (presenting()) {
      // as tall as the slide leaves room for (the legend is already in place below), with
      // type that reads from the back of the room
      const h = this.canvas.clientHeight;
      if (h > 200) spec.height = Math.floor(h - 8);
      const c = spec.config || {};
      spec.config = { ...c, axis: { ...(c.axis || {}), ...BIG, titlePadding: 12 }, text: { ...(c.text || {}), fontSize: 20 } };
    }
    return spec;
  }

  renderLegend(m) {
    const spec = keepOnly(JSON.parse(JSON.stringify(this.template.spec)), m.legend || m.keep);
    const legends = takeLegends(spec);
    const box = legends.length ? legendElement(legends) : null;
    if (this.legendBox) this.legendBox.remove();
    this.legendBox = box;
    if (box) this.canvas.after(box);
  }

  embedOptions() {
    const big = presenting();
    return {
      renderer: "svg",
      actions: false,
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
      formatLocale: this.ui.lang === "sv" ? SV_LOCALE : EN_LOCALE,
      config: { autosize: big ? { type: "fit", contains: "padding" } : { type: "fit-x", contains: "padding" } },
    };
  }

  async draw() {
    const m = this.model();
    this.current = m;
    this.desc.textContent = m.description;
    this.renderLegend(m);
    this.canvas.replaceChildren();
    const result = await window.vegaEmbed(this.canvas, this.screenSpec(m), this.embedOptions());
    this.view = result.view;
    const svg = this.canvas.querySelector("svg");
    if (svg) {
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
    }
    if (!this.tableBox.hidden) this.renderTable();
    return this.view;
  }

  /** Replace the data in place (fast path for sliders). */
  async update() {
    const m = this.model();
    this.current = m;
    this.desc.textContent = m.description;
    if (!this.view) return this.draw();
    for (const [name, values] of Object.entries(m.datasets)) this.view.data(name, values);
    this.renderLegend(m);
    if (!this.tableBox.hidden) this.renderTable();
    return this.view.runAsync();
  }

  renderTable() {
    const m = this.current || this.model();
    this.tableBox.replaceChildren(tableElement(m.table, this.title));
  }

  /** The chart as a file: drawn apart at a fixed size, with its title, what it shows (area,
   * scenario) and where it comes from (source, edition, licence), and the legend as on screen. */
  async exportView(m) {
    const spec = keepOnly(withData(this.template.spec, m.datasets), m.legend || m.keep);
    spec.width = 760;
    spec.title = { text: this.title, subtitle: this.meta(), anchor: "start", fontSize: 17, subtitleFontSize: 12, subtitleColor: "#4d4d4d", offset: 12 };
    const stage = document.createElement("div");
    stage.className = "export-stage";
    document.body.appendChild(stage);
    const opts = this.embedOptions();
    opts.config = { autosize: { type: "pad" }, legend: { columns: 2, labelLimit: 360 } };
    const result = await window.vegaEmbed(stage, spec, opts);
    return { view: result.view, stage };
  }

  async download(format) {
    const m = this.current || this.model();
    const lang = this.ui.lang;
    if (format === "csv" || format === "xlsx-csv") {
      const excel = format === "xlsx-csv";
      const name = excel ? `${this.fileStem}-excel.csv` : `${this.fileStem}.csv`;
      download(name, new Blob([csvText(m.table, lang, excel)], { type: "text/csv;charset=utf-8" }));
      return;
    }
    const { view, stage } = await this.exportView(m);
    try {
      if (format === "svg") {
        let svg = await view.toSVG();
        const css = await fontCss();
        if (css) svg = svg.replace(/(<svg[^>]*>)/, `$1<defs><style>${css}</style></defs>`);
        download(`${this.fileStem}.svg`, new Blob([svg], { type: "image/svg+xml" }));
      } else if (format === "png") {
        const url = await view.toImageURL("png", 2);
        download(`${this.fileStem}.png`, dataUrlToBlob(url));
      }
    } finally {
      view.finalize();
      stage.remove();
    }
  }
}
