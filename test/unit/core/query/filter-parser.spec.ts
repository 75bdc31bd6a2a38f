// Parser cases; the expected messages and positions are Meilisearch's own (filter-parser's
// snapshot tests), so a divergence here is a compatibility bug.
import { FilterParseError, parseFilter, type FilterExpr } from '../../../../libs/core/src/query';

/** Compact rendering of an AST in the spirit of filter-parser's Display, to keep cases readable. */
function show(expr: FilterExpr | null): string {
  if (expr === null) return 'null';
  switch (expr.type) {
    case 'and':
      return `AND[${expr.children.map(show).join(', ')}]`;
    case 'or':
      return `OR[${expr.children.map(show).join(', ')}]`;
    case 'not':
      return `NOT (${show(expr.child)})`;
    case 'compare':
      return `{${expr.field.value}} ${expr.op} {${expr.value.value}}`;
    case 'between':
      return `{${expr.field.value}} {${expr.from.value}} TO {${expr.to.value}}`;
    case 'in':
      return `{${expr.field.value}} IN[${expr.values.map((v) => `{${v.value}}`).join(', ')}]`;
    case 'exists':
      return `{${expr.field.value}} EXISTS`;
    case 'isNull':
      return `{${expr.field.value}} IS NULL`;
    case 'isEmpty':
      return `{${expr.field.value}} IS EMPTY`;
    case 'contains':
      return `{${expr.field.value}} CONTAINS {${expr.value.value}}`;
    case 'startsWith':
      return `{${expr.field.value}} STARTS WITH {${expr.value.value}}`;
    case 'geoRadius':
      return `_geoRadius({${expr.lat.value}}, {${expr.lng.value}}, {${expr.radius.value}})`;
    case 'geoBoundingBox':
      return `_geoBoundingBox([{${expr.topRight[0].value}}, {${expr.topRight[1].value}}], [{${expr.bottomLeft[0].value}}, {${expr.bottomLeft[1].value}}])`;
  }
}

const p = (s: string): string => show(parseFilter(s));

