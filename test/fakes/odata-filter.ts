import { instantMs } from './fake-server.js';

/** How a filterable property is typed: an instant (unquoted, zoned literal) or an enum of its allowed values. */
export type ODataField = 'datetime' | readonly string[];

/**
 * The OData `$filter` subset the Microsoft alert APIs take, evaluated as the service would: `eq`, `ne`,
 * `gt`, `ge`, `lt`, `le` on the listed properties only, `and` (binding tighter) / `or`, parentheses.
 * Instants are unquoted and carry a zone; enum values are quoted and must be members (case-sensitive).
 * Anything else throws, with the service's kind of message, for a 400: a property the fake does not
 * know is refused rather than ignored, so a wrong query can never pass.
 */
export function odataFilter(filter: string, fields: Record<string, ODataField>): (row: Record<string, unknown>) => boolean {
  const tokens = filter.match(/\s*('(?:[^']|'')*'|\(|\)|[^\s()]+)/gy);
  if (!tokens || tokens.join('').trim() !== filter.trim()) throw new Error(`Invalid filter clause: could not parse '${filter}'.`);
  const list = tokens.map((t) => t.trim()).filter((t) => t !== '');
  let pos = 0;
  const take = () => {
    const token = list[pos++];
    if (token === undefined) throw new Error('Invalid filter clause: unexpected end of the expression.');
    return token;
  };
  type Test = (row: Record<string, unknown>) => boolean;
  const comparison = (): Test => {
    if (list[pos] === '(') {
      take();
      const inner = disjunction();
      if (take() !== ')') throw new Error("Invalid filter clause: ')' expected.");
      return inner;
    }
    const name = take();
    const type = fields[name];
    if (type === undefined) throw new Error(`Invalid filter clause: property '${name}' is not filterable.`);
    const op = take();
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) throw new Error(`Invalid filter clause: unknown operator '${op}'.`);
    const literal = take();
    if (type === 'datetime') {
      if (literal.startsWith("'") || !/(Z|[+-]\d{2}:\d{2})$/.test(literal) || Number.isNaN(Date.parse(literal))) {
        throw new Error("Invalid filter clause: incompatible types 'Edm.DateTimeOffset' and 'Edm.String'.");
      }
      const bound = Date.parse(literal);
      return (row) => compare(instantMs(row[name]), op, bound);
    }
    if (!/^'.*'$/.test(literal)) throw new Error(`Invalid filter clause: a quoted value is expected for '${name}'.`);
    const value = literal.slice(1, -1).replace(/''/g, "'");
    if (type.length > 0 && !type.includes(value)) throw new Error(`Invalid filter clause: '${value}' is not a member of the enum type of '${name}'.`);
    if (op !== 'eq' && op !== 'ne') throw new Error(`Invalid filter clause: '${op}' is not supported on '${name}'.`);
    return op === 'eq' ? (row) => row[name] === value : (row) => row[name] !== value;
  };
  const conjunction = (): Test => {
    const parts = [comparison()];
    while (list[pos] === 'and') {
      take();
      parts.push(comparison());
    }
    return (row) => parts.every((part) => part(row));
  };
  const disjunction = (): Test => {
    const parts = [conjunction()];
    while (list[pos] === 'or') {
      take();
      parts.push(conjunction());
    }
    return (row) => parts.some((part) => part(row));
  };
  const test = disjunction();
  if (pos !== list.length) throw new Error(`Invalid filter clause: unexpected '${list[pos]}'.`);
  return test;
}

function compare(value: number, op: string, bound: number): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case 'eq':
      return value === bound;
    case 'ne':
      return value !== bound;
    case 'gt':
      return value > bound;
    case 'ge':
      return value >= bound;
    case 'lt':
      return value < bound;
    default:
      return value <= bound;
  }
}
