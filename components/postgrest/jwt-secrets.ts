/**
 * The JWT secrets of a stack: the configured one, a generated one, or with api.rotation a generated pair that
 * alternates (jwt-keys.ts holds the pure part). Top-level resources, named after the program's name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { StackConfig } from "../config";
import { generationKeepers, secretGeneration } from "../model/rotation";
import { jwtKeySet, signingKeys } from "./jwt-keys";

/**
 * What PostgREST verifies tokens with, and what signers sign with: the configured jwtSecret for both; or a generated
 * secret; or, with api.rotation, a pair of generated keys that alternate as the authenticators do: PostgREST gets
 * the JWK Set of the current and the previous key, signers the current one.
 */
export function jwtSecrets(
    name: string,
    config: Pick<StackConfig, "jwtSecret" | "deletionProtection">,
    rotations: pulumi.Output<number> | undefined,
): {
    postgrest: pulumi.Output<string>;
    signing: pulumi.Output<string>;
    keyId?: pulumi.Output<string>;
} {
    if (config.jwtSecret !== undefined) return { postgrest: config.jwtSecret, signing: config.jwtSecret };
    // 64 alphanumerics: well over PostgREST's 32-character minimum, and safe in any env or file.
    const generated = (resourceName: string, keepers?: pulumi.Input<Record<string, string> | undefined>, protect = false) =>
        new random.RandomPassword(resourceName, { length: 64, special: false, keepers }, { protect }).result;
    if (rotations === undefined) {
        // Protected with deletionProtection: a new one would invalidate every token the API's clients hold. Rotating keys
        // are replaced by design, so they are not.
        const secret = generated(`${name}-jwt-secret`, undefined, config.deletionProtection);
        return { postgrest: secret, signing: secret };
    }
    // Each key is replaced when it becomes current (its generation's keepers), and stays as the previous key until the rotation after.
    const secrets = ([0, 1] as const).map((index) =>
        generated(
            index === 0 ? `${name}-jwt-secret` : `${name}-jwt-secret-b`,
            rotations.apply((count) => generationKeepers(secretGeneration(index, count))),
        ),
    );
    const keys = pulumi.all([secrets[0], secrets[1], rotations]).apply(([a, b, count]) => signingKeys([a, b], count));
    return {
        postgrest: pulumi.secret(keys.apply(jwtKeySet)),
        signing: pulumi.secret(keys.apply((k) => k.current.secret)),
        keyId: keys.apply((k) => k.current.kid),
    };
}
