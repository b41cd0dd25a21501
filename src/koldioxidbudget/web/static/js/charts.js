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

function csvText(table) {
  const esc = (v) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.columns.map(esc).join(",")];
  for (const row of table.raw) lines.push(row.map(esc).join(","));
  return lines.join("\n") + "\n";
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
 * {columns, rows (formatted), raw (numbers)}} for the current state; `update()` redraws.
 */
export class Chart {
  constructor(figure, template, model, ui, fileStem) {
    this.figure = figure;
    this.template = template;
    this.model = model;
    this.ui = ui;
    this.fileStem = fileStem;
    this.view = null;
    this.current = null;
    this.pending = null;
    this.canvas = figure.querySelector(".chart-canvas");
    this.tableBox = figure.querySelector(".chart-table");
    this.desc = figure.querySelector(".chart-desc");
    this.title = figure.querySelector(".chart-title").textContent;
    const btn = figure.querySelector(".btn-table");
    btn.addEventListener("click", () => {
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

  async draw() {
    const m = this.model();
    this.current = m;
    this.desc.textContent = m.description;
    const spec = keepOnly(withData(this.template.spec, m.datasets), m.keep);
    const result = await window.vegaEmbed(this.canvas, spec, {
      renderer: "svg",
      actions: false,
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
      formatLocale: this.ui.lang === "sv" ? SV_LOCALE : EN_LOCALE,
      config: { autosize: { type: "fit-x", contains: "padding" } },
    });
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
    if (!this.tableBox.hidden) this.renderTable();
    return this.view.runAsync();
  }

  renderTable() {
    const m = this.current || this.model();
    this.tableBox.replaceChildren(tableElement(m.table, this.title));
  }

  async download(format) {
    const m = this.current || this.model();
    if (format === "csv") {
      download(`${this.fileStem}.csv`, new Blob([csvText(m.table)], { type: "text/csv;charset=utf-8" }));
    } else if (format === "svg" && this.view) {
      const svg = await this.view.toSVG();
      download(`${this.fileStem}.svg`, new Blob([svg], { type: "image/svg+xml" }));
    } else if (format === "png" && this.view) {
      const url = await this.view.toImageURL("png", 2);
      download(`${this.fileStem}.png`, dataUrlToBlob(url));
    }
  }
}
