/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// The Node 24/26 legs run the same tests against the newest client majors, which declare
// Node >= 22; they are installed beside the Node-20 ones under aliased names.
const newestClients = process.env.MCA_CLIENTS === 'newest';
const clientAliases: Record<string, string> = newestClients
  ? { '^got$': 'got-next', '^undici$': 'undici-next', '^nock$': 'nock-next' }
  : {};

const repositoryRoot = __dirname;

// The Redis Cluster and Sentinel scenarios (issue #18) start many servers each: scripts/test-all.mjs runs each as a
// leg of its own with MCA_REDIS_SCENARIOS=1, and the per-Node jest runs leave them out.
const redisScenarios = process.env.MCA_REDIS_SCENARIOS === '1';

const packages = ['core', 'dev-server', 'axios', 'got', 'undici', 'redis', 'opentelemetry'];

function project(name: string, rootDir = `packages/${name}`): Config {
  return {
    displayName: name,
    rootDir: `<rootDir>/${rootDir}`,
    roots: ['<rootDir>/test'],
    testEnvironment: 'node',
    // nock 15 keeps its interceptor on a global; a later test file in the same worker must not find the old one.
    testEnvironmentOptions: { globalsCleanup: 'on' },
    testMatch: [redisScenarios ? '<rootDir>/test/scenarios/*.scenario.ts' : '<rootDir>/test/**/*.test.ts'],
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
      ],
    },
    moduleNameMapper: {
      ...clientAliases,
      '^@mca-oauth/([a-z-]+)$': `${repositoryRoot}/packages/$1/src/index.ts`,
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
  };
}

const config: Config = {
  // `suite`: the reliability and security suite that crosses packages (interop, fuzzing, secrets, faults).
  projects: [...packages.map((name) => project(name)), project('suite', '.')],
  testTimeout: 30_000,
};

export default config;
