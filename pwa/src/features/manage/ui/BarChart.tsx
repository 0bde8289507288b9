import { ChartFrame, labelStep } from './ChartFrame.tsx';

export interface Bar {
  /** Axis label, e.g. "14". */
  label: string;
  value: number;
  /** The bar's figures in words for its tooltip and the chart's description, e.g. "14:00: 12 sales, $240.00". */
  description: string;
}

/** A bar chart as inline SVG; accessible (title, every bar's figures, labelled axes). No chart library. */
export function BarChart({
  title,
  bars,
  xLabel,
  yLabel,
  formatTick,
  testId,
}: {
  title: string;
  bars: readonly Bar[];
  xLabel: string;
  yLabel: string;
  formatTick?: (value: number) => string;
  testId?: string;
}) {
  return (
    <ChartFrame
      title={title}
      description={bars.map((bar) => bar.description).join('; ')}
      xLabel={xLabel}
      yLabel={yLabel}
      maxValue={Math.max(0, ...bars.map((bar) => bar.value))}
      formatTick={formatTick}
      testId={testId}
    >
      {({ left, width, bottom, y, labelY }) => {
        const slot = width / Math.max(1, bars.length);
        const every = labelStep(bars.length, width);
        return bars.map((bar, index) => {
          const x = left + index * slot;
          return (
            <g key={bar.label}>
              <rect
                className="m-chart__bar"
                x={x + slot * 0.15}
                y={y(bar.value)}
                width={slot * 0.7}
                height={bottom - y(bar.value)}
              >
                <title>{bar.description}</title>
              </rect>
              {index % every === 0 && (
                <text className="m-chart__label" x={x + slot / 2} y={labelY} textAnchor="middle">
                  {bar.label}
                </text>
              )}
            </g>
          );
        });
      }}
    </ChartFrame>
  );
}
