/** The demo page: load an image, run gray / edges / letterbox on WebGPU and on the CPU, show results and timings. */
import type { Device } from '@ocellus/core';
import { decodeImageFile } from './decode-image.js';
import { type DeviceKind, createDemoState } from './demo-state.js';
import { openCpu, openWebGpu } from './devices.js';
import { OPS, type OpDef, type OpResult, benchmarkOp } from './pipeline.js';
import { drawPixels, renderTimings } from './render.js';

const DEFAULT_SAMPLE = 'samples/grace_hopper.jpg';

const state = createDemoState();
window.__ocellus = state;

const $ = <T extends HTMLElement>(selector: string): T => {
  const el = document.querySelector<T>(selector);
  if (!el) throw new Error(`the page has no ${selector}`);
  return el;
};
const status = $<HTMLParagraphElement>('#status');
const errorBox = $<HTMLParagraphElement>('#error');
const fileInput = $<HTMLInputElement>('#file');
const buttons = [...document.querySelectorAll<HTMLButtonElement>('.steps button')];
const devices: Partial<Record<DeviceKind, Device>> = {};

function setBusy(busy: boolean, message: string): void {
  state.busy = busy;
  for (const b of buttons) b.disabled = busy || !state.ready;
  status.textContent = message;
}

function showError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  state.error = message;
  errorBox.textContent = message;
  errorBox.hidden = false;
}

async function loadImage(file: Blob, name: string): Promise<void> {
  state.ready = false;
  setBusy(true, `Decoding ${name}…`);
  errorBox.hidden = true;
  state.error = null;
  try {
    const pixels = await decodeImageFile(file);
    state.input = pixels;
    state.image = { name, width: pixels.width, height: pixels.height };
    state.results = {};
    renderTimings($('#timings tbody'), []);
    for (const op of OPS) $<HTMLCanvasElement>(`#canvas-${op.name}`).width = 0;
    drawPixels($('#canvas-input'), pixels);
    $('#image-name').textContent = `${name} (${pixels.width}×${pixels.height})`;
    state.ready = true;
    setBusy(false, 'Ready: pick a step.');
  } catch (err) {
    showError(new Error(`cannot read ${name}: ${err instanceof Error ? err.message : String(err)}`));
    setBusy(false, 'Pick another image.');
  }
}

/** Runs and times one op on every open device, and shows the result of the page's backend. */
async function runOp(op: OpDef): Promise<void> {
  const input = state.input;
  if (!input) return;
  setBusy(true, `Running ${op.label}…`);
  try {
    const results: Partial<Record<DeviceKind, OpResult>> = {};
    for (const kind of ['webgpu', 'cpu'] as const) {
      const device = devices[kind];
      if (!device) continue;
      results[kind] = await benchmarkOp(device, op, input);
    }
    if (state.input !== input) return; // a new image arrived meanwhile: these results are stale
    state.results[op.name] = results;
    const shown = results[state.backend]!;
    drawPixels($(`#canvas-${op.name}`), shown.pixels);
    $(`#caption-${op.name}`).textContent =
      `${op.label}: ${shown.pixels.width}×${shown.pixels.height} on ${shown.device}`;
    renderTimings(
      $('#timings tbody'),
      OPS.flatMap((o) => ['webgpu', 'cpu'].flatMap((k) => state.results[o.name]?.[k as DeviceKind] ?? [])),
    );
    setBusy(false, `${op.label} done.`);
  } catch (err) {
    showError(err);
    setBusy(false, `${op.label} failed.`);
  }
}

async function start(): Promise<void> {
  setBusy(true, 'Opening WebGPU…');
  const webgpu = await openWebGpu();
  if ('device' in webgpu) {
    devices.webgpu = webgpu.device;
    state.backend = 'webgpu';
    state.adapter = webgpu.adapter;
    state.webgpuDevice = webgpu.device.id;
    const a = webgpu.adapter;
    $('#adapter').textContent =
      'WebGPU adapter: ' +
      `${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' / ') || '(no details)'}` +
      ` — Ocellus device ${webgpu.device.id} (${webgpu.device.info.name})`;
  } else {
    state.webgpuMissing = webgpu.reason;
    const missing = $('#gpu-missing');
    missing.textContent = `${webgpu.reason} Results below come from the CPU backend.`;
    missing.hidden = false;
  }
  devices.cpu = await openCpu();

  for (const b of buttons) {
    const op = OPS.find((o) => o.name === b.dataset.op);
    b.addEventListener('click', () => (op ? runOp(op) : runAll()));
  }
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void loadImage(file, file.name);
  });

  const sample = await fetch(DEFAULT_SAMPLE);
  if (sample.ok) await loadImage(await sample.blob(), DEFAULT_SAMPLE.split('/').pop()!);
  else setBusy(false, 'Pick an image.');
}

async function runAll(): Promise<void> {
  for (const op of OPS) await runOp(op);
}

start().catch((err: unknown) => {
  showError(err);
  setBusy(false, 'The demo could not start.');
});
