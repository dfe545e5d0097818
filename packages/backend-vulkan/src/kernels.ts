/**
 * Which op runs which shader, with which parameters: core's GPU plans (shared with every GPU backend),
 * recorded on a Vulkan context (see native/shaders/*.comp for the kernels and their parameter layouts).
 * The GLSL Canny kernels mark "not an edge" with 1.
 */
import { type GpuPlan, type GpuRecorder, gpuPlans } from '@ocellus/core';

/** What a plan needs of a Vulkan context: buffers are the native context's buffer ids. */
export type Recorder = GpuRecorder<number>;

/** One plan per op of core's image op set. */
export const KERNELS: ReadonlyMap<string, GpuPlan> = gpuPlans({ cannyNotEdge: 1 });
