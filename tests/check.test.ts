/**
 * `npm run check -- <stack>` (scripts/check.ts): each committed stack file and broken ones, checked offline with the
 * program's own validation; secrets in a stack file (`secure:`) count as present.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { checkStack } from "../scripts/check";
import { EXAMPLES_FOLDER, exampleStackFiles, stackFiles, stackName } from "../testing/stack-files";

const root = path.resolve(__dirname, "..");
const ADMIN_URL_MISSING = /^ {2}- postgrest:databaseAdminUrl: is required: .* Example: pulumi config set --secret postgrest:databaseAdminUrl /;
// What `pulumi config set --secret` writes into the stack file: ciphertext only the stack's secrets provider can read.
const SECURE = { secure: "v1:Zm9vYmFyYmF6:c2VjcmV0LWNpcGhlcnRleHQ=" };

describe("npm run check -- <stack>: the stack file, offline", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    /** A project folder holding Pulumi.yaml, the repository's migrations/ and `Pulumi.<stack>.yaml` with `config`. */
    const projectWith = (stack: string, config: Record<string, unknown>): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-check-"));
        dirs.push(dir);
        fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.cpSync(path.join(root, "migrations"), path.join(dir, "migrations"), { recursive: true });
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config }));
        return path.join(dir, `Pulumi.${stack}.yaml`);
    };
    const committed = (file: string) =>
        (require("yaml").parse(fs.readFileSync(path.join(root, file), "utf8")) as { config: Record<string, unknown> }).config;

    const creates = (config: Record<string, unknown>) => (config["postgrest:database"] as Record<string, unknown>).create !== undefined;
    // What a GCP user's shell holds when gcp:project is not in the stack file.
    const projectEnv = { ...process.env, GOOGLE_CLOUD_PROJECT: "my-project-id" };

    for (const file of stackFiles().filter((f) => creates(committed(f)))) {
        it(`${file} as committed: valid with no edit, no placeholder, creating its database and naming what destroy does`, () => {
            const result = checkStack(stackName(file), root, projectEnv);
            assert.strictEqual(result.status, 0, result.lines.join("\n"));
            assert.strictEqual(result.lines[0], `${file}: valid. \`pulumi up\` would:`);
            const text = result.lines.join("\n");
            assert.ok(!text.includes("warning: "), text);
            assert.match(
                text,
                /create the database app on (RDS|Cloud SQL) [\w.-]+, private, TLS only, up to \d+ connections; deleted by `pulumi destroy`, with no final snapshot/,
            );
            assert.match(text, /apply the pending files of migrations\/ \(001-trees\.sql\)/);
            assert.match(text, /from a function inside the database's network/);
        });
    }

    it("Pulumi.dev-gcp.yaml takes its project from the environment, and without one names gcp:project and gcloud's way", () => {
        const env = Object.fromEntries(
            Object.entries(process.env).filter(
                ([name]) => !/^(GOOGLE_PROJECT|GOOGLE_CLOUD_PROJECT|GCLOUD_PROJECT|CLOUDSDK_CORE_PROJECT)$/.test(name),
            ),
        );
        assert.strictEqual(checkStack("dev-gcp", root, { ...env, CLOUDSDK_CORE_PROJECT: "from-gcloud" }).status, 0);
        const result = checkStack("dev-gcp", root, env);
        assert.strictEqual(result.status, 1);
        assert.match(
            result.lines[1],
            /^ {2}- gcp:project: is not set, nor .*CLOUDSDK_CORE_PROJECT.* Example: export CLOUDSDK_CORE_PROJECT="\$\(gcloud config get-value project\)"/,
        );
    });

    const bringOwn = [...stackFiles().filter((f) => !creates(committed(f))), ...exampleStackFiles()];
    for (const file of bringOwn) {
        // An example is used from the project's folder, next to Pulumi.yaml.
        const stackFile = () => (file.includes("/") ? projectWith(stackName(file), committed(file)) : stackName(file));
        it(`${file} as committed: refused for the admin URL secret not yet set, saying how, with its placeholders warned`, () => {
            const result = checkStack(stackFile(), root, projectEnv);
            assert.strictEqual(result.status, 1, result.lines.join("\n"));
            assert.strictEqual(result.lines[0], `${path.basename(file)}: 1 problem:`);
            assert.match(result.lines[1], ADMIN_URL_MISSING);
            for (const line of result.lines.slice(2)) assert.match(line, /^warning: \S+ is ".+", an example's placeholder: replace it with yours/);
        });

        it(`${file} once the admin URL is set as a secret: valid, with a summary of what up creates`, () => {
            const result = checkStack(projectWith(stackName(file), { ...committed(file), "postgrest:databaseAdminUrl": SECURE }), root, projectEnv);
            assert.strictEqual(result.status, 0, result.lines.join("\n"));
            assert.strictEqual(result.lines[0], `${path.basename(file)}: valid. \`pulumi up\` would:`);
            const text = result.lines.join("\n");
            assert.match(text, /connect to the database \w+ on \S+:\d+ \(sslMode [\w-]+\)/);
            assert.match(text, /create or adopt the login role authenticator and the API roles web_anon, with \d+ declared items/);
            assert.match(text, /run PostgREST postgrest\/postgrest:v[\d.]+ on (ECS Fargate|Cloud Run)/);
            assert.match(text, /\(databaseAdminUrl is a secret: present, its text is checked at `pulumi preview`\)/);
            assert.ok(!text.includes("v1:Zm9v"), text);
        });
    }

    it("the AWS example for an existing database: names every placeholder its quick start asks to replace", () => {
        const example = committed(`${EXAMPLES_FOLDER}/Pulumi.dev.yaml`) as Record<string, any>;
        const warned = checkStack(projectWith("dev", example), root).lines.filter((line) => line.startsWith("warning: "));
        const expected = [
            example["postgrest:database"].host,
            example["postgrest:aws"].network.vpcId,
            ...example["postgrest:aws"].network.publicSubnetIds,
            example["postgrest:aws"].databaseSecurityGroupId,
        ];
        assert.deepStrictEqual(
            warned.map((line) => /is "([^"]+)"/.exec(line)![1]),
            expected,
        );
    });

    it("leaves real-looking values alone", () => {
        const file = projectWith("real", {
            "aws:region": "eu-west-1",
            "postgrest:cloud": "aws",
            "postgrest:databaseAdminUrl": SECURE,
            "postgrest:database": { host: "startup.cluster-c7x2k9qzpm4d.eu-west-1.rds.amazonaws.com", name: "startup" },
            "postgrest:api": { roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
            "postgrest:service": { maxInstances: 2 },
            "postgrest:aws": {
                network: {
                    mode: "existing",
                    vpcId: "vpc-07d1e5c9a3b2f4e86",
                    publicSubnetIds: ["subnet-0c4f9a2e7b1d3e5f8", "subnet-05e8b3d1f7a9c2e46"],
                },
            },
        });
        const result = checkStack(file, root);
        assert.strictEqual(result.status, 0, result.lines.join("\n"));
        assert.ok(!result.lines.some((line) => line.startsWith("warning: ")), result.lines.join("\n"));
    });

    it("a GCP stack with Cloud SQL IAM authentication: says PostgREST logs in with no password, and that the instance needs the IAM flag", () => {
        const file = projectWith("iam", {
            "gcp:project": "my-project",
            "postgrest:cloud": "gcp",
            "postgrest:databaseAdminUrl": SECURE,
            "postgrest:database": { host: "10.20.0.5", name: "startup" },
            "postgrest:api": { roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
            "postgrest:service": { maxInstances: 2 },
            "postgrest:gcp": { region: "us-central1", cloudSqlInstance: "my-project:us-central1:trees-db", cloudSqlIamAuthentication: true },
        });
        const result = checkStack(file, root);
        assert.strictEqual(result.status, 0, result.lines.join("\n"));
        const text = result.lines.join("\n");
        assert.match(
            text,
            /create or adopt the authenticator authenticator \(no password, no LOGIN: the IAM user is its member\) and the API roles web_anon, with 7 declared items/,
        );
        assert.match(
            text,
            /log PostgREST in as its service account's Cloud SQL IAM user on my-project:us-central1:trees-db, .* no password: the instance needs the database flag cloudsql\.iam_authentication=on/,
        );
    });

    it("a broken stack file: every problem at once, each naming its key and the fix, and no secret text", () => {
        const file = projectWith("broken", {
            "aws:region": "us-east-1",
            "postgrest:cloud": "aws",
            "postgrest:databaseAdminUrl": "postgresql://admin:hunter2-check%@db.example.com:5432/postgres",
            "postgrest:database": { host: "db.example.com:5432", name: "startup", migrations: "nowhere" },
            "postgrest:api": { roles: { web_anon: { tables: { "api.trees": ["select"] } } } },
            "postgrest:servce": { maxInstances: 2 },
        });
        const result = checkStack(file, root);
        assert.strictEqual(result.status, 1);
        assert.deepStrictEqual(
            result.lines.filter((line) => line.startsWith("  - ")).map((line) => line.slice(0, line.indexOf(": "))),
            [
                "  - postgrest:servce",
                "  - postgrest:database.host",
                "  - postgrest:database.migrations",
                "  - postgrest:databaseAdminUrl",
                "  - postgrest:databaseAdminUrl",
                "  - postgrest:service",
            ],
            result.lines.join("\n"),
        );
        const text = result.lines.join("\n");
        assert.match(text, /did you mean "service"\?/);
        assert.match(text, /databaseAdminUrl: holds a password and must be set as a secret/);
        assert.match(text, /databaseAdminUrl: has a password holding a % that does not start a percent-encoded byte/);
        assert.ok(!text.includes("hunter2"), text);
    });

    it("names the migrations it would apply and prints the preview's warnings", () => {
        const file = projectWith("migrating", {
            "aws:region": "eu-west-1",
            "postgrest:cloud": "aws",
            "postgrest:databaseAdminUrl": SECURE,
            "postgrest:jwtSecret": SECURE,
            "postgrest:database": { host: "startup.cluster-c7x2k9qzpm4d.eu-west-1.rds.amazonaws.com", name: "startup", migrations: "migrations" },
            "postgrest:api": { roles: { web_anon: { tables: { "api.trees": ["select"], "private.notes": ["select"] } } } },
            "postgrest:service": { maxInstances: 2 },
        });
        const result = checkStack(file, root);
        assert.strictEqual(result.status, 0, result.lines.join("\n"));
        assert.ok(result.lines.includes("  - apply the pending files of migrations/ (001-trees.sql), in that order"), result.lines.join("\n"));
        assert.ok(result.lines.includes("  (jwtSecret is a secret: present, its text is checked at `pulumi preview`)"), result.lines.join("\n"));
        assert.match(
            result.lines[result.lines.length - 1],
            /^warning: postgrest:api\.roles\.web_anon\.tables: private\.notes is in schema "private"/,
        );
    });

    it("a stack without a file: status 2, naming the file it looked for", () => {
        const result = checkStack("nosuchstack", root);
        assert.strictEqual(result.status, 2);
        assert.match(result.lines[0], /^cannot read the stack: .*Pulumi\.nosuchstack\.yaml/);
    });

    it("as `npm run check -- <stack>`, with no cloud or Pulumi CLI: dev's summary on stdout (exit 0), prod's problem on stderr (exit 1)", async () => {
        // npm's own script when run by `npm test`, else the npm on PATH.
        const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
        const check = (stack: string) =>
            new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
                execFile(
                    npm[0],
                    [...npm.slice(1), "run", "-s", "check", "--", stack],
                    { cwd: root, env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` } },
                    (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
                ),
            );
        const dev = await check("dev");
        assert.strictEqual(dev.code, 0, dev.stderr);
        assert.match(dev.stdout, /^Pulumi\.dev\.yaml: valid\. `pulumi up` would:\n {2}- create the database app on RDS/);
        const prod = await check("prod");
        assert.strictEqual(prod.code, 1, prod.stderr);
        assert.match(prod.stderr, /^Pulumi\.prod\.yaml: 1 problem:\n {2}- postgrest:databaseAdminUrl: is required/);
    });
});
