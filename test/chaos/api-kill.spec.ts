import { apiKillScenario } from './scenarios/api-kill';

jest.setTimeout(300_000);

describe('chaos: API kill -9 under write load', () => {
  it('clients see only 202 or connection errors; every acknowledged task succeeds and all its documents are present after the restart', () =>
    apiKillScenario({ writers: 4, docsPerWrite: 20, phaseMs: 4_000 }));
});