function errorOf(input: unknown): string {
  try {
    parseFilter(input);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterParseError);
    return (e as FilterParseError).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const OPS =
  '`=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`';

describe('parseFilter: accepted grammar', () => {
  it.each([
    ['channel = Ponce', '{channel} = {Ponce}'],
    ['subscribers = 12', '{subscribers} = {12}'],
    ["channel = 'Mister Mv'", '{channel} = {Mister Mv}'],
    ['channel = "Mister Mv"', '{channel} = {Mister Mv}'],
    ["'dog race' = Borzoi", '{dog race} = {Borzoi}'],
    ['"dog race" = \'Bernese Mountain\'', '{dog race} = {Bernese Mountain}'],
    ['a.b.c = x', '{a.b.c} = {x}'],
    ['channel=Ponce', '{channel} = {Ponce}'],
    ['channel != ponce', '{channel} != {ponce}'],
    ['subscribers < 1000', '{subscribers} < {1000}'],
    ['subscribers > 1000', '{subscribers} > {1000}'],
    ['subscribers <= 1000', '{subscribers} <= {1000}'],
    ['subscribers >= 1000', '{subscribers} >= {1000}'],
    ['subscribers 100 TO 1000', '{subscribers} {100} TO {1000}'],
    ['colour IN[]', '{colour} IN[]'],
    ['colour IN[green]', '{colour} IN[{green}]'],
    ['colour IN[green,]', '{colour} IN[{green}]'],
    ['colour NOT IN[green,blue]', 'NOT ({colour} IN[{green}, {blue}])'],
    [' colour IN [  green , blue , ]', '{colour} IN[{green}, {blue}]'],
    [' colour NOT  IN [green, blue] ', 'NOT ({colour} IN[{green}, {blue}])'],
    ['NOT channel = ponce', 'NOT ({channel} = {ponce})'],
    ['NOT subscribers 100 TO 1000', 'NOT ({subscribers} {100} TO {1000})'],
    ['subscribers IS NULL', '{subscribers} IS NULL'],
    ['subscribers IS NOT NULL', 'NOT ({subscribers} IS NULL)'],
    ['NOT subscribers IS NOT NULL', '{subscribers} IS NULL'],
    ['subscribers  IS   NOT   NULL', 'NOT ({subscribers} IS NULL)'],
    ['subscribers IS EMPTY', '{subscribers} IS EMPTY'],
    ['subscribers IS NOT EMPTY', 'NOT ({subscribers} IS EMPTY)'],
    ['subscribers EXISTS', '{subscribers} EXISTS'],
    ['subscribers NOT EXISTS', 'NOT ({subscribers} EXISTS)'],
    ['NOT subscribers NOT EXISTS', '{subscribers} EXISTS'],
    ["subscribers CONTAINS 'hello'", '{subscribers} CONTAINS {hello}'],
    ['subscribers NOT CONTAINS hello', 'NOT ({subscribers} CONTAINS {hello})'],
    ["subscribers STARTS WITH 'hel'", '{subscribers} STARTS WITH {hel}'],
    ['subscribers NOT   STARTS WITH hel', 'NOT ({subscribers} STARTS WITH {hel})'],
    ['NOT NOT NOT NOT x = 5', '{x} = {5}'],
    ['NOT NOT (NOT NOT x = 5)', '{x} = {5}'],
    ['_geoRadius(12, 13, 14)', '_geoRadius({12}, {13}, {14})'],
    ['NOT _geoRadius(12,13,14)', 'NOT (_geoRadius({12}, {13}, {14}))'],
    ['_geoBoundingBox([12,13],[14,15])', '_geoBoundingBox([{12}, {13}], [{14}, {15}])'],
    [
      "channel = ponce AND 'dog race' != 'bernese mountain' OR subscribers > 1000",
      'OR[AND[{channel} = {ponce}, {dog race} != {bernese mountain}], {subscribers} > {1000}]',
    ],
    [
      'channel = ponce AND ( \'dog race\' != \'bernese mountain\' OR subscribers > 1000 )',
      'AND[{channel} = {ponce}, OR[{dog race} != {bernese mountain}, {subscribers} > {1000}]]',
    ],
    [
      'x = 1 OR NOT (colour IN [green, blue]  OR color = green) ',
      'OR[{x} = {1}, NOT (OR[{colour} IN[{green}, {blue}], {color} = {green}])]',
    ],
    ['NOT "OR" EXISTS AND "EXISTS" NOT EXISTS', 'AND[NOT ({OR} EXISTS), NOT ({EXISTS} EXISTS)]'],
    ['a = 1 AND b = 2 AND c = 3', 'AND[{a} = {1}, {b} = {2}, {c} = {3}]'],
    ['NOT a = 1 AND b = 2', 'AND[NOT ({a} = {1}), {b} = {2}]'],
  ])('%s', (input, expected) => {
    expect(p(input)).toBe(expected);
  });

  it('decodes escapes in quoted values like Meilisearch', () => {
    const value = (s: string): string => {
      const e = parseFilter(s);
      if (e?.type !== 'compare') throw new Error('not a comparison');
      return e.value.value;
    };
    expect(value("title = 'foo\\\\'")).toBe('foo\\');
    expect(value("title = 'foo\\\\\\\\'")).toBe('foo\\\\');
    expect(value(`title = 'foo\\x20\\n\\t\\"\\'"'`)).toBe('foo \n\t"\'"');
    expect(value(`t = "I'm \\"super\\" tamo"`)).toBe('I\'m "super" tamo');
    expect(value("t = 'Hello \\\\\\'world\\\\\\''")).toBe("Hello \\'world\\'");
    expect(value('t = "\\u{1F600}"')).toBe('😀');
    expect(value('t = "\\101"')).toBe('A');
  });

  it('accepts 49 nested parentheses and 197 NOTs', () => {
    expect(p(`${'('.repeat(49)}x = 1${')'.repeat(49)}`)).toBe('{x} = {1}');
    expect(p(`${'NOT '.repeat(197)}x = 1`)).toBe('NOT ({x} = {1})');
    expect(() => parseFilter(`${'NOT '.repeat(198)}x = 1`)).toThrow(FilterParseError);
  });

  it('returns null for empty filters', () => {
    expect(parseFilter('')).toBeNull();
    expect(parseFilter('   \n')).toBeNull();
    expect(parseFilter([])).toBeNull();
    expect(parseFilter(['', ['  ']])).toBeNull();
    expect(parseFilter(null)).toBeNull();
    expect(parseFilter(undefined)).toBeNull();
  });

  it('array form: outer AND, inner OR, singletons unwrapped', () => {
    expect(show(parseFilter(['a = 1', ['b = 2', 'c = 3'], ['d = 4']]))).toBe(
      'AND[{a} = {1}, OR[{b} = {2}, {c} = {3}], {d} = {4}]',
    );
    expect(show(parseFilter([['a = 1']]))).toBe('{a} = {1}');
    expect(show(parseFilter(['a = 1 OR b = 2']))).toBe('OR[{a} = {1}, {b} = {2}]');
  });
});

describe('parseFilter: Meilisearch error messages', () => {
  it.each([
    ['channel = Ponce = 12', 'Found unexpected characters at the end of the filter: `= 12`. You probably forgot an `OR` or an `AND` rule.\n17:21 channel = Ponce = 12'],
    ['channel =    ', 'Was expecting a value but instead got nothing.\n14:14 channel =    '],
    ['channel = 🐻', 'Was expecting a value but instead got `🐻`.\n11:12 channel = 🐻'],
    ['channel = 🐻 AND followers < 100', 'Was expecting a value but instead got `🐻`.\n11:12 channel = 🐻 AND followers < 100'],
    ["'OR'", `Was expecting an operation ${OPS} at \`\\'OR\\'\`.\n1:5 'OR'`],
    ['OR', 'Was expecting a value but instead got `OR`, which is a reserved keyword. To use `OR` as a field name or a value, surround it by quotes.\n1:3 OR'],
    ['channel Ponce', `Was expecting an operation ${OPS} at \`channel Ponce\`.\n1:14 channel Ponce`],
    ['channel = Ponce OR', `Was expecting an operation ${OPS} but instead got nothing.\n19:19 channel = Ponce OR`],
    ['title', `Was expecting an operation ${OPS} at \`title\`.\n1:6 title`],
    ['_geoRadius', 'The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.\n1:11 _geoRadius'],
    ['_geoRadius = 12', 'The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.\n1:16 _geoRadius = 12'],
    ['_geoBoundingBox', 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.\n1:16 _geoBoundingBox'],
    ['_geoBoundingBox = 12', 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.\n1:21 _geoBoundingBox = 12'],
    ['_geoBoundingBox(1.0, 1.0)', 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.\n1:26 _geoBoundingBox(1.0, 1.0)'],
    ['_geoPoint(12, 13, 14)', "`_geoPoint` is a reserved keyword and thus can't be used as a filter expression. Use the `_geoRadius(latitude, longitude, distance)` or `_geoBoundingBox([latitude, longitude], [latitude, longitude])` built-in rules to filter on `_geo` coordinates.\n1:22 _geoPoint(12, 13, 14)"],
    ['position <= _geoPoint(12, 13, 14)', "`_geoPoint` is a reserved keyword and thus can't be used as a filter expression. Use the `_geoRadius(latitude, longitude, distance)` or `_geoBoundingBox([latitude, longitude], [latitude, longitude])` built-in rules to filter on `_geo` coordinates.\n13:34 position <= _geoPoint(12, 13, 14)"],
    ['_geoDistance(12, 13, 14)', "`_geoDistance` is a reserved keyword and thus can't be used as a filter expression. Use the `_geoRadius(latitude, longitude, distance)` or `_geoBoundingBox([latitude, longitude], [latitude, longitude])` built-in rules to filter on `_geo` coordinates.\n1:25 _geoDistance(12, 13, 14)"],
    ['position <= _geo(12, 13, 14)', "`_geo` is a reserved keyword and thus can't be used as a filter expression. Use the `_geoRadius(latitude, longitude, distance)` or `_geoBoundingBox([latitude, longitude], [latitude, longitude])` built-in rules to filter on `_geo` coordinates.\n13:29 position <= _geo(12, 13, 14)"],
    ['position <= _geoRadius(12, 13, 14)', "The `_geoRadius` filter is an operation and can't be used as a value.\n13:35 position <= _geoRadius(12, 13, 14)"],
    ["channel = 'ponce", "Expression `\\'ponce` is missing the following closing delimiter: `'`.\n11:17 channel = 'ponce"],
    ['channel = "ponce', 'Expression `\\"ponce` is missing the following closing delimiter: `"`.\n11:17 channel = "ponce'],
    ['channel = mv OR (followers >= 1000', 'Expression `(followers >= 1000` is missing the following closing delimiter: `)`.\n17:35 channel = mv OR (followers >= 1000'],
    ['channel = mv OR followers >= 1000)', 'Found unexpected characters at the end of the filter: `)`. You probably forgot an `OR` or an `AND` rule.\n34:35 channel = mv OR followers >= 1000)'],
    ['colour NOT EXIST', `Was expecting an operation ${OPS} at \`colour NOT EXIST\`.\n1:17 colour NOT EXIST`],
    ['subscribers 100 TO1000', `Was expecting an operation ${OPS} at \`subscribers 100 TO1000\`.\n1:23 subscribers 100 TO1000`],
    ["channel = ponce ORdog != 'bernese mountain'", "Found unexpected characters at the end of the filter: `ORdog != \\'bernese mountain\\'`. You probably forgot an `OR` or an `AND` rule.\n17:44 channel = ponce ORdog != 'bernese mountain'"],
    ['colour IN blue, green]', 'Expected `[` after `IN` keyword.\n11:23 colour IN blue, green]'],
    ["colour IN [blue, green, 'blue' > 2]", 'Expected only comma-separated field names inside `IN[..]` but instead found `> 2]`.\n32:36 colour IN [blue, green, \'blue\' > 2]'],
    ['colour IN [blue, green, AND]', 'Expected only comma-separated field names inside `IN[..]` but instead found `AND]`.\n25:29 colour IN [blue, green, AND]'],
    ['colour IN [blue, green', 'Expected matching `]` after the list of field names given to `IN[`\n23:23 colour IN [blue, green'],
    ["colour IN ['blue, green", "Expression `\\'blue, green` is missing the following closing delimiter: `'`.\n12:24 colour IN ['blue, green"],
    ['x = EXISTS', 'Was expecting a value but instead got `EXISTS`, which is a reserved keyword. To use `EXISTS` as a field name or a value, surround it by quotes.\n5:11 x = EXISTS'],
    ['AND = 8', 'Was expecting a value but instead got `AND`, which is a reserved keyword. To use `AND` as a field name or a value, surround it by quotes.\n1:4 AND = 8'],
    ['NOT OR EXISTS AND EXISTS NOT EXISTS', 'Was expecting a value but instead got `OR`, which is a reserved keyword. To use `OR` as a field name or a value, surround it by quotes.\n5:7 NOT OR EXISTS AND EXISTS NOT EXISTS'],
    ['value NULL', `Was expecting an operation ${OPS} at \`value NULL\`.\n1:11 value NULL`],
    ['value IS NOT', `Was expecting an operation ${OPS} at \`value IS NOT\`.\n1:13 value IS NOT`],
    ['value IS NOT EXISTS', `Was expecting an operation ${OPS} at \`value IS NOT EXISTS\`.\n1:20 value IS NOT EXISTS`],
    ['a = 1 and b = 2', 'Found unexpected characters at the end of the filter: `and b = 2`. You probably forgot an `OR` or an `AND` rule.\n7:16 a = 1 and b = 2'],
  ])('%s', (input, expected) => {
    expect(errorOf(input)).toBe(expected);
  });

  it('rejects 50 nested parentheses with the depth message', () => {
    const input = `${'('.repeat(50)}x = 1${')'.repeat(50)}`;
    expect(errorOf(input)).toBe(
      `The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.\n51:106 ${input}`,
    );
  });

  it('rejects 199 NOTs with the depth message', () => {
    const input = `${'NOT '.repeat(199)}x = 1`;
    expect(errorOf(input)).toBe(
      `The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.\n797:802 ${input}`,
    );
  });

  it('rejects wrongly typed filter parameters', () => {
    expect(errorOf(true)).toBe('Invalid syntax for the filter parameter: `expected String, Array, found: true`.');
    expect(errorOf(3)).toBe('Invalid syntax for the filter parameter: `expected String, Array, found: 3`.');
    expect(errorOf(['a = 1', 2])).toBe('Invalid syntax for the filter parameter: `expected String, [String], found: 2`.');
    expect(errorOf([['a = 1', { a: 1 }]])).toBe('Invalid syntax for the filter parameter: `expected String, found: {"a":1}`.');
    expect(errorOf([[['a = 1']]])).toBe('Invalid syntax for the filter parameter: `expected String, found: ["a = 1"]`.');
  });

  it('reports a syntax error inside one string of the array form against that string', () => {
    expect(errorOf(['a = 1', 'title'])).toBe(`Was expecting an operation ${OPS} at \`title\`.\n1:6 title`);
  });
});
