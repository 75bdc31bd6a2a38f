// Prints a filter AST back to a filter string that parses to the same AST. Used to forward a
// (possibly rewritten) filter to nodes and by the round-trip property test. Every field and value
// is double-quoted so no keyword, space or symbol in it can change the parse.

import type { FilterExpr, Token } from './filter-ast';

/** Quotes a token value so that Meilisearch's quote handling and unescaping give it back. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function q(token: Token): string {
  return quoteFilterValue(token.value);
}

function group(expr: FilterExpr): string {
  return `(${printFilter(expr)})`;
}

export function printFilter(expr: FilterExpr): string {
  switch (expr.type) {
    case 'and':
      return expr.children.map(group).join(' AND ');
    case 'or':
      return expr.children.map(group).join(' OR ');
    case 'not':
      return `NOT ${group(expr.child)}`;
    case 'compare':
      return `${q(expr.field)} ${expr.op} ${q(expr.value)}`;
    case 'between':
      return `${q(expr.field)} ${q(expr.from)} TO ${q(expr.to)}`;
    case 'in':
      return `${q(expr.field)} IN [${expr.values.map(q).join(', ')}]`;
    case 'exists':
      return `${q(expr.field)} EXISTS`;
    case 'isNull':
      return `${q(expr.field)} IS NULL`;
    case 'isEmpty':
      return `${q(expr.field)} IS EMPTY`;
    case 'contains':
      return `${q(expr.field)} CONTAINS ${q(expr.value)}`;
    case 'startsWith':
      return `${q(expr.field)} STARTS WITH ${q(expr.value)}`;
    case 'geoRadius':
      return `_geoRadius(${expr.lat.value}, ${expr.lng.value}, ${expr.radius.value})`;
    case 'geoBoundingBox':
      return `_geoBoundingBox([${expr.topRight[0].value}, ${expr.topRight[1].value}], [${expr.bottomLeft[0].value}, ${expr.bottomLeft[1].value}])`;
  }
}
