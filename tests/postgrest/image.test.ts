/**
 * The image by digest: reading references as Docker does, and resolving a tag against a local registry that speaks the
 * v2 API with Docker Hub's anonymous token handshake.
 */
import * as assert from "assert";
import { parseImageReference } from "../../components/model/image-reference";
import { pinnedImage, resolveDigest } from "../../components/postgrest/image";
import { FakeRegistry, fakeDigest, startFakeRegistry } from "../../testing/registry";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("image references", () => {
    const cases: [string, ReturnType<typeof parseImageReference>][] = [
        ["postgrest/postgrest:v16.2", { registry: "docker.io", repository: "postgrest/postgrest", tag: "v16.2" }],
        ["docker.io/postgrest/postgrest:v16.2", { registry: "docker.io", repository: "postgrest/postgrest", tag: "v16.2" }],
        ["index.docker.io/postgrest/postgrest:v16.2", { registry: "docker.io", repository: "postgrest/postgrest", tag: "v16.2" }],
        ["busybox:1.37.0", { registry: "docker.io", repository: "library/busybox", tag: "1.37.0" }],
        ["registry.example.com:5000/team/postgrest:v14.17", { registry: "registry.example.com:5000", repository: "team/postgrest", tag: "v14.17" }],
        ["localhost/postgrest:dev", { registry: "localhost", repository: "postgrest", tag: "dev" }],
        [`postgrest/postgrest@${DIGEST}`, { registry: "docker.io", repository: "postgrest/postgrest", digest: DIGEST }],
        [`ghcr.io/o/postgrest:v16.2@${DIGEST}`, { registry: "ghcr.io", repository: "o/postgrest", tag: "v16.2", digest: DIGEST }],
        ["postgrest/postgrest", { registry: "docker.io", repository: "postgrest/postgrest" }],
    ];
    for (const [image, expected] of cases) {
        it(image, () => assert.deepStrictEqual(parseImageReference(image), expected));
    }

    it("pins the name as written, without its tag, to the digest", () => {
        assert.strictEqual(pinnedImage("postgrest/postgrest:v16.2", DIGEST), `postgrest/postgrest@${DIGEST}`);
        assert.strictEqual(pinnedImage("registry.example.com:5000/p:v1", DIGEST), `registry.example.com:5000/p@${DIGEST}`);
    });
});

describe("resolving a tag in a v2 registry with a token handshake", () => {
    let registry: FakeRegistry;
    before(async () => {
        registry = await startFakeRegistry({ "postgrest/postgrest": ["v16.2", "v12.2.12"], "library/busybox": ["1.37.0"] });
    });
    after(() => registry.close());
    beforeEach(() => registry.requests.splice(0));

    it("asks anonymously, takes the token the 401 points at, and returns the index's digest", async () => {
        const digest = await resolveDigest("postgrest/postgrest:v16.2", { endpoint: registry.endpoint });
        assert.strictEqual(digest, fakeDigest("postgrest/postgrest", "v16.2"));
        assert.deepStrictEqual(registry.requests, [
            "HEAD /v2/postgrest/postgrest/manifests/v16.2",
            "GET /token",
            "HEAD /v2/postgrest/postgrest/manifests/v16.2",
        ]);
    });

    it("resolves an official image under library/", async () => {
        assert.strictEqual(await resolveDigest("busybox:1.37.0", { endpoint: registry.endpoint }), fakeDigest("library/busybox", "1.37.0"));
    });

    it("follows the tag: a re-pushed tag resolves to its new digest", async () => {
        registry.tags.get("postgrest/postgrest")!.set("v12.2.12", DIGEST);
        assert.strictEqual(await resolveDigest("postgrest/postgrest:v12.2.12", { endpoint: registry.endpoint }), DIGEST);
    });

    it("fails on a tag that does not exist, naming the image, the repository and the ways out", async () => {
        await assert.rejects(resolveDigest("postgrest/postgrest:v16.9", { endpoint: registry.endpoint }), (error: Error) => {
            assert.match(
                error.message,
                /service\.image "postgrest\/postgrest:v16\.9": the tag "v16\.9" does not exist in docker\.io\/postgrest\/postgrest/,
            );
            assert.match(error.message, /by digest.*service\.resolveDigest false/);
            return true;
        });
    });

    it("takes a digest as given, asking nothing", async () => {
        assert.strictEqual(await resolveDigest(`postgrest/postgrest@${DIGEST}`, { endpoint: registry.endpoint }), DIGEST);
        assert.deepStrictEqual(registry.requests, []);
    });

    it("says so when the registry cannot be reached", async () => {
        await assert.rejects(resolveDigest("postgrest/postgrest:v16.2", { endpoint: "http://127.0.0.1:1" }), /could not be reached/);
    });
});
