/** The calls/s chart as hand-written SVG: one panel per intermediary, bars per concurrency and contender. */
import { CHART_CONTENDERS, type BenchResults } from './results';

const COLORS = ['#2b6cb0', '#a0aec0', '#dd6b20'];
const PANEL_W = 300;
const PANEL_H = 220;
const TOP = 60;
const MIN_WIDTH = 660;
const LEFT = 50;
const BAR_W = 22;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Rounds `x` up to 1, 2 or 5 times a power of ten. */
function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5, 10].map((k) => k * p).find((v) => v >= x)!;
}

/** The SVG text of the chart of RPC calls/s. */
export function renderChart(results: BenchResults): string {
  const panels = results.intermediaries;
  const width = Math.max(MIN_WIDTH, LEFT + panels.length * (PANEL_W + 20) + 10);
  const height = TOP + PANEL_H + 70;
  const max = niceMax(Math.max(...results.rpc.map((r) => r.perSecond)));
  const y = (v: number) => TOP + PANEL_H - (v / max) * PANEL_H;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${LEFT}" y="18" font-size="13" font-weight="bold">RPC 1 KiB echo: calls/s by calls in flight (1, 10, 100), median of ${results.repetitions}</text>`,
    `<text x="${LEFT}" y="34">${esc(`${results.at}, ${results.machine.cores} cores, load average ${results.loadAverageStart[0].toFixed(1)} at start`)}</text>`,
  ];
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    parts.push(`<line x1="${LEFT}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#e2e8f0"/>`, `<text x="${LEFT - 4}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`);
  }
  panels.forEach((panel, p) => {
    const x0 = LEFT + 10 + p * (PANEL_W + 20);
    parts.push(`<text x="${x0 + PANEL_W / 2}" y="${TOP - 6}" text-anchor="middle" font-weight="bold">${esc(panel.name)}</text>`);
    [1, 10, 100].forEach((c, g) => {
      const gx = x0 + g * (PANEL_W / 3) + 10;
      CHART_CONTENDERS.forEach((name, k) => {
        const r = results.rpc.find((f) => f.intermediary === panel.name && f.contender === name && f.concurrency === c);
        if (!r) return;
        const bx = gx + k * (BAR_W + 2);
        parts.push(
          `<rect x="${bx}" y="${y(r.perSecond).toFixed(1)}" width="${BAR_W}" height="${(TOP + PANEL_H - y(r.perSecond)).toFixed(1)}" fill="${COLORS[k]}"><title>${esc(`${name}, ${c} in flight: ${r.perSecond.toFixed(0)} calls/s`)}</title></rect>`,
          `<text x="${bx + BAR_W / 2}" y="${(y(r.perSecond) - 3).toFixed(1)}" text-anchor="middle" font-size="8">${r.perSecond.toFixed(0)}</text>`,
        );
      });
      parts.push(`<text x="${gx + (3 * BAR_W) / 2}" y="${TOP + PANEL_H + 14}" text-anchor="middle">${c}</text>`);
    });
  });
  CHART_CONTENDERS.forEach((name, k) => {
    const lx = LEFT + k * 170;
    parts.push(`<rect x="${lx}" y="${height - 26}" width="12" height="12" fill="${COLORS[k]}"/>`, `<text x="${lx + 16}" y="${height - 16}">${esc(name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
