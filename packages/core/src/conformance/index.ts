/** The conformance suite every backend package runs against the CPU reference. */
export {
  CONFORMANCE_CASES,
  describeConformance,
  runCase,
  type CaseResult,
  type DescribeOptions,
  type TestApi,
} from './run.js';
export { compareArrays, type Comparison } from './compare.js';
export { testImage, type ConformanceCase, type HostTensor, type Tolerance } from './case.js';
