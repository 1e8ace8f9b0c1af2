/** What code below auth may know of who asked: the key's id and whether it is an admin's (auth's `Principal` is one). */
export interface RequestIdentity {
  readonly keyId: string;
  readonly isAdmin: boolean;
}

/** Where the auth guard leaves the caller (a `Principal`) on the request. */
export const PRINCIPAL = Symbol('principal');

export type WithIdentity = { [PRINCIPAL]?: RequestIdentity };
