import { ChartFrame, labelStep } from './ChartFrame.tsx';

export interface LinePoint {
  /** Axis label, e.g. "14:00". */
  label: string;
  value: number;
  /** The point's figures in words, e.g. "14:00: 3 card payments waiting, $45.00". */
  description: string;
}

/** A line chart as inline SVG, points evenly spaced in order; accessible like `BarChart`. */
export function LineChart({
  title,
  points,
  xLabel,
  yLabel,
  formatTick,
  testId,
}: {
  title: string;
  points: readonly LinePoint[];
  xLabel: string;
  yLabel: string;
  formatTick?: (value: number) => string;
  testId?: string;
}) {
  return (
    <ChartFrame
      title={title}
      description={points.length === 0 ? 'No figures yet.' : points.map((point) => point.description).join('; ')}
      xLabel={xLabel}
      yLabel={yLabel}
      maxValue={Math.max(0, ...points.map((point) => point.value))}
      formatTick={formatTick}
      testId={testId}
    >
      {({ left, width, y, labelY }) => {
        const x = (index: number) =>
          points.length < 2 ? left + width / 2 : left + (index / (points.length - 1)) * width;
        const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(index)},${y(point.value)}`).join(' ');
        const every = labelStep(points.length, width);
        return (
          <>
            {points.length > 1 && <path className="m-chart__line" d={path} />}
            {points.map((point, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: points are positions on the x axis, never reordered; labels may repeat.
              <g key={index}>
                <circle className="m-chart__point" cx={x(index)} cy={y(point.value)} r={4}>
                  <title>{point.description}</title>
                </circle>
                {index % every === 0 && (
                  <text className="m-chart__label" x={x(index)} y={labelY} textAnchor="middle">
                    {point.label}
                  </text>
                )}
              </g>
            ))}
          </>
        );
      }}
    </ChartFrame>
  );
}
