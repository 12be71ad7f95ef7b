/** A small SVG chart: training loss per step (left axis) and test accuracy per epoch (right axis). */
export interface PlotData {
  title: string;
  /** [step, loss] */
  loss: [number, number][];
  /** [step, accuracy 0..1] at the end of each epoch */
  accuracy: [number, number][];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export function renderSvg(d: PlotData): string {
  const W = 720, H = 400, L = 60, R = 60, T = 40, B = 50;
  const pw = W - L - R, ph = H - T - B;
  const maxStep = Math.max(1, ...d.loss.map((p) => p[0]), ...d.accuracy.map((p) => p[0]));
  const maxLoss = Math.max(1e-6, ...d.loss.map((p) => p[1]));
  const accLo = Math.min(0.5, ...d.accuracy.map((p) => p[1]));
  const x = (s: number) => L + (s / maxStep) * pw;
  const yl = (v: number) => T + ph - (v / maxLoss) * ph;
  const ya = (v: number) => T + ph - ((v - accLo) / (1 - accLo)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(d.title)}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  for (const t of ticks(0, maxStep)) {
    parts.push(`<line x1="${x(t)}" y1="${T + ph}" x2="${x(t)}" y2="${T + ph + 4}" stroke="#888"/><text x="${x(t)}" y="${T + ph + 17}" text-anchor="middle">${t}</text>`);
  }
  for (const t of ticks(0, maxLoss)) {
    parts.push(`<line x1="${L - 4}" y1="${yl(t)}" x2="${L + pw}" y2="${yl(t)}" stroke="#eee"/><text x="${L - 7}" y="${yl(t) + 4}" text-anchor="end" fill="#1f77b4">${t}</text>`);
  }
  for (const t of ticks(accLo, 1)) {
    parts.push(`<text x="${L + pw + 7}" y="${ya(t) + 4}" fill="#d62728">${(100 * t).toFixed(0)}%</text>`);
  }
  parts.push(`<text x="${W / 2}" y="${H - 10}" text-anchor="middle">step</text>`);
  parts.push(`<text transform="translate(16 ${T + ph / 2}) rotate(-90)" text-anchor="middle" fill="#1f77b4">training loss</text>`);
  parts.push(`<text transform="translate(${W - 12} ${T + ph / 2}) rotate(90)" text-anchor="middle" fill="#d62728">test accuracy</text>`);
  if (d.loss.length) parts.push(`<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${d.loss.map(([s, v]) => `${x(s).toFixed(1)},${yl(v).toFixed(1)}`).join(' ')}"/>`);
  if (d.accuracy.length) {
    parts.push(`<polyline fill="none" stroke="#d62728" stroke-width="2" points="${d.accuracy.map(([s, v]) => `${x(s).toFixed(1)},${ya(v).toFixed(1)}`).join(' ')}"/>`);
    for (const [s, v] of d.accuracy) parts.push(`<circle cx="${x(s).toFixed(1)}" cy="${ya(v).toFixed(1)}" r="3.5" fill="#d62728"><title>${(100 * v).toFixed(2)}%</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
