import { describe, expect, it } from 'vitest';
import * as models from './index.js';

describe('@ocellus/models (placeholder)', () => {
  it('says it is not available, and why', () => {
    expect(models.available).toBe(false);
    expect(models.reason).toMatch(/ResNet-50, MobileNetV3 and YOLOv8s pipelines arrive with the models issue/);
  });

  it('exports nothing else that could pass for a model', () => {
    expect(Object.keys(models).sort()).toEqual(['available', 'reason']);
  });
});
