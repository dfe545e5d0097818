import { packageTestConfig } from '../../vitest.shared.js';

// 2-core machines: one test file at a time keeps the RTSP timings and the RSS bound meaningful.
export default packageTestConfig({ fileParallelism: false });
