/**
 * The type-level twin of `accessor-names.ts`: accessors computed from
 * surface names with template literal types, so `rpc.orders.create` is typed
 * from `"Orders.Create"` and a typo is a compile error.
 */
type Separator = "." | "_" | "-" | " " | "/" | ":";

type PascalFrom<S extends string, TCapitalize extends boolean = true> = S extends `${infer C}${infer R}`
  ? C extends Separator
    ? PascalFrom<R, true>
    : `${TCapitalize extends true ? Uppercase<C> : C}${PascalFrom<R, false>}`
  : "";

export type PascalCase<S extends string> = PascalFrom<S>;
export type LowerCamel<S extends string> = Uncapitalize<PascalCase<S>>;

export type AccessorGroup<TName extends string> = TName extends `${infer TGroup}.${string}`
  ? LowerCamel<TGroup>
  : LowerCamel<TName>;
export type AccessorLeaf<TName extends string> = TName extends `${string}.${infer TRest}`
  ? LowerCamel<TRest>
  : LowerCamel<TName>;

export type GroupsOf<TSection> = { [N in keyof TSection & string]: AccessorGroup<N> }[keyof TSection & string];

/** Names of a section whose accessor group is `G`. */
export type NamesInGroup<TSection, G extends string> = {
  [N in keyof TSection & string]: AccessorGroup<N> extends G ? N : never;
}[keyof TSection & string];
