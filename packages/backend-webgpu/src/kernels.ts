/**
 * Which op runs which WGSL kernel, with which parameters: core's GPU plans (shared with every GPU
 * backend), recorded on a WebGPU context. The WGSL Canny kernels mark "not an edge" with 0.
 */
import { type GpuPlan, type GpuRecorder, gpuPlans } from '@ocellus/core';

/** What a plan needs of a WebGPU context. */
export type Recorder = GpuRecorder<GPUBuffer>;

/** One plan per op of core's image op set. */
export const KERNELS: ReadonlyMap<string, GpuPlan> = gpuPlans({ cannyNotEdge: 0 });
