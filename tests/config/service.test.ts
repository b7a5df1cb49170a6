import * as assert from "assert";
import { postgrestMajorOf, unpinnedImageProblem } from "../../components/config/service";
import { baseConfig, configProblems, parseStackConfig } from "../../testing/harness";

describe("images", () => {
    const cases: [string, number | undefined, RegExp | undefined][] = [
        ["postgrest/postgrest:v16.2", 16, undefined],
        ["postgrest/postgrest:v12.2.12", 12, undefined],
        ["docker.io/postgrest/postgrest:v14.17", 14, undefined],
        ["postgrest/postgrest:v12.2.1-cloudrun", 12, undefined],
        // Other repositories' tags may mean anything: the version must be stated.
        ["us-west1-docker.pkg.dev/p/r/postgrest:v12.2.1-cloudrun", undefined, undefined],
        ["registry.example.com:5000/postgrest:v14.17", undefined, undefined],
        ["postgrest/postgrest:16.2", undefined, undefined],
        [`postgrest/postgrest@sha256:${"0".repeat(64)}`, undefined, undefined],
        ["registry.example.com:5000/postgrest", undefined, /has no tag/],
        ["postgrest/postgrest:latest", undefined, /moving tag/],
    ];
    for (const [image, major, problem] of cases) {
        it(`${image}: ${major === undefined ? "version unread" : `v${major}`}, ${problem ?? "pinned"}`, () => {
            assert.strictEqual(postgrestMajorOf(image), major);
            const found = unpinnedImageProblem(image);
            if (problem) assert.match(found ?? "", problem);
            else assert.strictEqual(found, undefined);
        });
    }
});

describe("service.image: what the health checks need", () => {
    it("refuses a PostgREST before v10, which has no admin server, naming the key and a right image", () => {
        const problems = configProblems({ ...baseConfig("aws"), service: { maxInstances: 2, image: "postgrest/postgrest:v9.0.1" } });
        assert.ok(
            problems.some((p) => p.includes("postgrest:service.image") && p.includes("no admin server") && p.includes("postgrest/postgrest:v16")),
            problems.join("\n"),
        );
    });
});

describe("service.postgrestVersion: stated when the image does not say", () => {
    const withImage = (service: Record<string, unknown>) => ({ ...baseConfig("aws"), service: { maxInstances: 2, ...service } });
    const unreadable = [`postgrest/postgrest@sha256:${"0".repeat(64)}`, "postgrest/postgrest:16.2", "registry.example.com:5000/postgrest:v14.17"];
    for (const image of unreadable) {
        it(`${image}: required, naming the key and the image`, () => {
            const problems = configProblems(withImage({ image }));
            assert.ok(
                problems.some((p) => p.startsWith("postgrest:service.postgrestVersion") && p.includes("is required") && p.includes(image)),
                problems.join("\n"),
            );
        });
        it(`${image}: taken when given`, () => {
            assert.strictEqual(parseStackConfig(withImage({ image, postgrestVersion: 14 })).service.postgrestMajor, 14);
        });
    }

    it("must agree with the official image's tag", () => {
        const problems = configProblems(withImage({ image: "postgrest/postgrest:v12.2.12", postgrestVersion: 16 }));
        assert.ok(
            problems.some((p) => p.startsWith("postgrest:service.postgrestVersion") && p.includes("is PostgREST v12")),
            problems.join("\n"),
        );
    });

    it("refuses a digest that is not sha256 and 64 hex digits", () => {
        const problems = configProblems(withImage({ image: "postgrest/postgrest@sha256:0123abcd", postgrestVersion: 16 }));
        assert.ok(
            problems.some((p) => p.startsWith("postgrest:service.image") && p.includes("not sha256:")),
            problems.join("\n"),
        );
    });

    it("resolves the digest by default; resolveDigest false keeps the tag", () => {
        assert.strictEqual(parseStackConfig(withImage({})).service.resolveDigest, true);
        assert.strictEqual(parseStackConfig(withImage({ resolveDigest: false })).service.resolveDigest, false);
    });
});
