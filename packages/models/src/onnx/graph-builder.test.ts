import { OcellusError } from '@ocellus/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, GraphBuildError } from './graph-builder.js';
import { ModelFileError, readModelInfo } from './model-info.js';

/**
 * A small graph that uses every attribute kind and every tensor type the builder writes:
 *   y = Reshape(Einsum('bij->bji', Reshape(LeakyRelu(Gemm(x, W, B), 0.5) + [1, 2, 3] + float(k), [-1, 3, 1])), [-1, 3])
 */
function tinyGraph(withMetadata = true): GraphBuilder {
  const g = new GraphBuilder('tiny');
  const x = g.addInput('x', ['batch', 4]);
  const w = g.addInitializer('fc.weight', new Float32Array([1, 0, 0, 0, 0, 1, -1, 0, 0.5, 0.5, 0.5, 0.5]), [3, 4]);
  const b = g.addInitializer('fc.bias', new Float32Array([0.5, 0, -10]), [3]);
  const k = g.addInitializer('k', new Int32Array([10, 20, 30]), [3], { trainable: false });
  const [h] = g.addNode('Gemm', [x, w, b], 1, { transB: { int: 1 } });
  const [l] = g.addNode('LeakyRelu', [h], 1, { alpha: { float: 0.5 } });
  const [c] = g.addNode('Constant', [], 1, { value_floats: { floats: [1, 2, 3] } });
  const [lc] = g.addNode('Add', [l, c], 1);
  const [kf] = g.addNode('Cast', [k], ['k_float'], { to: { int: 1 } }, 'cast_k');
  const [sum] = g.addNode('Add', [lc, kf], 1);
  const [shape3] = g.addNode('Constant', [], 1, { value_ints: { ints: [-1, 3, 1] } });
  const [r3] = g.addNode('Reshape', [sum, shape3], 1);
  const [t] = g.addNode('Einsum', [r3], 1, { equation: { string: 'bij->bji' } });
  const [shape2] = g.addNode('Constant', [], 1, {
    value: { tensor: { data: new BigInt64Array([-1n, 3n]), dims: [2] } },
  });
  g.addNode('Reshape', [t, shape2], ['y']);
  g.addOutput('y', ['batch', 3]);
  if (withMetadata) {
    g.setMetadata('ocellus.model', 'tiny');
    g.setMetadata('ocellus.note', 'replaced below');
    g.setMetadata('ocellus.note', 'a test graph');
  }
  return g;
}

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}

describe('GraphBuilder', () => {
  it('counts trainable initializers only', () => {
    expect(tinyGraph().parameterCount).toBe(12 + 3);
  });

  it('round-trips inputs, outputs, opset, producer and metadata through readModelInfo', () => {
    const info = readModelInfo(tinyGraph().toBytes(), 'tiny.onnx');
    expect(info.inputs).toEqual([{ name: 'x', dims: ['batch', 4], elemType: 'float32' }]);
    expect(info.outputs).toEqual([{ name: 'y', dims: ['batch', 3], elemType: 'float32' }]);
    expect(info.opset).toBe(17);
    expect(info.producer).toBe('ocellus');
    expect(info.irVersion).toBe(8);
    expect(info.metadata).toEqual({ 'ocellus.model': 'tiny', 'ocellus.note': 'a test graph' });

    const custom = readModelInfo(tinyGraph().toBytes({ opsetVersion: 13, producerName: 'someone' }));
    expect(custom.opset).toBe(13);
    expect(custom.producer).toBe('someone');
  });

  it('writes a graph onnxruntime runs with the expected numbers', async () => {
    const session = await InferenceSession.create(tinyGraph().toBytes(), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    try {
      const x = new Tensor('float32', new Float32Array([1, 2, 3, 4, -1, 0, 1, -2]), [2, 4]);
      const { y } = await session.run({ x });
      expect(y.dims).toEqual([2, 3]);
      // Gemm: [1.5, -1, -5], [-0.5, -1, -11]; LeakyRelu 0.5; + [1, 2, 3]; + [10, 20, 30]
      expect(Array.from(y.data as Float32Array)).toEqual([12.5, 21.5, 30.5, 10.75, 21.5, 27.5]);
    } finally {
      await session.release();
    }
  });

  it('is deterministic: the same graph gives the same bytes', () => {
    expect(Buffer.from(tinyGraph().toBytes()).equals(Buffer.from(tinyGraph().toBytes()))).toBe(true);
  });

  it('rejects mistakes while building, with GraphBuildError', () => {
    const g = new GraphBuilder('bad');
    g.addInput('x', [1, 2]);
    const cases: [() => unknown, RegExp][] = [
      [() => g.addNode('Relu', ['nope'], 1), /input 'nope' is not defined yet/],
      [() => g.addInput('x', [1]), /'x' is already defined/],
      [() => g.addInitializer('w', new Float32Array(3), [2, 2]), /hold 4 elements, data has 3/],
      [() => g.addNode('Relu', ['x'], 0), /output count must be >= 1/],
      [() => g.addNode('Relu', ['x'], 1, { alpha: { int: 0.5 } }), /int must be an integer/],
    ];
    for (const [f, message] of cases) {
      const e = catchError(f);
      expect(e).toBeInstanceOf(GraphBuildError);
      expect(e.message).toMatch(message);
    }
    g.addOutput('y', [1, 2]);
    expect(catchError(() => g.toBytes()).message).toMatch(/output 'y' is produced by no node/);
  });

  it('makes auto-generated output names unique', () => {
    const g = new GraphBuilder('names');
    g.addInput('x', [1]);
    const a = g.addNode('Relu', ['x'], 1, undefined, 'same');
    const b = g.addNode('Relu', ['x'], 1, undefined, 'same');
    const c = g.addNode('Split', ['x'], 2);
    expect(new Set([...a, ...b, ...c]).size).toBe(4);
  });
});

describe('readModelInfo on bad bytes', () => {
  function expectModelFileError(bytes: Uint8Array, message: RegExp): void {
    const e = catchError(() => readModelInfo(bytes, 'x.onnx'));
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e).toBeInstanceOf(OcellusError);
    expect((e as ModelFileError).code).toBe('ERR_OCELLUS_MODEL_FILE');
    expect(e.message).toMatch(message);
  }

  it('names an empty file', () => {
    expectModelFileError(new Uint8Array(0), /^'x.onnx' is empty \(0 bytes\)/);
  });

  it('names files that are not ONNX', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const text = new TextEncoder().encode('hello, this is not a model\n');
    const json = new TextEncoder().encode('{"graph": []}');
    const zeroIr = new Uint8Array([0x08, 0x00, 0x12, 0x01, 0x61]);
    for (const bytes of [png, text, json, zeroIr]) expectModelFileError(bytes, /^'x.onnx' is not an ONNX model \(/);
    expectModelFileError(png, /first bytes: 89 50 4e 47/);
  });

  it('names a truncated file at every cut point', () => {
    // Without metadata, opset_import is the last field, so every strict prefix is incomplete.
    const bytes = tinyGraph(false).toBytes();
    expect(readModelInfo(bytes).opset).toBe(17);
    for (let n = 1; n < bytes.length; n++) expectModelFileError(bytes.subarray(0, n), /^'x.onnx' is truncated/);
  });

  it('uses <buffer> when no name is given', () => {
    expect(catchError(() => readModelInfo(new Uint8Array(0))).message).toMatch(/^'<buffer>' is empty/);
  });
});
