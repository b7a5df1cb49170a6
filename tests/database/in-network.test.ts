/**
 * The in-network transport, end to end on a TLS-only PostgreSQL: the
 * provider invokes the function through the AWS SDK v3 against a local
 * endpoint that speaks Lambda's Invoke API, and that endpoint runs the
 * function's code as the program deploys it (the esbuild bundle), loaded
 * with Node's own modules only, as in the Lambda runtime. Each case runs on both transports (direct and
 * Lambda; the cases in transport-parity.ts) and must give the same result and the same text to the user.
 */
import { AdminTransport, DIRECT } from "../../components/model/admin-transport";
import * as assert from "assert";
import { ApiConfig } from "../../components/model/api";
import { bundleFunctionSource } from "../../components/database/bundle";
import { AccessInputs, RecordedOutputs, apiInputs, currentOutputs } from "../../components/database/properties";
import { diffAccess } from "../../components/database/diff";
import { accessProvider } from "../../components/database/provider";
import { declaredItems } from "../../components/database/declarations";
import { lambdaApplier } from "../../components/database/transports/lambda";
import { localApplier } from "../../components/database/request";
import { apiConfig, freshDatabase } from "../../testing/databases";
import { FakeLambda, loadLambdaHandler, startFakeLambda } from "../../testing/fakes/lambda";
import { ADMIN_PASSWORD, TestServer, tlsTestServer } from "../../testing/servers";
import { runInEngineLikeHost, serializedProvider } from "../../testing/engine-host";
import { describeTransportParity } from "../../testing/transport-parity";

const FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:postgrest-admin";
const PASSWORD = "InNetworkAuthenticator0Password1";
const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const TRANSPORTS = ["direct", "lambda"] as const;

describe("in-network admin access: the diff", () => {
    const url = "postgresql://admin:pw@db.internal:5432/startup";
    const base = {
        adminUrl: url,
        adminTls: { sslMode: "require" as const },
        authenticatorPassword: "pw",
        ...apiInputs(API),
        createdRoles: [],
        createdSchemas: [],
    };
    const lambda = (functionArn: string): AdminTransport => ({ kind: "lambda", functionArn });
    for (const [name, before, after] of [
        ["switching from direct to in-network", DIRECT, lambda(FUNCTION_ARN)],
        ["switching back to direct", lambda(FUNCTION_ARN), DIRECT],
        ["another function", lambda(FUNCTION_ARN), lambda(FUNCTION_ARN.replace("postgrest-admin", "postgrest-admin-2"))],
    ] as const) {
        it(`${name} is an update that drops nothing, not a replacement`, () => {
            const diff = diffAccess({ ...base, adminTransport: before }, { ...base, adminTransport: after });
            assert.deepStrictEqual([diff.changes, diff.replaces], [true, []]);
        });
    }
    it("the same function and config is no change", () => {
        assert.strictEqual(
            diffAccess({ ...base, adminTransport: lambda(FUNCTION_ARN) }, { ...base, adminTransport: lambda(FUNCTION_ARN) }).changes,
            false,
        );
    });
    // Stacks applied before adminTransport recorded the function as an adminFunction string, or nothing for direct.
    for (const [recorded, now] of [
        [{ adminFunction: FUNCTION_ARN }, lambda(FUNCTION_ARN)],
        [{ adminFunction: "https://postgrest-admin-abc-uc.a.run.app" }, { kind: "cloud-run", url: "https://postgrest-admin-abc-uc.a.run.app" }],
        [{}, undefined],
    ] as const) {
        it(`state recorded as ${JSON.stringify(recorded)} reads as ${now?.kind ?? "direct"} and upgrades without an update`, () => {
            const olds = currentOutputs({ ...base, ...recorded } as RecordedOutputs);
            assert.deepStrictEqual(olds.adminTransport, now);
            assert.strictEqual(diffAccess(olds, { ...base, adminTransport: now }).changes, false);
        });
    }
});

describe("in-network admin access: the provider invokes the function, which runs the same applier (TLS-only PostgreSQL)", function () {
    let server: TestServer;
    let lambda: FakeLambda;
    const saved = { ...process.env };
    before(async function () {
        this.timeout(120_000);
        server = await tlsTestServer("tls-only");
        lambda = await startFakeLambda({ [FUNCTION_ARN]: loadLambdaHandler(await bundleFunctionSource()) });
        Object.assign(process.env, {
            AWS_ENDPOINT_URL_LAMBDA: lambda.url,
            AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
            AWS_SECRET_ACCESS_KEY: "test-secret-key",
            AWS_SESSION_TOKEN: "",
        });
        delete process.env.AWS_PROFILE;
    });
    after(async () => {
        process.env = saved;
        await lambda?.close();
    });

    function inputs(transport: (typeof TRANSPORTS)[number], database: string, api: ApiConfig = API): AccessInputs {
        return {
            adminUrl: server.url(database),
            adminTls: { sslMode: "require" },
            adminTransport: transport === "lambda" ? { kind: "lambda", functionArn: FUNCTION_ARN } : DIRECT,
            authenticatorPassword: PASSWORD,
            ...apiInputs(api),
        };
    }

    it("sends each request to the function, signed, with the admin URL in the payload only", async () => {
        const db = await freshDatabase(server);
        const before = lambda.invocations.length;
        await accessProvider.create(inputs("lambda", db));
        const sent = lambda.invocations.slice(before);
        assert.deepStrictEqual(
            sent.map((i) => [i.functionName, i.signed, (i.payload as { operation: string }).operation]),
            [[FUNCTION_ARN, true, "converge"]],
        );
    });

    it("the provider as the engine receives it (the bundle, in a plain node process) creates, reads and deletes through the function", async () => {
        const db = await freshDatabase(server);
        const before = lambda.invocations.length;
        const { created, read } = await runInEngineLikeHost({ provider: await serializedProvider(), inputs: inputs("lambda", db) });
        assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
        assert.deepStrictEqual(read.props.state, declaredItems(API));
        assert.deepStrictEqual(
            lambda.invocations.slice(before).map((i) => (i.payload as { operation: string }).operation),
            ["converge", "observe", "converge"],
        );
    });

    describeTransportParity({
        transports: TRANSPORTS,
        server: () => server,
        inputs,
        applier: (transport) => (transport === "direct" ? localApplier : lambdaApplier(FUNCTION_ARN)),
        api: API,
        authenticatorPassword: PASSWORD,
    });

    it("reports a function the deployer cannot find, naming it", async () => {
        const db = await freshDatabase(server);
        const missing = FUNCTION_ARN.replace("postgrest-admin", "deleted-function");
        await assert.rejects(
            accessProvider.create({ ...inputs("lambda", db), adminTransport: { kind: "lambda", functionArn: missing } }),
            (error: Error) => {
                assert.match(error.message, new RegExp(`^cannot invoke the in-network function ${missing}: Function not found`));
                assert.ok(!error.message.includes(ADMIN_PASSWORD));
                return true;
            },
        );
    });
});
