// Calls typed from the generated `paths` of schema.d.ts, keyed by path template and method: the
// answer's type, the body's and the path's parameters come from the spec, so a call paired with the
// wrong type fails svelte-check instead of drifting. A thin layer over the client's `request`.
import type { paths } from './schema';
import type { ApiClient, Query } from './client';

type Prefix = '/api/v1';
/** The spec's paths without the `/api/v1` prefix the client adds. */
type Paths = { [P in keyof paths as P extends `${Prefix}${infer R}` ? R : never]: paths[P] };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The paths that answer method `M`. */
export type PathsFor<M extends Method> = {
  [P in keyof Paths]: [NonNullable<Paths[P][M]>] extends [never] ? never : P;
}[keyof Paths];

type Op<P extends keyof Paths, M extends Method> = NonNullable<Paths[P][M]>;

/** The answer of path `P` to method `M`, for the calls `http` cannot make (uploads, CSV bodies). */
export type AnswerOf<P extends PathsFor<M>, M extends Method> = Answer<Op<P, M>>;

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : void;

/** The body of an operation's success answer: 200, 201, or nothing for 204. */
export type Answer<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer A }
      ? Json<A>
      : R extends { 204: unknown }
        ? void
        : unknown
  : never;

/** The JSON body an operation takes, or never. */
export type BodyOf<O> = O extends { requestBody?: infer RB }
  ? [NonNullable<RB>] extends [never]
    ? never
    : NonNullable<RB> extends { content: { 'application/json': infer B } }
      ? B
      : never
  : never;

/** `{id}` → `{ id: string | number }`, for every parameter in a path template. */
type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}`
  ? { [k in K]: string | number } & PathParams<Rest>
  : unknown;

type Init<P extends string, O> = ([keyof PathParams<P>] extends [never] ? { path?: never } : { path: PathParams<P> }) &
  ([BodyOf<O>] extends [never] ? { body?: never } : { body: BodyOf<O> }) & {
    query?: Query;
    signal?: AbortSignal;
    /** The write's id (`Idempotency-Key`): sent again, the server returns the first answer. */
    idempotencyKey?: string;
  };

/** The options argument: optional when nothing in it is required. */
type Args<P extends string, O> = object extends Init<P, O> ? [init?: Init<P, O>] : [init: Init<P, O>];

type Call<M extends Method> = <P extends PathsFor<M>>(path: P, ...init: Args<P, Op<P, M>>) => Promise<Answer<Op<P, M>>>;

export interface TypedClient {
  get: Call<'get'>;
  post: Call<'post'>;
  put: Call<'put'>;
  patch: Call<'patch'>;
  del: Call<'delete'>;
}

interface LooseInit {
  path?: Record<string, string | number>;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  idempotencyKey?: string;
}

/** Wraps a client's `request` in calls typed from the spec. */
export function typed(client: ApiClient): TypedClient {
  const call =
    (method: string) =>
    (path: string, init: LooseInit = {}): Promise<unknown> =>
      client.request(
        method,
        path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(String(init.path?.[k]))),
        { query: init.query, body: init.body, signal: init.signal, idempotencyKey: init.idempotencyKey },
      );
  return { get: call('GET'), post: call('POST'), put: call('PUT'), patch: call('PATCH'), del: call('DELETE') } as TypedClient;
}
