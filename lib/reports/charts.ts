import { createRequire } from 'node:module';
import * as Plot from '@observablehq/plot';

// jsdom and resvg load on the first chart: they cost half a second of start-up to every worker
// and CLI process, and most of those never draw one.
const require = createRequire(import.meta.url);
const jsdom = (): typeof import('jsdom') => require('jsdom');
const resvg = (): typeof import('@resvg/resvg-js') => require('@resvg/resvg-js');

/**
 * Charts are Observable Plot figures rendered on the server: a cell's chart function returns Plot
 * options, this file draws them into a jsdom document and serialises the SVG. The page inlines
 * the SVG; mail gets a PNG (clients drop SVG). Legends are HTML beside the chart, so they stay
 * readable text in both, and the PNG is only the plot.
 */
export interface ChartSpec {
  /** Plot options without document, title or legend: the cell has the title, the renderer the legend. */
  plot: Plot.PlotOptions;
  /** What the chart shows, for screen readers and for mail clients that block images. */
  alt: string;
}

export interface LegendEntry {
  label: string;
  color: string;
}

export interface RenderedChart {
  svg: string;
  width: number;
  height: number;
  alt: string;
  legend: LegendEntry[];
}

// Narrow enough that the text stays legible when a phone scales the chart down to ~350px.
export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 220;

// One document per process: jsdom is slow to start and Plot only creates detached elements in it.
let shared: Document | undefined;
function chartDocument(): Document {
  shared ??= new (jsdom().JSDOM)('<!DOCTYPE html><html><body></body></html>').window.document;
  return shared;
}

export const PALETTE = [
  '#2563eb',
  '#ea580c',
  '#16a34a',
  '#9333ea',
  '#dc2626',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
];

export function renderChart(spec: ChartSpec): RenderedChart {
  const { title: _t, subtitle: _s, caption: _c, ...options } = spec.plot;
  const width = options.width ?? CHART_WIDTH;
  const height = options.height ?? CHART_HEIGHT;
  const color = options.color === undefined ? undefined : { ...options.color, legend: false };
  const figure = Plot.plot({
    ...options,
    width,
    height,
    color,
    document: chartDocument(),
    style: {
      background: 'white',
      color: '#1f2937',
      fontSize: '12px',
      fontFamily: 'DejaVu Sans, system-ui, sans-serif',
    },
  });
  if (figure.tagName.toLowerCase() !== 'svg')
    throw new Error('a chart must render to a single <svg> (no title, caption or legend options)');
  figure.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  figure.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:xlink', 'http://www.w3.org/1999/xlink');
  figure.setAttribute('role', 'img');
  figure.setAttribute('aria-label', spec.alt);
  return { svg: figure.outerHTML, width, height, alt: spec.alt, legend: legendOf(figure.scale('color')) };
}

function legendOf(scale: Plot.Scale | undefined): LegendEntry[] {
  if (!scale || !['ordinal', 'categorical'].includes(String(scale.type))) return [];
  const domain = (scale.domain ?? []) as unknown[];
  const range = (scale.range ?? []) as unknown[];
  return domain.map((d, i) => ({ label: String(d), color: String(range[i % Math.max(range.length, 1)] ?? '#888') }));
}

/**
 * The chart as PNG for mail, drawn at twice its size for sharp phone screens. Text uses the
 * system's DejaVu Sans (Debian installs it with Chromium); a white background keeps dark-mode
 * clients from showing black text on black.
 */
export function chartToPng(chart: RenderedChart, zoom = 2): Buffer {
  const image = new (resvg().Resvg)(chart.svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: zoom },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return image.render().asPng();
}
