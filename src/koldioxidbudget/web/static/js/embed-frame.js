// Inside an embedded page: tell the host page our height whenever it changes (postMessage to the
// parent, any origin: the message carries only a height). No cookies, no other requests.

export function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const send = () => {
    const h = Math.ceil(document.documentElement.scrollHeight);
    if (h !== last) {
      last = h;
      window.parent.postMessage({ type: "koldioxidbudget:height", height: h }, "*");
    }
  };
  new ResizeObserver(send).observe(document.body);
  window.addEventListener("load", send);
  send();
}

/** Accent colour from the URL (?accent=005a9c): used for borders and active controls, with text
 * colour chosen for contrast. */
export function applyAccent(hex) {
  if (!/^[0-9a-fA-F]{6}$/.test(hex || "")) return;
  const rgb = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = rgb.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  const root = document.documentElement.style;
  root.setProperty("--accent", `#${hex}`);
  root.setProperty("--on-accent", lum > 0.18 ? "#000000" : "#ffffff");
}
