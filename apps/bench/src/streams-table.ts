import { grid, ms, rate } from './models-report.js';
import type { StreamCell, StreamsSection } from './streams-results.js';

const HEADER = [
  'cell',
  'frames',
  'frames/s',
  'vs naive',
  'rt p50',
  'rt p99',
  'rt p99 vs naive',
  'batch p50',
  'batch p99',
  'dropped',
  'cpu busy',
];

function row(c: StreamCell): string[] {
  const rt = c.latency.realtime;
  const b = c.latency.batch;
  return [
    c.id,
    String(c.frames),
    rate(c.framesPerSecond),
    c.vsNaive ? `${c.vsNaive.framesPerSecondRatio.toFixed(2)}x` : '-',
    rt ? ms(rt.p50Ms) : '-',
    rt ? ms(rt.p99Ms) : '-',
    c.vsNaive?.realtimeP99Ratio === undefined ? '-' : `${c.vsNaive.realtimeP99Ratio.toFixed(2)}x`,
    b ? ms(b.p50Ms) : '-',
    b ? ms(b.p99Ms) : '-',
    `${c.dropped} (${c.droppedBySource}+${c.droppedByScheduler})`,
    c.cpuBusy === undefined ? '-' : `${(c.cpuBusy * 100).toFixed(0)}%`,
  ];
}

/** The streams table with its title, legend and the goal line. */
export function formatStreams(s: StreamsSection): string {
  const w = s.workload;
  return [
    `Video streams: ${w.sources} sources x ${w.seconds} s at ${w.fps} fps, ${w.width}x${w.height}, ${w.model}; ` +
      `source 0 realtime (live-paced, drop-oldest), the rest batch files; inference ${ms(s.inferenceMs)} ms/frame`,
    grid(HEADER, s.cells.map(row), 1),
    '- latency ms = result time - frame arrival from ffmpeg; rt = the realtime source; dropped = source + scheduler',
    '- naive = read, run, await, next (round robin, one frame at a time, same pipeline); simulated = fault-injection ' +
      'devices whose job sleeps the measured inference time (decode and scheduling are real)',
    `- goal (4 sources): ${s.goal.text}`,
  ].join('\n');
}
