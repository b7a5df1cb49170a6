import * as assert from "assert";
import { postgrestMajorOf, unpinnedImageProblem } from "../../components/config/service";

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
