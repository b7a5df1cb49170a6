/**
 * The redacted copy pull request previews of a production stack run against: no secret survives anywhere, and a
 * preview that recomputes values from the redacted config and the copy's state sees no change where there was none.
 */
import * as assert from "assert";
import { diffAccess } from "../../components/database/diff";
import { redactStack, SECRET_SIG, SECRET_SIG_KEY } from "../../scripts/redact-state";
import { largeApiInputs } from "../../testing/preview-log";

const secret = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) });
const ADMIN_URL = "postgresql://root:S3cr%2Ft-admin@prod-db.internal:5432/startup";
const SHORT_ADMIN_URL = "postgresql://root:pw7@prod-db.internal:5432/startup";
const AUTH_PASSWORD = "Qm9vZ2llV29vZ2llMTIzNDU2Nzg5MGFi";
const JWT_SECRET = "jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const dbUri = (password: string) => `postgres://authenticator:${password}@prod-db.internal:5432/startup`;

/** A `pulumi stack export --show-secrets` of the program's secret-bearing resources. */
function exported(adminUrl: string) {
    const access = { ...largeApiInputs(3), adminUrl, authenticatorPassword: AUTH_PASSWORD };
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-12-01T00:00:00Z", magic: "m", version: "v3.270.0" },
            secrets_providers: { type: "cloud", state: { url: "awskms://alias/pulumi-prod?region=us-east-1", encryptedkey: "AQICAHh..." } },
            resources: [
                {
                    urn: "urn:pulumi:prod::postgrest::random:index/randomPassword:RandomPassword::pw",
                    type: "random:index/randomPassword:RandomPassword",
                    outputs: { length: 32, result: secret(AUTH_PASSWORD) },
                },
                {
                    urn: "urn:pulumi:prod::postgrest::random:index/randomPassword:RandomPassword::jwt",
                    type: "random:index/randomPassword:RandomPassword",
                    outputs: { result: secret(JWT_SECRET) },
                },
                {
                    urn: "urn:pulumi:prod::postgrest::pulumi-nodejs:dynamic:Resource::postgrest-roles-and-grants",
                    type: "pulumi-nodejs:dynamic:Resource",
                    inputs: { ...access, adminUrl: secret(adminUrl), authenticatorPassword: secret(AUTH_PASSWORD) },
                    outputs: {
                        ...access,
                        adminUrl: secret(adminUrl),
                        authenticatorPassword: secret(AUTH_PASSWORD),
                        createdRoles: [],
                        createdSchemas: [],
                    },
                },
                {
                    urn: "urn:pulumi:prod::postgrest::aws:secretsmanager/secretVersion:SecretVersion::db-uri",
                    type: "aws:secretsmanager/secretVersion:SecretVersion",
                    inputs: { secretString: secret(dbUri(AUTH_PASSWORD)) },
                    outputs: { secretString: secret(dbUri(AUTH_PASSWORD)), arn: "arn:aws:secretsmanager:us-east-1:1:secret:db-uri" },
                },
            ],
        },
    };
}
const config = (adminUrl: string) => ({
    "postgrest:cloud": { value: "aws", secret: false },
    "postgrest:databaseAdminUrl": { value: adminUrl, secret: true },
    "postgrest:jwtSecret": { value: JWT_SECRET, secret: true },
});

const plain = (value: any): any => JSON.parse(value.plaintext);
const resource = (state: any, name: string) => state.deployment.resources.find((r: any) => r.urn.endsWith(`::${name}`));

describe("redacted preview copy", () => {
    for (const adminUrl of [ADMIN_URL, SHORT_ADMIN_URL]) {
        describe(adminUrl === ADMIN_URL ? "with an admin password to percent-encode" : "with a short admin password", () => {
            const copy = redactStack(exported(adminUrl), config(adminUrl));
            const text = JSON.stringify(copy);

            it("keeps no secret, in any form, and drops the production secrets provider", () => {
                const password = decodeURIComponent(new URL(adminUrl).password);
                for (const leaked of [password, encodeURIComponent(password), AUTH_PASSWORD, JWT_SECRET, "awskms://", "AQICAHh"])
                    assert.ok(!text.includes(leaked), leaked);
            });

            it("leaves the database the admin URL names, so the roles and grants keep their target", () => {
                const redacted = new URL(copy.secrets["postgrest:databaseAdminUrl"]);
                assert.deepStrictEqual([redacted.username, redacted.host, redacted.pathname], ["root", "prod-db.internal:5432", "/startup"]);
                assert.ok(!("postgrest:cloud" in copy.secrets));
            });

            it("a preview from the redacted config and copy sees no change where there was none", () => {
                const access = resource(copy.state, "postgrest-roles-and-grants");
                const password = plain(resource(copy.state, "pw").outputs.result);
                const olds = {
                    ...access.outputs,
                    adminUrl: plain(access.outputs.adminUrl),
                    authenticatorPassword: plain(access.outputs.authenticatorPassword),
                };
                // What the program computes during the preview: the admin URL from config, the password from the random resource.
                const news = { ...largeApiInputs(3), adminUrl: copy.secrets["postgrest:databaseAdminUrl"], authenticatorPassword: password };
                assert.deepStrictEqual(diffAccess(olds, news), { changes: false, replaces: [], deleteBeforeReplace: true });
                assert.strictEqual(plain(resource(copy.state, "db-uri").outputs.secretString), dbUri(password));
                assert.strictEqual(plain(resource(copy.state, "jwt").outputs.result), copy.secrets["postgrest:jwtSecret"]);
                // A real change still shows.
                assert.strictEqual(
                    diffAccess(olds, { ...news, ...largeApiInputs(4), adminUrl: news.adminUrl, authenticatorPassword: password }).changes,
                    true,
                );
            });
        });
    }

    it("draws a new key for each copy: pseudonyms cannot be matched across copies", () => {
        const [a, b] = [redactStack(exported(ADMIN_URL), config(ADMIN_URL)), redactStack(exported(ADMIN_URL), config(ADMIN_URL))];
        assert.notStrictEqual(a.secrets["postgrest:jwtSecret"], b.secrets["postgrest:jwtSecret"]);
    });

    it("refuses a state exported without --show-secrets", () => {
        const encrypted = { deployment: { resources: [{ outputs: { result: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" } } }] } };
        assert.throws(() => redactStack(encrypted, {}), /--show-secrets/);
    });
});
