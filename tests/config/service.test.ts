import * as assert from "assert";
import { postgrestMajorOf, unpinnedImageProblem } from "../../components/config/service";
import { baseConfig, configProblems } from "../../testing/harness";

describe("images", () => {
    const cases: [string, number, RegExp | undefined][] = [
        ["postgrest/postgrest:v16.2", 16, undefined],
        ["postgrest/postgrest:v12.2.12", 12, undefined],
        ["us-west1-docker.pkg.dev/p/r/postgrest:v12.2.1-cloudrun", 12, undefined],
        ["registry.example.com:5000/postgrest:v14.17", 14, undefined],
        ["postgrest/postgrest@sha256:0123abcd", 16, undefined],
        ["registry.example.com:5000/postgrest", 16, /has no tag/],
        ["postgrest/postgrest:latest", 16, /moving tag/],
    ];
    for (const [image, major, problem] of cases) {
        it(`${image}: v${major}, ${problem ?? "pinned"}`, () => {
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
