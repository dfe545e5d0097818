import { packageTestConfig } from '../../vitest.shared.js';

// The leak tests collect garbage before they read RSS.
export default packageTestConfig({ poolOptions: { forks: { execArgv: ['--expose-gc'] } } });
