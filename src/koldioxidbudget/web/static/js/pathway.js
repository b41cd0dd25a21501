// The engine's pathway formulas, ported operation for operation from method/pathway.py and
// method/scenarios.py so the browser can recompute while a slider moves. A test runs this module
// in Chromium for every area and a grid of slider positions and compares it with Python
// (relative difference below 1e-9). Keep the order of floating-point operations as in Python.

function safeInputs(e0, b) {
  const exhausted = b <= 0;
  return [e0, exhausted ? 1.0 : b, exhausted];
}

function finishRate(r, e0, exhausted) {
  if (exhausted) return 1.0;
  if (e0 <= 0) return 0.0;
  return r;
}

function sumD(r, e0, n, rho) {
  // Σ_{n=1..N} (1−r)^n, stable for r → 0 (sum → N)
  const q = 1.0 - r;
  const geo = Math.abs(r) < 1e-12 ? n : (q * (1.0 - q ** n)) / (r === 0 ? 1.0 : r);
  return e0 * (rho * n + (1.0 - rho) * geo);
}

export function rateD(e0, b, nYears, residualFraction = 0.0) {
  const [e, bb, ex] = safeInputs(e0, b);
  let lo = -1.0;
  let hi = 1.0;
  for (let i = 0; i < 80; i++) {
    const mid = 0.5 * (lo + hi);
    const tooMuch = sumD(mid, e, nYears, residualFraction) > bb;
    if (tooMuch) lo = mid;
    else hi = mid;
  }
  return finishRate(0.5 * (lo + hi), e, ex);
}

/** The constant annual cut (a fraction) that makes the pathway use exactly `budget`. */
export function requiredRate(e0, budget, convention, nYears = 25, residualFraction = 0.0) {
  const [e, bb, ex] = safeInputs(e0, budget);
  switch (convention) {
    case "A":
      return finishRate(e / (bb + e), e, ex);
    case "B":
      return finishRate(-Math.expm1(-e / bb), e, ex);
    case "C":
      return finishRate(Math.min(e / bb, 1.0), e, ex);
    case "D":
      return rateD(e0, budget, nYears, residualFraction);
    default:
      throw new Error(`unknown convention ${convention}`);
  }
}

/** Annual emissions of the first `nYears` pathway years (index 0 = the first budget year). */
export function annualPath(e0, budget, rate, convention, nYears, horizonYears = 25, residualFraction = 0.0) {
  const out = new Array(nYears);
  const q = 1.0 - rate;
  let k = 0.0;
  if (convention === "B") k = budget > 0 ? e0 / budget : 0.0;
  let before = 0.0; // D: the unclipped path's sum before year n
  for (let n = 0; n < nYears; n++) {
    let v;
    if (convention === "A") v = e0 * q ** (n + 1);
    else if (convention === "C") v = budget < e0 ? (n === 0 ? budget : 0.0) : e0 * q ** n;
    else if (convention === "B") v = budget * Math.exp(-k * n) * -Math.expm1(-k);
    else if (convention === "D") {
      v = e0 * (residualFraction + (1.0 - residualFraction) * q ** (n + 1));
      if (!(n < horizonYears)) v = 0.0;
      // a residual the budget cannot hold (r = 1 and still too much) stops when it is used up
      const raw = v;
      v = Math.min(Math.max(budget - before, 0.0), raw);
      before += raw;
    } else throw new Error(`unknown convention ${convention}`);
    out[n] = budget > 0 ? Math.max(v, 0.0) : 0.0;
  }
  return out;
}

/** Linear decline to zero that uses `budget` (zero after T = 2B/E0 years). */
export function linearPath(e0, budget, nYears) {
  const out = new Array(nYears).fill(0.0);
  if (budget <= 0 || e0 <= 0) return out;
  const tZero = (2.0 * budget) / e0;
  for (let n = 0; n < nYears; n++) {
    const a = Math.min(n, tZero);
    const b = Math.min(n + 1, tZero);
    out[n] = Math.max(0.0, e0 * (b - a - (b * b - a * a) / (2 * tZero)));
  }
  return out;
}

/** Year (fractional) by which `share` of the budget is used on the exponential path. */
export function nearZeroYear(asOf, rate, share = 0.95) {
  if (rate >= 1) return asOf;
  if (rate <= 0) return null;
  const m = Math.log(1 - share) / Math.log(1 - rate);
  return asOf + m;
}

function horizonYears(horizonYear, asOf) {
  return Math.max(1, horizonYear - asOf + 1);
}

/** The cost of delay: required rate, extra tonnes and 95 %-used year for delays 0…maxDelay. */
export function costOfDelay({ asOf, e0, remaining, convention, horizonYear, residualFraction, maxDelay, infeasibleRate }) {
  const r0 = requiredRate(e0, remaining, convention, horizonYears(horizonYear, asOf), residualFraction);
  const base = annualPath(e0, remaining, r0, convention, maxDelay + 1, horizonYears(horizonYear, asOf), residualFraction);
  const out = [];
  for (let d = 0; d <= maxDelay; d++) {
    const b = remaining - d * e0;
    const nH = Math.max(1, horizonYear - asOf - d + 1);
    const r = requiredRate(e0, b, convention, nH, residualFraction);
    let spent = 0.0;
    for (let i = 0; i < d; i++) spent += base[i];
    out.push({
      delay_years: d,
      start_year: asOf + d,
      remaining_t: b,
      rate: r,
      extra_t: d * e0 - spent,
      near_zero_year: b > 0 ? nearZeroYear(asOf + d, r) : null,
      exhausted: b <= 0,
      infeasible: b <= 0 || r > infeasibleRate,
    });
  }
  return out;
}

/** Emissions when the cut starts `delay` years late: E0 until then, then the pathway of the
 * budget that is left. Values for years asOf … asOf+nYears−1. */
export function delayedPath({ asOf, e0, remaining, convention, horizonYear, residualFraction, delay, nYears }) {
  const b = remaining - delay * e0;
  const nH = Math.max(1, horizonYear - asOf - delay + 1);
  const r = requiredRate(e0, b, convention, nH, residualFraction);
  const rest = annualPath(e0, b, r, convention, Math.max(0, nYears - delay), nH, residualFraction);
  const out = [];
  for (let i = 0; i < Math.min(delay, nYears); i++) out.push(e0);
  return out.concat(rest);
}

/** Each sector declines from its E0 at its own rate (first year already cut, as convention A);
 * the cumulative total to `end` is compared with the remaining budget. */
export function sectorWhatIf({ asOf, end, sectorE0, sectorRates, remaining }) {
  const years = [];
  for (let y = asOf; y <= end; y++) years.push(y);
  const bySector = {};
  let cumulative = 0;
  for (const [s, e] of Object.entries(sectorE0)) {
    const r = sectorRates[s] ?? 0.0;
    const path = years.map((_, i) => e * (1 - r) ** (i + 1));
    bySector[s] = path;
  }
  // Python: float(sum(sum(v) for v in by.values())), each inner sum sequential from 0
  for (const v of Object.values(bySector)) {
    let inner = 0;
    for (const x of v) inner += x;
    cumulative += inner;
  }
  return { years, by_sector: bySector, cumulative_t: cumulative, budget_t: remaining, within_budget: cumulative <= remaining };
}
