// Meilisearch 1.50 ends a search's filter error with the filter as it re-prints it after parsing,
// positioned in that text (`2:7 "title" = "x"`). A node behind Miroir was sent the client's filter
// ANDed with a shard restriction, so its echo shows the combined filter and positions within it.
// This turns such a message back into the one a single node would give for the client's filter
// alone; see docs/api-compatibility.md (errors).

import { codePointCount } from './filter-error';
import { parseFilter } from './filter-input';
import { printFilter } from './filter-print';

const ECHO = /\n(\d+):(\d+) ([^\n]*)$/;

/**
 * The node's filter error message with its echo rewritten to the client's own filter; the message
 * unchanged when it carries no echo, the client's filter does not parse, or the echo does not
 * contain the client's filter as printed (nothing to map then, and a wrong position would be worse
 * than the node's).
 */
export function echoClientFilter(message: string, clientFilter: unknown): string {
  const m = ECHO.exec(message);
  if (!m) return message;
  let printed: string;
  try {
    const expr = parseFilter(clientFilter);
    if (expr === null) return message;
    printed = printFilter(expr);
  } catch {
    return message;
  }
  const echoed = m[3]!;
  if (echoed === printed) return message;
  const at = echoed.indexOf(printed);
  if (at < 0) return message;
  const shift = codePointCount(echoed.slice(0, at));
  const [start, end] = [Number(m[1]) - shift, Number(m[2]) - shift];
  if (start < 1 || end > codePointCount(printed) + 1) return message;
  return `${message.slice(0, m.index)}\n${start}:${end} ${printed}`;
}
