/**
 * The in-network transport on GCP, end to end on a TLS-only PostgreSQL: the
 * provider POSTs to a Cloud Run function's URL with an ID token from
 * google-auth-library, which finds the deployer's identity on a fake GCE
 * metadata server (or, for workload identity federation, fake STS and IAM
 * Credentials endpoints); a local HTTPS front checks the token as Cloud Run
 * does and forwards to the function's code as the program deploys it (the
 * esbuild bundle), served by the Functions Framework from a directory
 * without node_modules. Each case runs on both transports (direct and
 * Cloud Run; the cases in transport-parity.ts) and must give the same result and the same text to the user.
 */
import { DIRECT } from "../../components/model/admin-transport";
import * as assert from "assert";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { ApiConfig } from "../../components/model/api";
import { CLOUD_RUN_FUNCTION_TARGET, bundleFunctionSource } from "../../components/database/bundle";
import { AccessInputs, apiInputs } from "../../components/database/properties";
import { accessProvider } from "../../components/database/provider";
import { declaredItems } from "../../components/database/declarations";
import { cloudRunApplier } from "../../components/database/transports/cloud-run";
import { localApplier } from "../../components/database/request";
import { KeyPair, makeCa } from "../../testing/certificates";
import { CloudRunFront, startCloudRunFront } from "../../testing/fakes/cloud-run-front";
import { ServedFunction, serveFunction } from "../../testing/fakes/functions-framework";
import { FakeGoogle, startFakeGoogle } from "../../testing/fakes/google-tokens";
import { apiConfig, freshDatabase, withClient } from "../../testing/databases";
import { ADMIN_PASSWORD, TestServer, tlsTestServer } from "../../testing/servers";
import { runInEngineLikeHost, serializedProvider } from "../../testing/engine-host";
import { describeTransportParity } from "../../testing/transport-parity";

const DEPLOYER = "deployer@startup-prod.iam.gserviceaccount.com";
const CI_ACCOUNT = "github-deploy@startup-prod.iam.gserviceaccount.com";
const PASSWORD = "CloudRunAuthenticator0Password1";
const API = apiConfig({ roles: { web_anon: { tables: { "api.trees": ["select"] } } } });
const TRANSPORTS = ["direct", "cloud-run"] as const;

