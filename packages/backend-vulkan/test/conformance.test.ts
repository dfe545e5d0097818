// Core's shared conformance suite on the first Vulkan device (lavapipe in CI), with the Khronos
// validation layer on: every op of the op set against the CPU reference, then zero validation errors.
import { CONFORMANCE_CASES, describeConformance } from '@ocellus/core';
import { afterAll, describe, it } from 'vitest';
import { expectCleanValidation } from './helpers.js';

expectCleanValidation();
await describeConformance({ describe, it, afterAll }, { device: 'vulkan' });

// The same cases with no tolerance at all: every kernel reproduces the CPU reference's integer
// arithmetic (float16 bits included), so the bytes must be identical.
await describeConformance(
  { describe: (name, fn) => describe(`bit-exact: ${name}`, fn), it, afterAll },
  { device: 'vulkan', cases: CONFORMANCE_CASES.map((c) => ({ ...c, tolerance: { atol: 0 } })) },
);
