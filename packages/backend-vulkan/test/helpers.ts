import { registerBackend, testImage } from '@ocellus/core';
import { afterAll, expect } from 'vitest';
import { backend, probeVulkan, validation } from '../src/index.js';

registerBackend(backend, { priority: 200 });
export const probe = probeVulkan();
export const hasDevice = probe.devices.length > 0;
if (!hasDevice) console.warn(`[backend-vulkan] no Vulkan device, device tests skipped: ${probe.reason}`);

/** Asserts, once the file's tests are done, that the validation layer was on and reported no error. */
export function expectCleanValidation(): void {
  afterAll(() => {
    if (!hasDevice) return;
    const v = validation();
    expect(v.enabled, 'VK_LAYER_KHRONOS_validation must be enabled (apt-get install vulkan-validationlayers)').toBe(
      true,
    );
    expect(v.messenger).toBe(true);
    expect(v.errors, v.messages.join('\n')).toBe(0);
  });
}

export { testImage };
