// Core's shared conformance suite on the first Vulkan device (lavapipe in CI), with the Khronos
// validation layer on: every op of the op set against the CPU reference, then zero validation errors.
import { describeConformance } from '@ocellus/core';
import { afterAll, describe, it } from 'vitest';
import { expectCleanValidation } from './helpers.js';

expectCleanValidation();
await describeConformance({ describe, it, afterAll }, { device: 'vulkan' });
