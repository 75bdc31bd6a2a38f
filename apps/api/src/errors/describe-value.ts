// How Meilisearch (deserr) describes a JSON value in its validation messages ("… but found a
// positive integer: `3`"). Shared by every route that validates a body with Meilisearch's wording.

/** JSON for a message: bounded in length, and safe on values too deep to serialise. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    return '…';
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array: \`${shown(value)}\``;
  switch (typeof value) {
    case 'string':
      return `a string: \`${shown(value)}\``;
    case 'number':
      if (!Number.isInteger(value)) return `a number: \`${value}\``;
      return value >= 0 ? `a positive integer: \`${value}\`` : `a negative integer: \`${value}\``;
    case 'boolean':
      return `a boolean: \`${value}\``;
    case 'object':
      return `an object: \`${shown(value)}\``;
    default:
      return String(value);
  }
}
