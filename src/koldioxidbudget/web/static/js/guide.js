// The embedding guide: builds the snippet for the chosen area, view, language and accent colour,
// and shows it live in a preview iframe.

import { fill } from "./fmt.js";

const form = document.getElementById("embed-form");
const out = document.getElementById("embed-snippet");
const preview = document.getElementById("embed-preview");
const status = document.getElementById("embed-status");
const root = new URL(document.body.dataset.root, location.href);
const texts = { copied: document.getElementById("embed-copy").dataset.copied };

function snippet() {
  const area = document.getElementById("embed-area");
  const view = document.getElementById("embed-view").value;
  const lang = document.getElementById("embed-lang").value;
  const accent = document.getElementById("embed-accent").value.replace("#", "");
  const src = new URL(`${lang}/${area.value}/embed/?view=${view}&accent=${accent}`, root).href;
  const script = new URL("assets/embed.js", root).href;
  const name = area.options[area.selectedIndex].textContent;
  const title = fill(out.dataset.frameTitle, { name }).replace(/"/g, "&quot;");
  return {
    src,
    title,
    html: `<iframe src="${src}" title="${title}" data-koldioxidbudget style="width:100%;height:900px;border:0" loading="lazy"></iframe>\n<script src="${script}" async></script>`,
  };
}

function update() {
  const s = snippet();
  out.value = s.html;
  const frame = document.createElement("iframe");
  frame.src = s.src;
  frame.title = s.title;
  frame.setAttribute("data-koldioxidbudget", "");
  frame.className = "preview-frame";
  preview.replaceChildren(frame);
}

const q = new URLSearchParams(location.search);
if (q.get("area")) document.getElementById("embed-area").value = q.get("area");
form.addEventListener("change", update);
form.addEventListener("input", (e) => {
  if (e.target.type === "color") update();
});
document.getElementById("embed-copy").addEventListener("click", async () => {
  out.select();
  try {
    await navigator.clipboard.writeText(out.value);
    status.textContent = texts.copied || "OK";
  } catch {
    status.textContent = "";
  }
});
update();
document.body.dataset.ready = "1";
