import { describe, expect, it } from 'vitest';
import { chooseProvider, providerForBackend } from './providers.js';

describe('execution providers', () => {
  it('runs the model on the provider that matches the device backend', () => {
    expect(providerForBackend('webgpu')).toBe('webgpu');
    expect(providerForBackend('cuda')).toBe('cuda');
    expect(providerForBackend('cpu')).toBe('cpu');
    expect(providerForBackend('vulkan')).toBe('cpu');
  });

  it('falls back to cpu with the reason when onnxruntime-node does not bundle the provider', () => {
    const choice = chooseProvider('cuda');
    expect(choice.name).toBe('cpu');
    expect(choice.fallbackReason).toMatch(
      /^cuda: onnxruntime-node \d+\.\d+\.\d+ ships no CUDA provider here \(not bundled\): using cpu$/,
    );
    expect(chooseProvider('cpu')).toMatchObject({ name: 'cpu' });
  });
});
