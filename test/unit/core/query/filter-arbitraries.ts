// fast-check generators of filter ASTs for the property tests (not a spec file).
import fc from 'fast-check';
import { syntheticToken, type ComparisonOperator, type FilterExpr } from '../../../../libs/core/src/query';

/** An AST with token positions removed, for structural comparison. */
export function stripSpans(expr: FilterExpr | null): unknown {
  return JSON.parse(
    JSON.stringify(expr, (key, value: unknown) => (key === 'source' || key === 'start' || key === 'end' ? undefined : value)),
  );
}

/**
 * Random filters over the given fields and values, in the shapes the parser produces (no `not`
 * directly inside a `not`, and/or with at least two children).
 */
export function filterArb(fields: readonly string[], values: readonly string[]): fc.Arbitrary<FilterExpr> {
  const field = fc.constantFrom(...fields).map(syntheticToken);
  const value = fc.constantFrom(...values).map(syntheticToken);
  const op = fc.constantFrom<ComparisonOperator>('=', '!=', '>', '>=', '<', '<=');
  const leaf: fc.Arbitrary<FilterExpr> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('compare' as const), field, op, value }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('in' as const), field, values: fc.array(value, { maxLength: 3 }) }) },
    fc.record({ type: fc.constant('between' as const), field, from: value, to: value }),
    fc.record({ type: fc.constant('exists' as const), field }),
    fc.record({ type: fc.constant('isNull' as const), field }),
    fc.record({ type: fc.constant('isEmpty' as const), field }),
    fc.record({ type: fc.constant('contains' as const), field, value }),
    fc.record({ type: fc.constant('startsWith' as const), field, value }),
  );
  const { expr } = fc.letrec<{ expr: FilterExpr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ type: fc.constant('and' as const), children: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ type: fc.constant('or' as const), children: fc.array(tie('expr'), { minLength: 2, maxLength: 3 }) }),
      tie('expr').map((child): FilterExpr => (child.type === 'not' ? child.child : { type: 'not', child })),
    ),
  }));
  return expr;
}
