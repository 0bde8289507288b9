import { type ReactNode, useId, useRef } from 'react';
import { niceTicks } from './chart-scale.ts';
import { useWidth } from './use-width.ts';

const HEIGHT = 220;
const PAD = { top: 12, right: 16, bottom: 44, left: 48 };

/** Where a chart's marks go: the plot box and the value → y mapping. */
export interface ChartGeometry {
  left: number;
  top: number;
  width: number;
  height: number;
  /** The baseline's y. */
  bottom: number;
  y: (value: number) => number;
  /** y of an x-axis label. */
  labelY: number;
}

/**
 * The frame every console chart shares: drawn at its real pixel width (so text stays readable
 * on a laptop and a tablet), a value axis of round ticks, labelled axes, and the figures in words
 * for screen readers (`<title>` + `<desc>`). `children` draws the marks.
 */
export function ChartFrame({
  title,
  description,
  xLabel,
  yLabel,
  maxValue,
  formatTick = (value) => String(value),
  testId,
  children,
}: {
  title: string;
  description: string;
  xLabel: string;
  yLabel: string;
  maxValue: number;
  formatTick?: (value: number) => string;
  testId?: string;
  children: (geometry: ChartGeometry) => ReactNode;
}) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 480);
  const ticks = niceTicks(maxValue);
  const top = ticks.at(-1) ?? 1;
  const plotWidth = Math.max(40, width - PAD.left - PAD.right);
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const geometry: ChartGeometry = {
    left: PAD.left,
    top: PAD.top,
    width: plotWidth,
    height: plotHeight,
    bottom: y(0),
    y,
    labelY: PAD.top + plotHeight + 18,
  };

  return (
    <div ref={box} className="m-chart-box">
      <svg
        className="m-chart"
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        data-testid={testId}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick} className="m-chart__grid">
            <line x1={PAD.left} x2={PAD.left + plotWidth} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {children(geometry)}
        <text className="m-chart__axis" x={PAD.left + plotWidth / 2} y={HEIGHT - 6} textAnchor="middle">
          {xLabel}
        </text>
        <text
          className="m-chart__axis"
          transform={`translate(14 ${PAD.top + plotHeight / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {yLabel}
        </text>
      </svg>
    </div>
  );
}

/** Shows every n-th x label so they never overlap: about one per 44 px. */
export function labelStep(count: number, plotWidth: number): number {
  return Math.max(1, Math.ceil(count / Math.max(1, Math.floor(plotWidth / 44))));
}
