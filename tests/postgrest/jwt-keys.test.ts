/**
 * The JWT signing keys that rotate with an overlap: the JWK Set PostgREST receives verifies, with the `jose`
 * library, tokens signed with the current or the previous key, and refuses any other; under mocks, the program
 * hands PostgREST that set and signers the current key, as secrets.
 */
import * as assert from "assert";
import * as jose from "jose";
import { jwtKeySet, signingKeyId, signingKeys } from "../../components/postgrest/jwt-keys";
import { baseConfig, runProgram } from "../../testing/harness";

const SECRETS: [string, string] = ["a".repeat(32) + "FirstSlotSecret0123456789abcdefgh", "b".repeat(32) + "SecondSlotSecret0123456789abcdefg"];
const CLAIMS = { role: "web_user" };

async function sign(secret: string, kid?: string): Promise<string> {
    return new jose.SignJWT(CLAIMS)
        .setProtectedHeader({ alg: "HS256", ...(kid !== undefined && { kid }) })
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(secret));
}

/**
 * What PostgREST accepts with this jwt-secret, keys picked as its majors do (docs/rotation.md): v13 and later
 * (jose-jwt's decode: Jose.Jwk canDecodeJws, keyIdCompatible) try the keys whose kid equals the token's, or every key
 * when the token has none; v12 (hs-jose's JWKSet key store, "no filtering is performed") tries every key. jose imports
 * each JWK and checks the signature; jose's own JWKS helpers take asymmetric keys only. The claims, or why it refuses.
 */
async function verify(keySet: string, token: string, major: 12 | 13 = 13): Promise<string> {
    const { kid } = jose.decodeProtectedHeader(token);
    const keys: { kid?: string }[] = JSON.parse(keySet).keys;
    const candidates = major >= 13 && kid !== undefined ? keys.filter((key) => key.kid === kid) : keys;
    if (candidates.length === 0) return "no key with that kid";
    for (const key of candidates) {
        try {
            const { payload } = await jose.jwtVerify(token, await jose.importJWK(key, "HS256"), { algorithms: ["HS256"] });
            return `valid as ${payload.role}`;
        } catch {
            // The next key may verify it, as both libraries try them in turn.
        }
    }
    return "no key verifies it";
}

describe("JWT signing keys: the JWK Set PostgREST receives (verified with jose)", () => {
    it("names each key by its slot and generation, never by anything secret", () => {
        assert.deepStrictEqual(
            [0, 1, 2, 3].map((rotations) => {
                const { current, previous } = signingKeys(SECRETS, rotations);
                return [current.kid, previous.kid];
            }),
            [
                ["a0", "b0"],
                ["b1", "a0"],
                ["a1", "b1"],
                ["b2", "a1"],
            ],
        );
        assert.strictEqual(signingKeyId(1, 7), "b7");
    });

    it("verifies tokens signed with the current or the previous key, with or without their kid, and refuses a third key", async () => {
        const keys = signingKeys(SECRETS, 1);
        const keySet = jwtKeySet(keys);
        assert.ok(!keySet.includes(SECRETS[0]) && !keySet.includes(SECRETS[1]), "the set holds the keys base64url-encoded, as JWKs do");
        assert.deepStrictEqual(
            [
                await verify(keySet, await sign(keys.current.secret, keys.current.kid)),
                await verify(keySet, await sign(keys.previous.secret, keys.previous.kid)),
                await verify(keySet, await sign(keys.previous.secret)),
                await verify(keySet, await sign("c".repeat(64))),
                await verify(keySet, await sign("c".repeat(64), keys.current.kid)),
            ],
            ["valid as web_user", "valid as web_user", "valid as web_user", "no key verifies it", "no key verifies it"],
        );
    });

    it("a token signed before rotation was turned on (the plain secret, no kid) stays valid; after two rotations its key is gone", async () => {
        const beforeRotation = await sign(SECRETS[0]);
        assert.strictEqual(await verify(jwtKeySet(signingKeys(SECRETS, 0)), beforeRotation), "valid as web_user");
        assert.strictEqual(await verify(jwtKeySet(signingKeys(SECRETS, 1)), beforeRotation), "valid as web_user");
        // The second rotation gives the first slot a new secret (its keepers' generation 1).
        const renewed: [string, string] = ["d".repeat(64), SECRETS[1]];
        assert.strictEqual(await verify(jwtKeySet(signingKeys(renewed, 2)), beforeRotation), "no key verifies it");
    });
});

describe("JWT signing keys in the whole program, under mocks", function () {
    it("PostgREST receives the JWK Set in Secrets Manager; signers get the current key as a secret output and its kid", async function () {
        this.timeout(120_000);
        const config = (generation: number) => ({
            ...baseConfig("aws"),
            api: { rotation: { generation }, roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
        });
        const jwks = async (generation: number) => {
            const run = await runProgram({ config: config(generation) });
            const stored = run
                .byType("aws:secretsmanager/secretVersion:SecretVersion")
                .map((v) => v.inputs.secretString)
                .find((value) => String(value.value).startsWith('{"keys"'));
            assert.ok(stored && "4dabf18193072939515e22adb298388d" in stored, "the JWK Set is stored as a secret input");
            assert.ok(run.secretOutputs.includes("jwtSecret") && !run.secretOutputs.includes("jwtKeyId"));
            return { run, keySet: stored.value as string };
        };
        const first = await jwks(0);
        const second = await jwks(1);
        assert.strictEqual(first.run.outputs.jwtKeyId, "a0");
        assert.strictEqual(second.run.outputs.jwtKeyId, "b1");
        const signer = String(second.run.outputs.jwtSecret);
        assert.strictEqual(await verify(second.keySet, await sign(signer, "b1")), "valid as web_user");
        // A token signed with the key signers had before the rotation.
        assert.strictEqual(await verify(second.keySet, await sign(String(first.run.outputs.jwtSecret), "a0")), "valid as web_user");
        const keepers = second.run.byType("random:index/randomPassword:RandomPassword").map((r) => [r.name, r.inputs.keepers]);
        assert.deepStrictEqual(keepers.filter(([resource]) => String(resource).includes("jwt")).sort(), [
            ["postgrest-jwt-secret", undefined],
            ["postgrest-jwt-secret-b", { generation: "1" }],
        ]);
    });
});
