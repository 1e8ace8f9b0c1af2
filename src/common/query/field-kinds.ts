/** How a record field compares: strings by code point, numbers numerically, instants chronologically. */
export type FieldKind = 'string' | 'number' | 'boolean' | 'instant' | 'day';

/** Every field of a record with its kind: what `sort` accepts and how it orders. */
export type RecordFields<T> = { readonly [K in keyof T & string]-?: FieldKind };

/** `["a", "-a", "b", "-b", ...]`: the values `sort` accepts. */
export function sortValues<T>(fields: RecordFields<T>): string[] {
  return Object.keys(fields).flatMap((f) => [f, `-${f}`]);
}
