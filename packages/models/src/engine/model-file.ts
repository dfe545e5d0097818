import { readBounded } from '@ocellus/core';

/** onnxruntime loads one protobuf of at most 2 GiB; larger models keep their weights in external files. */
export const MAX_MODEL_BYTES = 2 ** 31 - 1;

/** A model file's bytes, refused when it is a device or over protobuf's 2 GiB (fs errors as they are). */
export function readModelFile(path: string): Promise<Uint8Array> {
  return readBounded(path, {
    maxBytes: MAX_MODEL_BYTES,
    what: 'model file',
    raise: "ONNX files hold at most 2 GiB (protobuf's limit); export larger models with external data",
  });
}
