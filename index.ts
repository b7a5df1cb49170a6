/**
 * The program: validate the config, apply the database side, then deploy PostgREST with the target of the cloud the
 * stack config names. Only that cloud's module (and provider SDK) is loaded.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Cloud, loadConfig } from "./components/config";
import { PostgrestAccess } from "./components/database";
import { imageToRun } from "./components/postgrest/image";
import { CloudTarget } from "./components/postgrest/target";
import { jwtKeySet, signingKeys } from "./components/postgrest/jwt-keys";
import { generationKeepers, secretGeneration } from "./components/model/rotation";

/** Each cloud's target, required only when chosen: an AWS stack never loads @pulumi/gcp, and the reverse. */
const TARGETS: Record<Cloud, () => CloudTarget> = {
    aws: () => require("./components/aws").target,
    gcp: () => require("./components/gcp").target,
};

const config = loadConfig();
const target = TARGETS[config.cloud]();
const name = "postgrest";

const access = new PostgrestAccess(name, {
    adminUrl: config.databaseAdminUrl,
    adminSecret:
        config.database.adminSecret === undefined
            ? undefined
            : {
                  secret: config.database.adminSecret,
                  host: config.database.host,
                  port: config.database.port,
                  database: config.database.name,
              },
    adminTls: { sslMode: config.database.sslMode, sslRootCert: config.database.sslRootCert },
    adminTransport: config.database.adminAccess === "in-network" ? target.inNetworkAdmin(`${name}-admin`, config) : undefined,
    api: config.api,
    migrations: config.database.migrations?.files,
    protect: config.deletionProtection,
    retainOnDelete: config.database.retainOnDelete,
});

const jwt = jwtSecrets(access.rotations);

const deployed = target.deploy(name, {
    config,
    jwtSecret: jwt.postgrest,
    authenticatorRole: access.authenticatorRole,
    authenticatorPassword: access.authenticatorPassword,
    image: imageToRun(config.service),
    dependsOn: [access],
});

/**
 * What PostgREST verifies tokens with, and what signers sign with: the configured jwtSecret for both; or a generated
 * secret; or, with api.rotation, a pair of generated keys that alternate as the authenticators do: PostgREST gets
 * the JWK Set of the current and the previous key, signers the current one.
 */
function jwtSecrets(rotations: pulumi.Output<number> | undefined): {
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

export const cloud = config.cloud;
export const url = deployed.url;
export const serviceName = deployed.serviceName;
export const secretIds = deployed.secretIds;
export const details = deployed.details;
/** For the backend that signs tokens: `pulumi stack output --show-secrets jwtSecret`; with api.rotation, the current key. */
export const jwtSecret = pulumi.secret(jwt.signing);
/** With api.rotation: the current key's id, for the `kid` header of the tokens signed with jwtSecret. */
export const jwtKeyId = jwt.keyId;
