import { describe, expect, it } from 'vitest';
import {
  CUDA_MIN_DRIVER,
  compareVersions,
  cudaCompatibility,
  cudaMinimumDriver,
  parseHipccVersion,
  parseLdconfigVulkan,
  parseNvccVersion,
  parseNvidiaSmiDriver,
  parseProcNvidiaVersion,
  parseVersion,
  parseVulkaninfoSummary,
} from './parse.js';

describe('versions', () => {
  it('parses and compares dotted versions numerically', () => {
    expect(parseVersion('v20.19.1')).toEqual([20, 19, 1]);
    expect(parseVersion('535.104.05')).toEqual([535, 104, 5]);
    expect(parseVersion('none')).toBeUndefined();
    expect(compareVersions('535.104.05', '535.54.03')).toBeGreaterThan(0); // 104 > 54, not '1' < '5'
    expect(compareVersions('580', '580.65.06')).toBeLessThan(0);
    expect(compareVersions('570.26', '570.26.0')).toBe(0);
    expect(compareVersions('12.10', '12.9')).toBeGreaterThan(0);
  });
});

describe('tool output parsers', () => {
  it('nvcc --version', () => {
    const text = [
      'nvcc: NVIDIA (R) Cuda compiler driver',
      'Copyright (c) 2005-2025 NVIDIA Corporation',
      'Built on Wed_Aug_20_01:58:59_PM_PDT_2025',
      'Cuda compilation tools, release 13.0, V13.0.88',
      'Build cuda_13.0.r13.0/compiler.36424714_0',
    ].join('\n');
    expect(parseNvccVersion(text)).toEqual({ release: '13.0', full: '13.0.88' });
    expect(parseNvccVersion('Cuda compilation tools, release 12.4, V12.4.131')).toEqual({
      release: '12.4',
      full: '12.4.131',
    });
    expect(parseNvccVersion('command not found')).toBeUndefined();
  });

  it('nvidia-smi and /proc/driver/nvidia/version', () => {
    expect(parseNvidiaSmiDriver('550.54.14\n550.54.14\n')).toBe('550.54.14');
    expect(
      parseNvidiaSmiDriver("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"),
    ).toBeUndefined();
    expect(
      parseProcNvidiaVersion(
        'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\nGCC ' +
          'version:  gcc version 12.2.0',
      ),
    ).toBe('535.104.05');
    expect(
      parseProcNvidiaVersion(
        'NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.65.06  Release Build  (dvs-builder@U16)',
      ),
    ).toBe('580.65.06');
    expect(parseProcNvidiaVersion('')).toBeUndefined();
  });

  it('hipcc --version', () => {
    const text = 'HIP version: 5.2.21153-0\nDebian clang version 15.0.6\nTarget: x86_64-pc-linux-gnu\n';
    expect(parseHipccVersion(text)).toBe('5.2.21153');
    expect(parseHipccVersion('nvcc fatal')).toBeUndefined();
  });

  it('ldconfig -p', () => {
    const text = [
      "1234 libs found in cache `/etc/ld.so.cache'",
      '\tlibvulkan_lvp.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan_lvp.so',
      '\tlibvulkan.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan.so.1',
      '\tlibvulkan.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan.so',
    ].join('\n');
    expect(parseLdconfigVulkan(text)).toBe('/lib/x86_64-linux-gnu/libvulkan.so.1');
    expect(
      parseLdconfigVulkan('\tlibvulkan_lvp.so (libc6,x86-64) => /lib/x86_64-linux-gnu/libvulkan_lvp.so\n'),
    ).toBeUndefined();
  });

  it('vulkaninfo --summary', () => {
    const text = [
      'Devices:',
      '========',
      'GPU0:',
      '\tapiVersion         = 1.3.230',
      '\tdeviceType         = PHYSICAL_DEVICE_TYPE_CPU',
      '\tdeviceName         = llvmpipe (LLVM 15.0.6, 256 bits)',
      'GPU1:',
      '\tdeviceType         = PHYSICAL_DEVICE_TYPE_DISCRETE_GPU',
      '\tdeviceName         = NVIDIA GeForce RTX 4090',
    ].join('\n');
    expect(parseVulkaninfoSummary(text)).toEqual([
      { name: 'llvmpipe (LLVM 15.0.6, 256 bits)', type: 'cpu' },
      { name: 'NVIDIA GeForce RTX 4090', type: 'discrete' },
    ]);
    expect(parseVulkaninfoSummary('ERROR: [Loader Message] Code 0 : vkCreateInstance: Found no drivers!')).toEqual([]);
  });
});

describe('CUDA toolkit / driver compatibility', () => {
  it('the table holds the release notes minimums, in increasing order', () => {
    expect(CUDA_MIN_DRIVER['12.4']).toBe('550.54.14');
    expect(CUDA_MIN_DRIVER['13.0']).toBe('580.65.06');
    const entries = Object.entries(CUDA_MIN_DRIVER).sort(([a], [b]) => compareVersions(a, b));
    for (let i = 1; i < entries.length; i++)
      expect(compareVersions(entries[i][1], entries[i - 1][1])).toBeGreaterThan(0);
  });

  it('a release missing from the table uses the closest lower one of its major', () => {
    expect(cudaMinimumDriver('12.7')).toEqual({ version: '560.28.03', from: '12.6' });
    expect(cudaMinimumDriver('13.1')).toEqual({ version: '580.65.06', from: '13.0' });
    expect(cudaMinimumDriver('10.2')).toBeUndefined();
  });

  it('no driver: the toolkit builds, nothing runs', () => {
    const r = cudaCompatibility('13.0', undefined);
    expect(r.status).toBe('warn');
    expect(r.detail).toMatch(/^CUDA code builds here but cannot run: no NVIDIA driver/);
    expect(r.detail).toContain('CUDA 13.0 needs driver >= 580.65.06');
    expect(r.detail).toContain('any 13.x runs on >= 580');
    expect(r.fix).toContain('>= 580.65.06');
  });

  it('a driver at or above the toolkit minimum is ok', () => {
    expect(cudaCompatibility('12.4', '550.54.14').status).toBe('ok');
    expect(cudaCompatibility('12.4', '555.42.02').status).toBe('ok');
    expect(cudaCompatibility('13.0', '580.65.06').status).toBe('ok');
  });

  it('12.4 on 535.104.05 runs through minor version compatibility only, and says both facts', () => {
    const r = cudaCompatibility('12.4', '535.104.05');
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('minor version compatibility');
    expect(r.detail).toContain('CUDA 12.4 needs driver >= 550.54.14');
    expect(r.detail).toContain('any 12.x runs on >= 525.60.13');
  });

  it('a driver below the major floor cannot run the code', () => {
    expect(cudaCompatibility('12.4', '520.61.05').status).toBe('missing');
    // 13.x needs a 580 driver even though 575 runs every 12.x.
    const r = cudaCompatibility('13.0', '575.51.03');
    expect(r.status).toBe('missing');
    expect(r.detail).toContain('too old');
    expect(cudaCompatibility('11.8', '470.57.02').status).toBe('warn'); // >= 450.80.02: 11.x minor compat
  });
});
