import { type VideoSource, type VideoWriter, openVideoWriter, resolveFfmpeg } from '@ocellus/video';
import { checkBackendNames } from '../device.js';
import type { Io } from '../io.js';
import { onInterrupt } from '../interrupt.js';
import {
  ARCHITECTURE_ONLY_WARNING,
  resolveWeights,
  warnIfArchitectureOnly,
  weightsJson,
  weightsLine,
} from '../model-options.js';
import { drawResult } from '../stream/draw.js';
import { type FrameOutcome, feedSource } from '../stream/feed.js';
import { type OpenedLanes, openLanes } from '../stream/lanes.js';
import { parseStreamOptions } from '../stream/options.js';
import { checkSources, openSources } from '../stream/sources.js';
import { startStatus } from '../stream/status.js';
import { SourceCounters, formatSummary, laneSummaries, sourceSummary } from '../stream/stats.js';

/** Exit codes of a run stopped by a signal (after its summary), as the other commands' interrupts. */
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
/** Queue of a live source's jobs waiting for a lane; beyond it the oldest frame is dropped. */
const LIVE_QUEUE = 2;

/**
 * `ocellus stream <source...> --model yolov8s|resnet50|mobilenetv3 (--weights f.onnx | --architecture-only
 *  [--seed N]) [--backend spec] [--lanes N] [--priority realtime|normal|batch] [--max-frames N]
 *  [--duration S] [--json] [-o out.mp4] [--width W] [--ffmpeg path]`
 *
 * Every source's frames go through one scheduler over the lanes (one pipeline each). Ends at the sources'
 * end, --max-frames, --duration or Ctrl-C/SIGTERM (then 130/143), always with the summary, nothing left
 * running: sources stopped, jobs in flight finished, writer closed (or its temp file removed), pipelines
 * disposed, scheduler closed.
 */
export async function streamCommand(args: readonly string[], io: Io): Promise<number> {
  const o = parseStreamOptions(args);
  for (const spec of new Set(o.lanes)) await checkBackendNames(spec);
  const ffmpegPath = resolveFfmpeg(o.ffmpeg);
  checkSources(o.sources);
  const weights = await resolveWeights(o.weights, o.model);

  const stop = new AbortController();
  let stoppedBy = 'end of the sources';
  let signalCode = 0;
  const sources: VideoSource[] = [];
  const stopAll = (why: string) => {
    if (stop.signal.aborted) return;
    stoppedBy = why;
    stop.abort();
    // a source still connecting is closed too (its opened() then rejects with DisposedError)
    for (const s of sources) void s.close();
  };
  const unregister = onInterrupt((signal) => {
    signalCode = SIGNAL_CODES[signal];
    stopAll(`interrupted (${signal})`);
  });
  let lanes: OpenedLanes | undefined;
  let writer: VideoWriter | undefined;
  let written = false;
  let timer: NodeJS.Timeout | undefined;
  let status: { stop(): void } | undefined;
  try {
    try {
      await openSources(o.sources, { ffmpegPath, width: o.width, maxPixels: o.maxPixels }, sources);
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    }
    if (!stop.signal.aborted) lanes = await openLanes(o.lanes, o.model, weights, o.weights, io);
    const info = weightsJson(o.weights, o.model, lanes?.pipelines[0]?.weights);
    warnIfArchitectureOnly(info, io);
    if (!o.json) io.stdout.write(`${weightsLine(info)}\n`);
    const banner = info.kind === 'architecture-only' ? ARCHITECTURE_ONLY_WARNING : undefined;
    if (o.output !== undefined && lanes !== undefined && !stop.signal.aborted) {
      const first = sources[0]!.info!;
      const fps = first.nominalFps ?? 25;
      writer = await openVideoWriter(o.output, { width: first.width, height: first.height, fps, ffmpegPath });
    }

    const counters = sources.map((s) => new SourceCounters(s.uri));
    if (o.durationS !== undefined) timer = setTimeout(() => stopAll(`--duration ${o.durationS} s`), o.durationS * 1000);
    const shown = counters.map((c, i) => ({ counters: c, dropped: () => sources[i]!.stats().dropped }));
    status = startStatus(io.stderr, shown);
    if (lanes !== undefined) {
      const scheduler = lanes.scheduler;
      const window = Math.max(2, 2 * o.lanes.length);
      await Promise.all(
        sources.map((source, i) => {
          const submitter = `${i}:${source.uri}`;
          if (source.live) scheduler.setPolicy(submitter, { maxQueue: LIVE_QUEUE, onFull: 'drop-oldest' });
          const emit = async (outcome: FrameOutcome) => {
            if ('dropped' in outcome) {
              counters[i]!.schedulerDropped++;
              return;
            }
            const { frame, result, doneMs } = outcome;
            const latencyMs = counters[i]!.record(frame.receivedAtMs, doneMs);
            if (o.json) {
              const { index, ptsMs } = frame;
              const line = { source: source.uri, frame: index, ptsMs, latencyMs: round(latencyMs), result };
              io.stdout.write(`${JSON.stringify(line)}\n`);
            }
            if (writer !== undefined && !stop.signal.aborted) await writer.write(drawResult(frame, result, banner));
          };
          const { priority, maxFrames } = o;
          return feedSource(source, { scheduler, submitter, priority, window, maxFrames, signal: stop.signal, emit });
        }),
      );
      if (o.maxFrames !== undefined && stoppedBy === 'end of the sources' && !stop.signal.aborted) {
        stoppedBy = `--max-frames ${o.maxFrames}`;
      }
    }
    status.stop();
    if (writer !== undefined && signalCode === 0) {
      await writer.close();
      written = true;
    }
    const summary = {
      sources: counters.map((c, i) => sourceSummary(c, sources[i]!.stats())),
      lanes: lanes ? laneSummaries(lanes.scheduler.stats()) : [],
      stoppedBy,
      weights: info,
      ...(written ? { output: o.output } : {}),
    };
    if (o.json) io.stdout.write(`${JSON.stringify({ summary })}\n`);
    else {
      io.stdout.write(formatSummary(summary.sources, summary.lanes, stoppedBy) + (written ? `\n${o.output}\n` : ''));
    }
    return signalCode;
  } finally {
    unregister();
    clearTimeout(timer);
    status?.stop();
    if (writer !== undefined && !written) await writer.abort();
    await Promise.allSettled(sources.map((s) => s.close()));
    await lanes?.close();
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
