// Fidelity: the same requests against one real Meilisearch and one dev node, asserting equal
// answers. Every accepted difference is a `known` case pointing at "Known differences from
// Meilisearch 1.50" in docs/meili-sim.md; anything else that differs fails here.
import { appendFileSync } from 'node:fs';
import { diff, hitIds, type Answer } from './fidelity/compare';
import { LIFECYCLE } from './fidelity/lifecycle';
import { loadCorpus, realBinary, startPair, type Pair } from './fidelity/nodes';
import { DOCUMENT_CASES, ERROR_CASES, FACET_SIMILAR_CASES, MULTI_SEARCH_CASES, SETTINGS_CASES, type RawCase } from './fidelity/raw-cases';
import { SEARCH_CASES, type SearchCase } from './fidelity/search-cases';

const { bin, reason } = realBinary();
if (!bin) console.log(`fidelity suite skipped: ${reason}`);
const suite = bin ? describe : describe.skip;

// FIDELITY_DUMP=FILE appends every difference there unescaped (jest's diff output escapes quotes
// and newlines, which makes long error messages hard to read).
function report(name: string, real: Answer, dev: Answer, diffs: string[]): string {
  if (diffs.length === 0) return '';
  const text = `${name}\n  real ids ${JSON.stringify(hitIds(real))}\n  dev  ids ${JSON.stringify(hitIds(dev))}\n  ${diffs.join('\n  ')}`;
  const dump = process.env['FIDELITY_DUMP'];
  if (dump) appendFileSync(dump, `${text}\n\n`);
  return text;
}

suite('fidelity: real Meilisearch vs dev node', () => {
  let pair: Pair;

  beforeAll(async () => {
    pair = await startPair(bin!);
    await loadCorpus(pair);
  }, 300_000);
  afterAll(async () => {
    await pair?.dispose();
  }, 60_000);

  const compareRaw = async (c: RawCase | Step): Promise<void> => {
    const { real, dev } = await pair.both(c.req);
    expect(report(c.name, real, dev, diff(real, dev, { messages: c.messages, ignore: c.ignore }))).toBe('');
  };
  const active = <T extends { known?: string }>(cases: T[]): T[] => cases.filter((c) => c.known === undefined);

  describe('search', () => {
    it.each(active(SEARCH_CASES).map((c) => [c.name, c] as const))('%s', (_name, c: SearchCase) =>
      compareRaw({ ...c, req: { method: 'POST', path: `/indexes/${c.index ?? 'movies'}/search`, body: c.body } }),
    );
  });

  // A documented difference still has to agree on everything but ranking: status and totals.
  describe('search, known ranking differences (totals only)', () => {
    const known = SEARCH_CASES.filter((c) => c.known !== undefined);
    it.each(known.map((c) => [`${c.name} (docs/meili-sim.md: ${c.known})`, c] as const))('%s', async (_name, c: SearchCase) => {
      const { real, dev } = await pair.both({ method: 'POST', path: `/indexes/${c.index ?? 'movies'}/search`, body: c.body });
      const totals = (a: Answer): Answer => {
        const b = a.body as Record<string, unknown>;
        return { status: a.status, body: { estimatedTotalHits: b['estimatedTotalHits'], totalHits: b['totalHits'], hits: (b['hits'] as unknown[]).length } };
      };
      expect(report(c.name, real, dev, diff(totals(real), totals(dev)))).toBe('');
    });
  });

  describe.each([
    ['documents', DOCUMENT_CASES],
    ['settings and index reads', SETTINGS_CASES],
    ['multi-search', MULTI_SEARCH_CASES],
    ['errors', ERROR_CASES],
    ['facet search, similar, search parameters', FACET_SIMILAR_CASES],
  ] as const)('%s', (_group, cases) => {
    it.each(active([...cases]).map((c) => [c.name, c] as const))('%s', async (_name, c) => compareRaw(c));
  });

  describe('writes, indexes and tasks (in order)', () => {
    // The steps depend on each other, so they run as one test that reports every step's difference.
    it('answers every step and task the same way', async () => {
      const problems: string[] = [];
      for (const step of active(LIFECYCLE)) {
        const { real, dev } = await pair.both(step.req);
        const opts = { messages: step.messages, ignore: step.ignore };
        const d = report(step.name, real, dev, diff(real, dev, opts));
        if (d) problems.push(d);
        const uidOf = (a: Answer): number | undefined => (a.body as { taskUid?: number } | null)?.taskUid;
        const ru = uidOf(real);
        const du = uidOf(dev);
        if (ru === undefined || du === undefined) continue;
        const [rt, dt] = await Promise.all([pair.task(pair.real, ru), pair.task(pair.dev, du)]);
        const td = report(`${step.name} (task)`, { status: 200, body: rt }, { status: 200, body: dt }, diff({ status: 200, body: rt }, { status: 200, body: dt }, opts));
        if (td) problems.push(td);
      }
      expect(problems.join('\n')).toBe('');
    }, 300_000);
  });
});

type Step = (typeof LIFECYCLE)[number];
