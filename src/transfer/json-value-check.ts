/**
 * How deep an imported JSON value (`extra_data`) may nest: JSON, NDJSON and YAML files, and
 * Django's Python literals, all stop here. Deeper values are refused per row: serialising them
 * (`JSON.stringify`, PostgreSQL's `jsonb` input) recurses once per level, and a few thousand
 * levels overflow the stack.
 */
export const MAX_JSON_DEPTH = 200;

/**
 * Why PostgreSQL's `jsonb` (or JSON itself) cannot hold `value` unchanged, or null when it can:
 * nesting deeper than {@link MAX_JSON_DEPTH}, the NUL character in a string or key (`jsonb`
 * refuses `\u0000`), or a number JSON has no spelling for (YAML's `.nan` and `.inf`, which
 * `JSON.stringify` would silently turn into `null`). Looks at each value once, and stops at the
 * first problem.
 *
 * @example
 * ```ts
 * jsonValueProblem({ a: [1, 'b'] });     // null
 * jsonValueProblem({ a: Number.NaN });   // 'holds NaN, which JSON cannot represent'
 * ```
 */
export function jsonValueProblem(value: unknown): string | null {
  return problemAt(value, 0);
}

function problemAt(value: unknown, depth: number): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? NUL : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `holds ${String(value)}, which JSON cannot represent`;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_JSON_DEPTH) return `is nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const problem = problemAt(item, depth + 1);
      if (problem !== null) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return NUL;
    const problem = problemAt(item, depth + 1);
    if (problem !== null) return problem;
  }
  return null;
}

const NUL = 'holds the NUL character (\\u0000), which PostgreSQL cannot store';
