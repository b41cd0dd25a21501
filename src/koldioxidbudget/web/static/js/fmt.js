// Numbers for readers, as story/fmt.py formats them with Babel: "1 234,5" with U+00A0 groups and
// U+2212 minus in Swedish, "1,234.5" in English. A test checks both give the same strings.

const LOCALES = { sv: "sv-SE", en: "en-GB" };
const cache = new Map();

function formatter(lang, decimals) {
  const key = `${lang}:${decimals}`;
  if (!cache.has(key)) {
    cache.set(
      key,
      new Intl.NumberFormat(LOCALES[lang] || "sv-SE", {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
        useGrouping: true,
      }),
    );
  }
  return cache.get(key);
}

/** `value` with `decimals` fixed decimals and locale grouping. */
export function number(value, lang = "sv", decimals = 0) {
  let text = formatter(lang, decimals).format(value + 0);
  text = text.replace(/-/g, "\u2212").replace(/\u202f/g, "\u00a0");
  if (/^\u2212[0\u00a0.,]*$/.test(text)) text = text.slice(1); // no "−0"
  return text;
}

/** A fraction as a percentage: 0.357 → "35,7 %" (sv) / "35.7%" (en). */
export function percent(fraction, lang = "sv", decimals = 1) {
  const n = number(fraction * 100, lang, decimals);
  return lang === "sv" ? `${n}\u00a0%` : `${n}%`;
}

export function signedPercent(fraction, lang = "sv", decimals = 1) {
  const text = percent(fraction, lang, decimals);
  return fraction < 0 ? text : `+${text}`;
}

/** Tonnes with sensible precision: Mt above 1 Mt, kt above 10 kt, else t. */
export function tonnes(value, lang = "sv") {
  const a = Math.abs(value);
  if (a >= 1e6) return `${number(value / 1e6, lang, 2)}\u00a0Mt`;
  if (a >= 1e4) return `${number(value / 1e3, lang, 0)}\u00a0kt`;
  return `${number(value, lang, 0)}\u00a0t`;
}

/** "{name} text" templates from the catalogues. */
export function fill(template, values = {}) {
  return String(template).replace(/\{([a-z0-9_]+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

/** A mass of CO₂ for citizens, as web/site.py's `tonnes_words`: [number, unit in words]
 * ("2,92", "miljoner ton koldioxid"); `T` holds the unit words of the page's language. */
export function tonnesWords(value, lang, T) {
  const a = Math.abs(value);
  if (a >= 1e6) return [number(value / 1e6, lang, 2), T.unit_mt_words];
  if (a >= 1e4) return [number(value / 1e3, lang, 0), T.unit_kt_words];
  return [number(value, lang, 0), T.unit_t_words];
}
