/**
 * The whole program runs the image by digest on both clouds: the tag is resolved in the registry (the harness's local
 * one, speaking Docker Hub's API) when the program runs, so at preview, and the task definition or revision names
 * `name@sha256:...`. A digest is taken as given, resolveDigest false keeps the tag, and a tag that does not exist fails the image input,
 * which fails the program (Pulumi reports an Output's rejection as the program's error).
 */
import * as assert from "assert";
import { ProgramRun, baseConfig, harnessRegistry, runProgram } from "../testing/harness";
import { fakeDigest } from "../testing/registry";
import { REGISTRY_ENDPOINTS_VARIABLE, imageToRun } from "../components/postgrest/image";

const DIGEST = `sha256:${"cd".repeat(32)}`;

function imageRun(run: ProgramRun, cloud: "aws" | "gcp"): string {
    if (cloud === "aws") return JSON.parse(run.one("aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions)[0].image;
    return run.one("gcp:cloudrunv2/service:Service").inputs.template.containers[0].image;
}

const withService = (cloud: "aws" | "gcp", service: Record<string, unknown>) => ({ ...baseConfig(cloud), service: { maxInstances: 2, ...service } });

for (const cloud of ["aws", "gcp"] as const) {
    describe(`${cloud}: the image by digest`, () => {
        it("runs the default image's tag by the digest the registry names for it, at preview too", async () => {
            const registry = await harnessRegistry();
            registry.requests.splice(0);
            const run = await runProgram({ config: baseConfig(cloud), preview: true });
            assert.strictEqual(imageRun(run, cloud), `postgrest/postgrest@${fakeDigest("postgrest/postgrest", "v16.2")}`);
            assert.ok(registry.requests.includes("HEAD /v2/postgrest/postgrest/manifests/v16.2"), registry.requests.join(", "));
        });

        it("takes an image given by digest as it is, with its stated version, asking no registry", async () => {
            const registry = await harnessRegistry();
            registry.requests.splice(0);
            const image = `postgrest/postgrest@${DIGEST}`;
            const run = await runProgram({ config: withService(cloud, { image, postgrestVersion: 16 }) });
            assert.strictEqual(imageRun(run, cloud), image);
            assert.deepStrictEqual(registry.requests, []);
        });

        it("keeps the tag with resolveDigest false (offline)", async () => {
            const run = await runProgram({ config: withService(cloud, { image: "postgrest/postgrest:v14.17", resolveDigest: false }) });
            assert.strictEqual(imageRun(run, cloud), "postgrest/postgrest:v14.17");
        });
    });
}

describe("the image input on a tag that does not exist", () => {
    it("rejects, naming the image, the missing tag and the fixes", async () => {
        process.env[REGISTRY_ENDPOINTS_VARIABLE] = JSON.stringify({ "docker.io": (await harnessRegistry()).endpoint });
        const image = imageToRun({ image: "postgrest/postgrest:v16.99", resolveDigest: true });
        // promise() is @internal, but it is where an Output's rejection surfaces, as the engine sees it.
        const settled = (image as unknown as { promise(): Promise<string> }).promise();
        await assert.rejects(
            settled,
            /service\.image "postgrest\/postgrest:v16\.99": the tag "v16\.99" does not exist in docker\.io\/postgrest\/postgrest/,
        );
    });
});
