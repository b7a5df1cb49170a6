/** The workflow's stack matrix comes from the stack files: each stack's cloud, production ones last. */
import * as assert from "assert";
import * as path from "path";
import { execFileSync } from "child_process";
import { readStackFiles, stackMatrix } from "../../scripts/stack-matrix";

const file = (cloud: unknown, production?: unknown) =>
    `config:\n  postgrest:cloud: ${JSON.stringify(cloud)}\n${production === undefined ? "" : `  postgrest:production: ${JSON.stringify(production)}\n`}`;

describe("stack matrix", () => {
    const cases: { name: string; files: Record<string, string>; order: string[]; production: string[] }[] = [
        { name: "one AWS stack", files: { "Pulumi.dev.yaml": file("aws") }, order: ["dev:aws"], production: [] },
        {
            name: "production stacks after the others, whatever their names",
            files: {
                "Pulumi.a-prod.yaml": file("aws", true),
                "Pulumi.dev.yaml": file("aws"),
                "Pulumi.prod-gcp.yaml": file("gcp", true),
                "Pulumi.staging.yaml": file("gcp", false),
            },
            order: ["dev:aws", "staging:gcp", "a-prod:aws", "prod-gcp:gcp"],
            production: ["a-prod", "prod-gcp"],
        },
        {
            name: "a name is not a mark: prod without postgrest:production is not production",
            files: { "Pulumi.prod.yaml": file("aws"), "Pulumi.dev.yaml": file("gcp") },
            order: ["dev:gcp", "prod:aws"],
            production: [],
        },
        {
            name: "only Pulumi.<stack>.yaml files count",
            files: { "Pulumi.yaml": "name: postgrest\n", "Pulumi.dev.yaml": file("aws"), "Pulumi.dev.yaml.bak": file("gcp") },
            order: ["dev:aws"],
            production: [],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const matrix = stackMatrix(c.files);
            assert.deepStrictEqual(
                matrix.stacks.map((s) => `${s.stack}:${s.cloud}`),
                c.order,
            );
            assert.deepStrictEqual(
                matrix.production.map((s) => s.stack),
                c.production,
            );
            assert.deepStrictEqual([...matrix.staging, ...matrix.production], matrix.stacks);
        });
    }

    it("names every bad stack file and key at once", () => {
        assert.throws(
            () => stackMatrix({ "Pulumi.a.yaml": file("azure"), "Pulumi.b.yaml": "config: {}\n", "Pulumi.c.yaml": file("aws", "yes") }),
            (error: Error) =>
                /Pulumi\.a\.yaml: postgrest:cloud: "azure" is not one of aws, gcp/.test(error.message) &&
                /Pulumi\.b\.yaml: postgrest:cloud: missing/.test(error.message) &&
                /Pulumi\.c\.yaml: postgrest:production: "yes" is not a boolean/.test(error.message),
        );
        assert.throws(() => stackMatrix({}), /no stack file found/);
    });

    it("prints the repository's matrix as JSON, as the workflow's stacks job reads it", () => {
        const root = path.resolve(__dirname, "../..");
        const printed = execFileSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "scripts/stack-matrix.ts"], {
            cwd: root,
            encoding: "utf8",
        });
        assert.deepStrictEqual(JSON.parse(printed), stackMatrix(readStackFiles(root)));
        assert.deepStrictEqual(
            JSON.parse(printed).stacks.map((s: { stack: string; cloud: string }) => `${s.stack}:${s.cloud}`),
            // Non-production first: the production profiles (postgrest:production) deploy after every other stack.
            ["dev:aws", "dev-gcp:gcp", "prod:aws", "prod-gcp:gcp"],
        );
        assert.deepStrictEqual(
            JSON.parse(printed).production.map((s: { stack: string }) => s.stack),
            ["prod", "prod-gcp"],
        );
    });
});
