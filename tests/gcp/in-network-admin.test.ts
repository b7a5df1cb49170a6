/**
 * database.adminAccess in-network on GCP, the whole program under mocks: a
 * Cloud Run function with Direct VPC egress into the database's subnetwork,
 * built by the program from the repository, callable only with IAM, its
 * accounts holding only what they need, no secret in any plain input, and
 * the roles/grants resource pointed at the function's URL.
 */
import * as assert from "assert";
import { builtinModules } from "module";
import * as fs from "fs";
import * as path from "path";
import {
    BUILD_PROJECT_ROLES,
    FUNCTIONS_FRAMEWORK_VERSION,
    FUNCTION_RUNTIME,
    IN_NETWORK_ADMIN_APIS,
    repositoryId,
} from "../../components/gcp/in-network-admin";
import { ADMIN_PASSWORD, ProgramRun, plainInputs, runProgram, waitsFor } from "../../testing/harness";
import { GCP_IN_NETWORK_SUBNETWORK as SUBNETWORK, gcpInNetworkConfig } from "../../testing/stack-configs";

describe("gcp: database.adminAccess in-network", function () {
    let run: ProgramRun;
    before(async function () {
        this.timeout(60_000);
        run = await runProgram({ config: gcpInNetworkConfig() });
    });

    it("runs a Node.js 22 Cloud Run function with Direct VPC egress into the database's subnetwork, private ranges only", () => {
        const fn = run.one("gcp:cloudfunctionsv2/function:Function");
        assert.deepStrictEqual(
            {
                location: fn.inputs.location,
                runtime: fn.inputs.buildConfig.runtime,
                interfaces: fn.inputs.serviceConfig.directVpcNetworkInterfaces,
                egress: fn.inputs.serviceConfig.directVpcEgress,
                timeout: fn.inputs.serviceConfig.timeoutSeconds,
            },
            {
                location: "europe-west1",
                runtime: FUNCTION_RUNTIME,
                interfaces: [{ network: "db-vpc", subnetwork: SUBNETWORK }],
                egress: "VPC_EGRESS_PRIVATE_RANGES_ONLY",
                timeout: 360,
            },
        );
        assert.strictEqual(fn.inputs.serviceConfig.environmentVariables, undefined, "the function has no environment variables");
        assert.strictEqual(fn.inputs.serviceConfig.secretEnvironmentVariables, undefined, "nor secrets");
        assert.strictEqual(fn.inputs.serviceConfig.secretVolumes, undefined, "nor secret files");
    });

    it("is built by the program: the bundled handler and a package.json, from a private bucket, by its own build account", async () => {
        const fn = run.one("gcp:cloudfunctionsv2/function:Function");
        const bucket = run.one("gcp:storage/bucket:Bucket");
        const archive = run.one("gcp:storage/bucketObject:BucketObject");
        assert.deepStrictEqual(fn.inputs.buildConfig.source.storageSource, {
            bucket: bucket.name,
            object: archive.inputs.name,
            generation: 1732345678901234,
        });
        assert.deepStrictEqual([bucket.inputs.uniformBucketLevelAccess, bucket.inputs.publicAccessPrevention], [true, "enforced"]);
        const assets = await archive.inputs.source.assets;
        assert.deepStrictEqual(Object.keys(assets).sort(), ["index.js", "package.json"]);
        const source: string = await assets["index.js"].text;
        // The bundle needs nothing from node_modules: only Node's own modules (and pg's native binding, never loaded).
        const required = new Set([...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
        assert.deepStrictEqual(
            [...required].filter((m) => !builtinModules.includes(m) && m !== "pg-native"),
            [],
        );
        assert.match(source, new RegExp(`${fn.inputs.buildConfig.entryPoint}: \\(\\) =>`), "the entry point is exported");
        assert.ok(!source.includes(path.resolve(__dirname, "../..")), "the bundle names the clone's location");
        assert.match(archive.inputs.name, /^function-[0-9a-f]{12}\.zip$/, "a new object, so a new build, exactly when the code changes");
        const packageJson = JSON.parse(await assets["package.json"].text);
        assert.deepStrictEqual(packageJson.dependencies, { "@google-cloud/functions-framework": FUNCTIONS_FRAMEWORK_VERSION });
        const build = run.byType("gcp:serviceaccount/account:Account").find((a) => a.name === "postgrest-admin-build")!;
        assert.strictEqual(
            fn.inputs.buildConfig.serviceAccount,
            `projects/my-project/serviceAccounts/${build.name}@my-project.iam.gserviceaccount.com`,
        );
        const repository = run.one("gcp:artifactregistry/repository:Repository");
        assert.strictEqual(fn.inputs.buildConfig.dockerRepository, repository.id);
        assert.deepStrictEqual(repository.inputs.cleanupPolicies, [{ id: "keep-newest", action: "KEEP", mostRecentVersions: { keepCount: 2 } }]);
    });

    it("the tests serve the handler with the Functions Framework version the cloud installs", () => {
        const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
        assert.strictEqual(packageJson.devDependencies["@google-cloud/functions-framework"], FUNCTIONS_FRAMEWORK_VERSION);
    });

    it("its accounts hold only what they need: the runtime account none but its own egress, the build account its bucket, repository and logs", () => {
        const member = (name: string) => `serviceAccount:${name}@my-project.iam.gserviceaccount.com`;
        const grants = [
            ...run.byType("gcp:projects/iAMMember:IAMMember"),
            ...run.byType("gcp:storage/bucketIAMMember:BucketIAMMember"),
            ...run.byType("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"),
            ...run.byType("gcp:cloudrunv2/serviceIamMember:ServiceIamMember"),
        ].filter((g) => [member("postgrest-admin-run"), member("postgrest-admin-build")].includes(g.inputs.member));
        const fn = run.one("gcp:cloudfunctionsv2/function:Function");
        assert.deepStrictEqual(
            grants.map((g) => [g.type.split(":")[1].split("/")[0], g.inputs.role, g.inputs.member.split(":")[1].split("@")[0]]).sort(),
            [
                ["artifactregistry", "roles/artifactregistry.writer", "postgrest-admin-build"],
                ["cloudrunv2", "roles/run.invoker", "postgrest-admin-run"],
                ...BUILD_PROJECT_ROLES.map((role) => ["projects", role, "postgrest-admin-build"]),
                ["storage", "roles/storage.objectAdmin", "postgrest-admin-build"],
            ].sort(),
        );
        const egress = grants.find((g) => g.inputs.role === "roles/run.invoker")!;
        assert.strictEqual(egress.inputs.name, fn.name, "granted on the function's own service only");
        assert.ok(!JSON.stringify(grants).includes("secretmanager"), "it reads no secret");
    });

    it("is public in no way: no allUsers or allAuthenticatedUsers binding anywhere, invoker IAM on", () => {
        for (const resource of run.resources)
            assert.ok(!/allUsers|allAuthenticatedUsers/.test(plainInputs(resource)), `${resource.type} ${resource.name} is public`);
        const fn = run.one("gcp:cloudfunctionsv2/function:Function");
        assert.strictEqual(fn.inputs.serviceConfig.ingressSettings, "ALLOW_ALL", "reachable from the deployer's machine, behind IAM");
    });

    it("enables the APIs its build and runtime call, before creating anything that calls them", () => {
        const enabled = run.byType("gcp:projects/service:Service").map((s) => s.inputs.service);
        for (const api of IN_NETWORK_ADMIN_APIS) assert.ok(enabled.includes(api), api);
        const apis = run.byType("gcp:projects/service:Service").filter((s) => s.name.startsWith("postgrest-admin-apis-"));
        assert.deepStrictEqual(apis.map((s) => s.inputs.service).sort(), [...IN_NETWORK_ADMIN_APIS].sort());
        for (const name of ["postgrest-admin-run", "postgrest-admin-build"]) {
            const account = run.byType("gcp:serviceaccount/account:Account").find((a) => a.name === name)!;
            for (const api of apis)
                assert.ok(
                    account.dependencies!.some((urn) => urn.endsWith(`::${api.name}`)),
                    `${name} waits for ${api.name}`,
                );
        }
    });

    it("the roles/grants resource calls the function's URL, once it may reach the VPC", () => {
        const access = run.one("pulumi-nodejs:dynamic:Resource");
        const fn = run.one("gcp:cloudfunctionsv2/function:Function");
        assert.deepStrictEqual(access.inputs.adminTransport, { kind: "cloud-run", url: `https://${fn.name}-a1b2c3d4e5-uc.a.run.app` });
        const egress = run.one("gcp:cloudrunv2/serviceIamMember:ServiceIamMember");
        for (const needed of [fn, egress]) assert.ok(waitsFor(access, needed), `waits for ${needed.name}`);
    });

    it("no admin password in any plain input, the function's code included", () => {
        for (const resource of run.resources)
            assert.ok(!plainInputs(resource).includes(ADMIN_PASSWORD), `${resource.type} ${resource.name} holds the admin password`);
    });
});

describe("gcp: the function's repository id", () => {
    const cases: [string, string][] = [
        ["dev-gcp", "postgrest-admin-dev-gcp"],
        ["Prod_EU", "postgrest-admin-prod-eu"],
        ["org/team.stack", "postgrest-admin-org-team-stack"],
        ["x".repeat(80), `postgrest-admin-${"x".repeat(47)}`],
        ["a".repeat(46) + "--b", `postgrest-admin-${"a".repeat(46)}`],
    ];
    for (const [stack, id] of cases)
        it(`${JSON.stringify(stack.length > 20 ? `${stack.slice(0, 8)}…` : stack)} → ${id.length > 40 ? `${id.slice(0, 24)}… (${id.length})` : id}`, () => {
            assert.strictEqual(repositoryId(stack), id);
            assert.match(id, /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/);
        });
});
