import { describe, expect, it } from 'vitest';
import * as models from './index.js';

describe('@ocellus/models public API', () => {
  it('exports the pipelines, the engine, the model writer and the processing steps', () => {
    for (const name of [
      'createClassifier',
      'createDetector',
      'OrtSessionPool',
      'exportModel',
      'writeModelFile',
      'GraphBuilder',
      'readModelInfo',
      'classificationInput',
      'detectionInput',
      'softmaxTopK',
      'nms',
      'decodeYolo',
    ]) {
      expect(typeof (models as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(models.IMAGENET_LABELS).toHaveLength(1000);
    expect(models.COCO_LABELS).toHaveLength(80);
    expect(models.OFFICIAL_PARAMETER_COUNTS).toEqual({
      resnet50: 25_557_032,
      mobilenetv3: 5_483_032,
      yolov8s: 11_166_560,
    });
  });

  it('reports errors as OcellusErrors with stable codes', () => {
    expect(new models.ModelFileError('x').code).toBe('ERR_OCELLUS_MODEL_FILE');
    expect(new models.ModelSignatureError('x', 'a', 'b').code).toBe('ERR_OCELLUS_MODEL_SIGNATURE');
  });
});
