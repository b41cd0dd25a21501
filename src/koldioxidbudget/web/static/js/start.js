// The start page: search (Enter opens the best match), filters, a sortable list and the map's
// measure and division switches. Everything works on the table the page already holds.

import { fill } from "./fmt.js";

const table = document.getElementById("areas");
const body = table.tBodies[0];
const rows = [...body.rows];
const search = document.getElementById("search");
const level = document.getElementById("filter-level");
const county = document.getElementById("filter-county");
const count = document.getElementById("count");
const none = document.getElementById("no-results");

function norm(s) {
  return s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\b(kommun|lan|län|stad|region|county|municipality)\b/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
// the name as typed, diacritics kept: tells Habo (0643) from Håbo (0305)
const SUFFIX = new Set(["kommun", "län", "lan", "stad", "region", "county", "municipality"]);
function typed(s) {
  return s
    .toLowerCase()
    .normalize("NFC")
    .split(/[\s-]+/)
    .filter((w) => w && !SUFFIX.has(w))
    .join(" ");
}
// the Swedish name and the name on the page ("Uppsala län", "Uppsala County") both find an area
const keys = new Map(rows.map((r) => [r, `${norm(r.dataset.name)} ${norm(r.dataset.alt || "")} ${r.dataset.code}`]));

function matches() {
  const q = norm(search.value || "");
  return rows.filter((r) => {
    if (level.value && r.dataset.level !== level.value) return false;
    if (county.value && r.dataset.lan !== county.value) return false;
    return !q || keys.get(r).includes(q);
  });
}

function filter() {
  const shown = new Set(matches());
  for (const r of rows) r.hidden = !shown.has(r);
  count.textContent = fill(count.dataset.template, { n: shown.size, total: rows.length });
  none.hidden = shown.size > 0;
  const q = new URLSearchParams(location.search);
  for (const [k, el] of [["q", search], ["level", level], ["lan", county]]) {
    if (el.value) q.set(k, el.value);
    else q.delete(k);
  }
  const s = q.toString();
  history.replaceState(null, "", `${location.pathname}${s ? `?${s}` : ""}${location.hash}`);
  document.querySelectorAll("a[data-keep-query]").forEach((a) => a.setAttribute("href", a.getAttribute("href").split("?")[0] + (s ? `?${s}` : "")));
}

function best() {
  const q = norm(search.value || "");
  const list = matches();
  // a bare name that is both a municipality and a county ("Uppsala") means the municipality
  const wantsLan = /\b(lan|county)\b/.test(search.value.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""));
  const names = (r) => [r.dataset.name, r.dataset.alt || r.dataset.name];
  const exact = list.filter((r) => names(r).some((n) => norm(n) === q) || r.dataset.code === q);
  const spelled = exact.filter((r) => names(r).some((n) => typed(n) === typed(search.value || "")));
  const pick = (rs) => rs.find((r) => r.dataset.level === (wantsLan ? "lan" : "kommun")) || rs[0];
  return pick(spelled) || pick(exact) || pick(list);
}

document.getElementById("search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const r = best();
  if (r) location.href = r.querySelector("a").href;
});
search.addEventListener("input", filter);
level.addEventListener("change", filter);
county.addEventListener("change", filter);

// sorting
const headers = [...table.tHead.rows[0].cells];
headers.forEach((th, col) => {
  const btn = th.querySelector("button");
  btn.addEventListener("click", () => {
    const asc = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach((h) => h.setAttribute("aria-sort", "none"));
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    const text = btn.dataset.type === "text";
    const val = (r) => r.cells[col].dataset.v;
    const sorted = [...rows].sort((a, b) => {
      const x = val(a);
      const y = val(b);
      const c = text ? x.localeCompare(y, document.documentElement.lang) : parseFloat(x) - parseFloat(y);
      return asc ? c : -c;
    });
    body.append(...sorted);
  });
});

// the map
const map = document.getElementById("map");
if (map) {
  const legends = { rate: document.getElementById("legend-rate"), years: document.getElementById("legend-years") };
  const desc = document.getElementById("map-desc");
  const apply = () => {
    const measure = document.querySelector('input[name="measure"]:checked').value;
    const lv = document.querySelector('input[name="maplevel"]:checked').value;
    map.classList.toggle("measure-rate", measure === "rate");
    map.classList.toggle("measure-years", measure === "years");
    map.classList.toggle("level-kommun", lv === "kommun");
    map.classList.toggle("level-lan", lv === "lan");
    legends.rate.hidden = measure !== "rate";
    legends.years.hidden = measure !== "years";
    desc.textContent = desc.dataset[`${measure}${lv.charAt(0).toUpperCase()}${lv.slice(1)}`];
  };
  document.querySelectorAll('input[name="measure"], input[name="maplevel"]').forEach((i) => i.addEventListener("change", apply));
  map.addEventListener("click", (e) => {
    const code = e.target.closest("path")?.dataset.code;
    if (code) location.href = `${code}/`;
  });
}

// restore from the URL
const q = new URLSearchParams(location.search);
if (q.get("q")) search.value = q.get("q");
if (q.get("level")) level.value = q.get("level");
if (q.get("lan")) county.value = q.get("lan");
filter();
document.body.dataset.ready = "1";
