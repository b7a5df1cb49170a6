/**
 * The provider the program registers is bundled (components/database/bundle.ts):
 * the `__provider` text RolesAndGrants sends the engine must run, in a plain
 * node process as the engine's provider host loads it, against a real
 * PostgreSQL; and it reaches the engine without Pulumi's closure serializer.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PostgrestAccess } from "../../components/database";
import { bundleProviderModule } from "../../components/database/bundle";
import { accessProvider } from "../../components/database/provider";
import { declaredItems } from "../../components/database/declarations";
import { apiInputs } from "../../components/database/properties";
import { apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { testServer } from "../../testing/servers";

const projectRoot = path.resolve(__dirname, "../..");
const READ_ONLY = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const READ_WRITE = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select", "insert"] } } } });

// Plain node, no ts-node, the provider loaded with require-from-string as
// node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js does: create, a
// diff and an update to the second api block, a read, then delete.
const ENGINE_LIKE_HOST = `
const requireFromString = require("require-from-string");
const request = JSON.parse(require("fs").readFileSync(0, "utf8"));
const provider = requireFromString(request.provider).handler();
(async () => {
  const created = await provider.create(request.inputs);
  const diff = await provider.diff(created.id, created.outs, request.changed);
  const updated = await provider.update(created.id, created.outs, request.changed);
  const read = await provider.read(created.id, updated.outs);
  await provider.delete(created.id, updated.outs);
  process.stdout.write(JSON.stringify({ created, diff, updated, read }));
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`;

function runInEngineLikeHost(request: object): Promise<any> {
    return new Promise((resolve, reject) => {
        const child = execFile(process.execPath, ["-e", ENGINE_LIKE_HOST], { cwd: projectRoot }, (error, stdout, stderr) => {
            if (error) reject(new Error(`provider host failed: ${stderr || error.message}`));
            else resolve(JSON.parse(stdout));
        });
        child.stdin!.end(JSON.stringify(request));
    });
}

/** The `__provider` input PostgrestAccess registers: the text the engine receives. */
async function registeredProviderText(): Promise<string> {
    const registered: Record<string, any>[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                if (args.type === "pulumi-nodejs:dynamic:Resource") registered.push(args.inputs);
                return { id: `${args.name}-id`, state: { ...args.inputs, result: "mock-password" } };
            },
            call: (args) => args.inputs,
        },
        "postgrest",
        "test",
        true,
    );
    new PostgrestAccess("db", { adminUrl: pulumi.secret("postgresql://admin:pw@db.example.com/startup"), api: READ_ONLY });
    await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
    assert.strictEqual(registered.length, 1);
    return registered[0].__provider;
}

describe("database access provider, bundled for the engine", function () {
    it("the registered __provider creates, diffs, updates, reads and deletes on PostgreSQL 18 from a plain node process", async function () {
        const server = await testServer(18);
        const url = server.url(await freshDatabase(server));
        const inputs = {
            adminUrl: url,
            adminTls: { sslMode: "require" },
            authenticatorPassword: "BundledProviderPassword42",
            ...apiInputs(READ_ONLY),
        };
        const changed = { ...inputs, ...apiInputs(READ_WRITE) };

        const { created, diff, updated, read } = await runInEngineLikeHost({ provider: await registeredProviderText(), inputs, changed });

        assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
        assert.strictEqual(diff.changes, true);
        assert.deepStrictEqual(updated.outs.state, declaredItems(READ_WRITE));
        assert.deepStrictEqual(read.props.state, declaredItems(READ_WRITE));
        const left = await withClient(url, (client) => client.query("select rolname from pg_roles where rolname in ('authenticator', 'web_anon')"));
        assert.deepStrictEqual(left.rows, [], "delete drops the roles it created");
    });

    it("is the bundle itself, a module whose handler() is provider.ts's provider, not a closure Pulumi serialized", async function () {
        const text = await registeredProviderText();
        assert.strictEqual(text, await bundleProviderModule());
        assert.doesNotMatch(text, /^function __f\d+\(/m, "no function of Pulumi's closure serializer");
        assert.match(text, /require\("pg"\)/, "pg stays a package the provider host loads from node_modules");
        const requireFromString: (code: string) => { handler(): Record<string, unknown> } = require("require-from-string");
        assert.deepStrictEqual(Object.keys(requireFromString(text).handler()).sort(), Object.keys(accessProvider).sort());
    });
});
