/**
 * JWT signing keys that rotate with an overlap (docs/rotation.md): PostgREST's jwt-secret is a JWK Set holding the
 * current key and the previous one, each with a key id, so tokens signed with the previous key stay valid until the
 * rotation after. How PostgREST picks the key (docs/rotation.md, "How PostgREST matches a key"): v12 tries every key
 * of the set whatever the token's kid; v13 and later try the keys whose kid equals the token's, or every key when the
 * token has none.
 */
import { activeIndex, secretGeneration } from "../model/rotation";

/** One HS256 signing key: its secret as signers use it, and the id tokens name it by (the JWS header's kid). */
export interface SigningKey {
    kid: string;
    secret: string;
}

/**
 * The key id of the pair's member `index` at its `generation`: "a0", "b1"... Unique over the pair's life, and
 * free of anything secret.
 */
export function signingKeyId(index: 0 | 1, generation: number): string {
    return `${index === 0 ? "a" : "b"}${generation}`;
}

/** The current and the previous key after `rotations` rotations, from the pair's two secrets. */
export function signingKeys(secrets: [string, string], rotations: number): { current: SigningKey; previous: SigningKey } {
    const key = (index: 0 | 1): SigningKey => ({ kid: signingKeyId(index, secretGeneration(index, rotations)), secret: secrets[index] });
    const active = activeIndex(rotations);
    return { current: key(active), previous: key(active === 0 ? 1 : 0) };
}

/**
 * An HMAC key as a JWK (RFC 7517 section 4, RFC 7518 section 6.4): `k` is the secret's bytes in base64url. No `alg`:
 * a signer that used the plain secret with HS384 or HS512 before rotation keeps working, as PostgREST's own plain
 * secret accepted those.
 */
export function symmetricJwk(key: SigningKey): { kty: "oct"; kid: string; use: "sig"; k: string } {
    return { kty: "oct", kid: key.kid, use: "sig", k: Buffer.from(key.secret, "utf8").toString("base64url") };
}

/** PostgREST's jwt-secret: the JWK Set of the current key, then the previous one. */
export function jwtKeySet(keys: { current: SigningKey; previous: SigningKey }): string {
    return JSON.stringify({ keys: [symmetricJwk(keys.current), symmetricJwk(keys.previous)] });
}
