// One jest run, four projects. Tests are TypeScript transformed by swc (fast, with decorator
// metadata for Nest); processes under test (dev nodes, api, worker) run from the tsc build in dist/.
const fs = require('node:fs');
const path = require('node:path');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const aliases = {};
for (const lib of ['core', 'meili', 'store', 'config', 'temporal', 'embedded']) {
  aliases[`^@miroir/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  aliases[`^@miroir/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // The official `meilisearch` client ships only ES modules: let swc turn it into CommonJS too.
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  transformIgnorePatterns: ['/node_modules/(?!meilisearch/)'],
  moduleNameMapper: aliases,
  moduleFileExtensions: ['ts', 'js', 'json'],
};
const withStack = {
  ...base,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.spec.ts'] },
    // The dev node's conformance suite: spawns test/meili-sim processes, needs no Postgres/Temporal.
    { ...base, displayName: 'sim', testMatch: ['<rootDir>/test/sim/**/*.spec.ts'] },
    { ...withStack, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...withStack, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    { ...withStack, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.spec.ts'] },
  ],
};