describe("in-network admin access on GCP: the provider calls the Cloud Run function, which runs the same applier (TLS-only PostgreSQL)", function () {
    let server: TestServer;
    let google: FakeGoogle;
    let served: ServedFunction;
    let front: CloudRunFront;
    let ca: KeyPair;
    let scratch: string;
    const savedEnv = { ...process.env };
    const savedCa = https.globalAgent.options.ca;

    before(async function () {
        this.timeout(120_000);
        server = await tlsTestServer("tls-only");
        google = await startFakeGoogle(DEPLOYER);
        served = await serveFunction(await bundleFunctionSource("cloud-run"), CLOUD_RUN_FUNCTION_TARGET);
        ca = makeCa("cloud-run-front-ca");
        front = await startCloudRunFront({ ca, google, target: served.url, invokers: [DEPLOYER, CI_ACCOUNT] });
        // No real Google credentials of this machine: an empty HOME (no gcloud ADC file), no key file; the metadata server is the fake.
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-gcp-adc-"));
        fs.writeFileSync(path.join(scratch, "front-ca.pem"), ca.cert);
        for (const name of ["GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG", "METADATA_SERVER_DETECTION", "GCE_METADATA_IP"])
            delete process.env[name];
        // The front's CA: for this process's https requests, and for the engine-like host (a child process) through Node's own variable.
        Object.assign(process.env, { HOME: scratch, GCE_METADATA_HOST: google.host, NODE_EXTRA_CA_CERTS: path.join(scratch, "front-ca.pem") });
        https.globalAgent.options.ca = [...tls.rootCertificates, ca.cert];
    });
    after(async () => {
        process.env = savedEnv;
        https.globalAgent.options.ca = savedCa;
        served?.stop();
        await front?.close();
        await google?.close();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    function inputs(transport: (typeof TRANSPORTS)[number], database: string, api: ApiConfig = API): AccessInputs {
        return {
            adminUrl: server.url(database),
            adminTls: { sslMode: "require" },
            adminTransport: transport === "cloud-run" ? { kind: "cloud-run", url: front.url } : DIRECT,
            authenticatorPassword: PASSWORD,
            ...apiInputs(api),
        };
    }

    const asAdmin = (database: string, sql: string) => withClient(server.url(database), async (client) => (await client.query(sql)).rows, server.ssl);

    it("sends each request with an ID token for the function's URL, and the admin URL in the body only", async () => {
        const db = await freshDatabase(server);
        const [requestsBefore, tokensBefore] = [front.requests.length, google.idTokens.length];
        await accessProvider.create(inputs("cloud-run", db));
        const sent = front.requests.slice(requestsBefore);
        assert.deepStrictEqual(
            sent.map((r) => [r.method, r.path, r.headers["content-type"], r.email, r.audience, r.status, JSON.parse(r.body).operation]),
            [["POST", "/", "application/json", DEPLOYER, front.url, 200, "converge"]],
        );
        assert.deepStrictEqual(google.idTokens.slice(tokensBefore), [{ via: "metadata", email: DEPLOYER, audience: front.url }]);
        const adminUrl = server.url(db);
        assert.ok(sent[0].body.includes(JSON.stringify(adminUrl)), "the admin URL travels in the body");
        assert.ok(!JSON.stringify([sent[0].path, sent[0].headers]).includes(ADMIN_PASSWORD), "and nowhere else");
    });

    it("the provider as the engine receives it (the bundle, in a plain node process) creates, reads and deletes through the function", async () => {
        const db = await freshDatabase(server);
        const before = front.requests.length;
        const { created, read } = await runInEngineLikeHost({ provider: await serializedProvider(), inputs: inputs("cloud-run", db) });
        assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
        assert.deepStrictEqual(read.props.state, declaredItems(API));
        assert.deepStrictEqual(
            front.requests.slice(before).map((r) => [r.email, r.status, JSON.parse(r.body).operation]),
            [
                [DEPLOYER, 200, "converge"],
                [DEPLOYER, 200, "observe"],
                [DEPLOYER, 200, "converge"],
            ],
        );
    });

    describeTransportParity({
        transports: TRANSPORTS,
        server: () => server,
        inputs,
        applier: (transport) => (transport === "direct" ? localApplier : cloudRunApplier(front.url)),
        api: API,
        authenticatorPassword: PASSWORD,
    });

    it("mints the ID token through the IAM Credentials API under workload identity federation (google-github-actions/auth with a service account)", async () => {
        const db = await freshDatabase(server);
        const subjectToken = path.join(scratch, "github-oidc-token");
        fs.writeFileSync(subjectToken, "github-oidc-jwt");
        const credentials = path.join(scratch, "gha-creds.json");
        // The shape google-github-actions/auth writes for workload_identity_provider + service_account, pointed at the fakes.
        fs.writeFileSync(
            credentials,
            JSON.stringify({
                type: "external_account",
                audience: "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/providers/github",
                subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
                token_url: `${google.url}/v1/token`,
                service_account_impersonation_url: `${google.url}/v1/projects/-/serviceAccounts/${CI_ACCOUNT}:generateAccessToken`,
                credential_source: { file: subjectToken },
            }),
        );
        // The action also exports the project, which google-auth-library would otherwise look up with the credentials.
        Object.assign(process.env, { GOOGLE_APPLICATION_CREDENTIALS: credentials, GOOGLE_CLOUD_PROJECT: "startup-prod" });
        try {
            const [requestsBefore, tokensBefore, federatedBefore] = [front.requests.length, google.idTokens.length, google.federatedTokens.length];
            const created = await accessProvider.create(inputs("cloud-run", db));
            assert.deepStrictEqual(created.outs.createdRoles, ["authenticator", "web_anon"]);
            assert.strictEqual(google.federatedTokens.length - federatedBefore, 1, "one STS exchange of the GitHub token");
            assert.deepStrictEqual(google.idTokens.slice(tokensBefore), [{ via: "generateIdToken", email: CI_ACCOUNT, audience: front.url }]);
            assert.deepStrictEqual(
                front.requests.slice(requestsBefore).map((r) => [r.email, r.audience, r.status]),
                [[CI_ACCOUNT, front.url, 200]],
            );
        } finally {
            delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
            delete process.env.GOOGLE_CLOUD_PROJECT;
        }
    });

    it("tells a deployer without roles/run.invoker what to grant, and changes nothing", async () => {
        const db = await freshDatabase(server);
        front.invokers.delete(DEPLOYER);
        try {
            await assert.rejects(accessProvider.create(inputs("cloud-run", db)), (error: Error) => {
                assert.strictEqual(
                    error.message,
                    `the in-network function ${front.url} refused the deployer's identity ${DEPLOYER} (HTTP 403): ` +
                        "the deployer needs roles/run.invoker on the function (on the Cloud Run service of the same name)",
                );
                return true;
            });
        } finally {
            front.invokers.add(DEPLOYER);
        }
        assert.deepStrictEqual(await asAdmin(db, "select rolname from pg_roles where rolname in ('authenticator', 'web_anon')"), []);
    });

    it("explains an ID token the front does not accept (401), naming the identity and the role", async () => {
        const db = await freshDatabase(server);
        // The front takes only its own URL as the audience; with a trailing slash the token names another.
        const otherAudience = `${front.url}/`;
        await assert.rejects(accessProvider.create({ ...inputs("cloud-run", db), adminTransport: { kind: "cloud-run", url: otherAudience } }), {
            message:
                `the in-network function ${otherAudience} did not accept the deployer's ID token for ${DEPLOYER} (HTTP 401): ` +
                "its audience must be this URL, and the deployer needs roles/run.invoker on the function (on the Cloud Run service of the same name)",
        });
    });

    it("names the function and the cause when it cannot be reached", async () => {
        const db = await freshDatabase(server);
        const unreachable = "https://127.0.0.1:1";
        await assert.rejects(
            accessProvider.create({ ...inputs("cloud-run", db), adminTransport: { kind: "cloud-run", url: unreachable } }),
            (error: Error) => {
                assert.match(error.message, /^cannot invoke the in-network function https:\/\/127\.0\.0\.1:1: connect ECONNREFUSED 127\.0\.0\.1:1$/);
                return true;
            },
        );
    });

    it("says which credentials work when the deployer has none", async () => {
        const db = await freshDatabase(server);
        // Checked before any probe or cached answer of the metadata server: as on a laptop with no gcloud login.
        process.env.METADATA_SERVER_DETECTION = "none";
        try {
            await assert.rejects(accessProvider.create(inputs("cloud-run", db)), (error: Error) => {
                assert.match(
                    error.message,
                    new RegExp(
                        `^cannot get a Google ID token for the in-network function ${front.url}: Could not load the default credentials\\..* Use a service account key`,
                    ),
                );
                assert.match(
                    error.message,
                    /workload identity federation through a service account \(google-github-actions\/auth with service_account\)\.$/,
                );
                assert.ok(!error.message.includes(ADMIN_PASSWORD));
                return true;
            });
        } finally {
            delete process.env.METADATA_SERVER_DETECTION;
        }
    });

    for (const url of ["http://10.8.0.5:8080", "postgrest-admin"]) {
        it(`refuses the function URL ${url}, not https://, before calling anything`, async () => {
            const db = await freshDatabase(server);
            const before = front.requests.length;
            await assert.rejects(accessProvider.create({ ...inputs("cloud-run", db), adminTransport: { kind: "cloud-run", url } }), {
                message: `the in-network function's URL "${url}" is not https://: the request would carry the admin URL and an ID token in clear text`,
            });
            assert.strictEqual(front.requests.length, before);
        });
    }

    describe("the function's HTTP contract (Functions Framework, behind the front)", () => {
        const call = async (init: { method: string; contentType?: string; body?: string }) => {
            const token = google.sign(DEPLOYER, front.url);
            return await new Promise<{ status: number; body: string; allow?: string }>((resolve, reject) => {
                const request = https.request(
                    front.url,
                    {
                        method: init.method,
                        headers: { Authorization: `Bearer ${token}`, ...(init.contentType && { "Content-Type": init.contentType }) },
                    },
                    (response) => {
                        let body = "";
                        response.on("data", (chunk) => (body += chunk));
                        response.on("end", () => resolve({ status: response.statusCode!, body, allow: response.headers.allow }));
                    },
                );
                request.on("error", reject);
                request.end(init.body);
            });
        };
        const NOT_A_REQUEST = '{"errorMessage":"expected a JSON body {\\"operation\\": \\"converge\\" or \\"observe\\", \\"request\\": {...}}"}';

        it("answers a GET with 405 and Allow: POST", async () => {
            assert.deepStrictEqual(await call({ method: "GET" }), { status: 405, body: "", allow: "POST" });
        });

        for (const [name, contentType, body] of [
            ["a text body", "text/plain", "converge"],
            ["JSON without an operation", "application/json", '{"request": {}}'],
            ["an unknown operation", "application/json", '{"operation": "drop", "request": {}}'],
            ["an operation without its request", "application/json", '{"operation": "observe"}'],
        ]) {
            it(`answers ${name} with 400`, async () => {
                assert.deepStrictEqual(await call({ method: "POST", contentType, body }), { status: 400, body: NOT_A_REQUEST, allow: undefined });
            });
        }
    });

    it("the function logged nothing of any request: no admin URL, no password", () => {
        const output = served.output();
        assert.match(output, /Serving function/, "the output is captured");
        for (const secret of [ADMIN_PASSWORD, encodeURIComponent(ADMIN_PASSWORD), PASSWORD, "wrong-password-7"])
            assert.ok(!output.includes(secret), `the function's log holds ${secret}`);
    });
});
