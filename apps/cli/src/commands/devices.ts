import { type BackendStatus, backendStatuses, deviceId } from '@ocellus/core';
import { parseCommand } from '../args.js';
import type { Io } from '../io.js';

/** The documented `devices --json` shape: stable for scripts, unlike the human listing. */
export interface DeviceJson {
  id: string;
  name: string;
  type: string;
  memoryBytes?: number;
}

export interface BackendJson {
  backend: string;
  available: boolean;
  reason?: string;
  devices: DeviceJson[];
}

/** `ocellus devices [--json]` */
export async function devicesCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommand(
    'devices',
    args,
    { json: { type: 'boolean', default: false } },
    { names: [], required: 0 },
  );
  const statuses = await backendStatuses();
  io.stdout.write(values.json ? `${JSON.stringify(toJson(statuses), null, 2)}\n` : formatDevices(statuses));
  return 0;
}

export function toJson(statuses: readonly BackendStatus[]): BackendJson[] {
  return statuses.map((s) => ({
    backend: s.backend,
    available: s.available,
    ...(s.reason === undefined ? {} : { reason: s.reason }),
    devices: s.devices.map((d) => ({
      id: deviceId(d),
      name: d.name,
      type: d.type,
      ...(d.memoryBytes === undefined ? {} : { memoryBytes: d.memoryBytes }),
    })),
  }));
}

/**
 * One line per backend (with the reason when it is unavailable), then one indented line per device;
 * every column is as wide as its longest entry plus two spaces, so long ids never run into the type:
 *   vulkan      available
 *     vulkan:0  cpu  2.0 GiB   llvmpipe (LLVM 15.0.6, 256 bits)
 *   cuda        unavailable: no NVIDIA driver
 *   cpu         available
 *     cpu:0     cpu  15.6 GiB  AMD EPYC 7B13
 */
export function formatDevices(statuses: readonly BackendStatus[]): string {
  const GAP = 2;
  const INDENT = '  ';
  const table = statuses.map((s) => ({
    status: s,
    rows: s.devices.map((d) => [
      deviceId(d),
      d.type,
      d.memoryBytes === undefined ? '-' : formatBytes(d.memoryBytes),
      d.name,
    ]),
  }));
  const rows = table.flatMap((t) => t.rows);
  const longest = (values: readonly string[]) => Math.max(0, ...values.map((v) => v.length));
  // The backend's state and its devices' type start in the same column, after the longest name or
  // (indented) id; at least 10 wide, as before, so short listings keep their look.
  const first = Math.max(
    10,
    longest(statuses.map((s) => s.backend)) + GAP,
    INDENT.length + longest(rows.map((r) => r[0])) + GAP,
  );
  const widths = [first - INDENT.length, longest(rows.map((r) => r[1])) + GAP, longest(rows.map((r) => r[2])) + GAP];
  const lines: string[] = [];
  for (const { status: s, rows: devices } of table) {
    const reason = s.reason ? `: ${s.reason.replace(/\s*\n\s*/g, ' ')}` : '';
    lines.push(`${s.backend.padEnd(first)}${s.available ? 'available' : 'unavailable'}${reason}`);
    for (const [id, type, memory, name] of devices) {
      lines.push(`${INDENT}${id.padEnd(widths[0])}${type.padEnd(widths[1])}${memory.padEnd(widths[2])}${name}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
