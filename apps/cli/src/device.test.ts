import { join } from 'node:path';
import {
  type BackendPlugin,
  PLUGIN_API_VERSION,
  liveTensorCounts,
  registerBackend,
  unregisterBackend,
} from '@ocellus/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES, cleanTempDirs, run, tempDir } from './test-io.js';

// Fake backends registered in this process (main() shares core's registry with the test).
const noDevices: BackendPlugin = {
  name: 'test-nodevices',
  apiVersion: PLUGIN_API_VERSION,
  probe: async () => ({ devices: [], reason: 'no test device here\nsecond line' }),
  open: async () => {
    throw new Error('never opened');
  },
};
const broken: BackendPlugin = {
  name: 'test-broken',
  apiVersion: PLUGIN_API_VERSION,
  probe: async () => ({ devices: [{ backend: 'test-broken', index: 0, name: 'Broken', type: 'virtual' }] }),
  open: async () => {
    throw new TypeError('driver exploded');
  },
};

beforeAll(() => {
  registerBackend(noDevices, { priority: 10_000 });
  registerBackend(broken, { priority: -10_000 });
});
afterAll(async () => {
  unregisterBackend(noDevices.name);
  unregisterBackend(broken.name);
  await cleanTempDirs();
});

describe('device selection', () => {
  it('says in one short line which device it used and which it passed over; --verbose gives the reasons', async () => {
    const dir = await tempDir();
    const r = await run(
      'gray',
      join(IMAGES, 'skimage_coffee.png'),
      '-o',
      join(dir, 'g.png'),
      '--backend',
      'test-nodevices,cpu',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'ocellus: using cpu:0 (passed over test-nodevices: --verbose or `ocellus devices` says why)\n',
    );
    const v = await run(
      'gray',
      join(IMAGES, 'skimage_coffee.png'),
      '-o',
      join(dir, 'g.png'),
      '--backend',
      'test-nodevices,cpu',
      '--verbose',
    );
    expect(v.code).toBe(0);
    expect(v.stderr).toBe('ocellus: skipped test-nodevices: no test device here second line; using cpu:0\n');
  });

  it('auto reports the skipped backends too', async () => {
    const dir = await tempDir();
    const r = await run('gray', join(IMAGES, 'skimage_coffee.png'), '-o', join(dir, 'g.png'), '--verbose');
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('ocellus: skipped test-nodevices: no test device here second line; using cpu:0');
    for (const line of lines) expect(line).toMatch(/^ocellus: skipped [a-z0-9-]+: .+; using cpu:0$/);
  });

  it('an unexpected (non-Ocellus) error exits 1 with a hint to report it', async () => {
    const dir = await tempDir();
    const r = await run(
      'gray',
      join(IMAGES, 'skimage_coffee.png'),
      '-o',
      join(dir, 'g.png'),
      '--backend',
      'test-broken',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ocellus: unexpected error: driver exploded\nocellus: this is a bug in ocellus; please report it/,
    );
    expect(liveTensorCounts()).toEqual({});
  });
});
