/**
 * The provider as Pulumi runs it: the module text RolesAndGrants registers as
 * the `__provider` input, loaded by the engine in another process with require-from-string
 * (node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js); and the
 * component as the cloud targets' mock tests construct it.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PostgrestAccess } from "../../components/database";
import { declaredItems } from "../../components/database/declarations";
import { apiInputs } from "../../components/database/properties";
import { apiConfig, freshDatabase } from "../../testing/databases";
import { testServer } from "../../testing/servers";
import { runInEngineLikeHost, serializedProvider } from "../../testing/engine-host";

const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });

describe("database access provider, as the engine receives it in `__provider`", function () {
    it("runs create, read and delete from that module text in a separate node process", async function () {
        const server = await testServer(18);
        const db = await freshDatabase(server);
        const inputs = {
            adminUrl: server.url(db),
            adminTls: { sslMode: "require" },
            authenticatorPassword: "SerializedProviderPassword42",
            ...apiInputs(API),
        };

        const { created, read } = await runInEngineLikeHost({ provider: await serializedProvider(), inputs });
        assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
        assert.deepStrictEqual(read.props.state, declaredItems(API));
    });
});

describe("PostgrestAccess under pulumi.runtime.setMocks", function () {
    it("registers its password and the dynamic resource as children, and keeps the password secret", async function () {
        const registered: { type: string; name: string; inputs: any }[] = [];
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    const state =
                        args.type === "random:index/randomPassword:RandomPassword" ? { ...args.inputs, result: "mock-password" } : args.inputs;
                    return { id: `${args.name}-id`, state };
                },
                call: (args) => args.inputs,
            },
            "postgrest",
            "test",
            false,
        );
        const access = new PostgrestAccess("db", { adminUrl: pulumi.secret("postgresql://admin:pw@db.example.com/startup"), api: API });
        const [role, password, passwordIsSecret] = await new Promise<[string, string, boolean]>((resolve) =>
            pulumi
                .all([access.authenticatorRole, access.authenticatorPassword!, pulumi.isSecret(access.authenticatorPassword!)])
                .apply(resolve as any),
        );
        assert.strictEqual(role, "authenticator");
        assert.strictEqual(password, "mock-password");
        assert.strictEqual(passwordIsSecret, true);
        assert.deepStrictEqual(
            registered.map((r) => [r.type, r.name]),
            [
                ["postgrest:database:PostgrestAccess", "db"],
                ["random:index/randomPassword:RandomPassword", "db-authenticator-password"],
                ["pulumi-nodejs:dynamic:Resource", "db-roles-and-grants"],
            ],
        );
        const dynamic = registered[2].inputs;
        assert.ok(typeof dynamic.__provider === "string" && dynamic.__provider.length > 0);
        assert.deepStrictEqual(dynamic.state, declaredItems(API));
    });
});
