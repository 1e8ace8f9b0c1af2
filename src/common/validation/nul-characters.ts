import type { FieldProblem } from '../problem/problem.error.js';

const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';

/**
 * Every string in `value` (an object, array or string, walked without recursion) that holds a NUL,
 * named by its path (`name`, `scope.tenants.0`). PostgreSQL refuses NUL in text, and no field of ours
 * means one; a key holding NUL is named by its parent and reported too.
 */
export function nulProblems(value: unknown, root = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: Array<{ path: string; value: unknown }> = [{ path: root, value }];
  while (pending.length > 0) {
    const { path, value: item } = pending.pop() as { path: string; value: unknown };
    if (typeof item === 'string') {
      if (item.includes('\u0000')) problems.push({ field: path || 'value', message: NUL_MESSAGE });
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000')) problems.push({ field: path || 'body', message: `has a key that ${NUL_MESSAGE}` });
        else pending.push({ path: childPath, value: child });
      }
    }
  }
  return problems.reverse();
}
