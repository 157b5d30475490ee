/** Another language's messages for a Vietnamese dictionary part: exactly its keys, each a string. */
export type Translation<T> = { readonly [K in keyof T]: string };
