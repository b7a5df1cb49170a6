/**
 * Local endpoints that speak the cloud secret stores' real APIs, for database.adminSecret:
 * - startFakeSecretsManager: AWS Secrets Manager's JSON 1.1 protocol, GetSecretValue
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html), requests signed with
 *   Signature Version 4 and checked against the test's credentials
 *   (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html). Point the SDK at it with
 *   AWS_ENDPOINT_URL_SECRETS_MANAGER.
 * - startFakeSecretManager: GCP Secret Manager's REST v1 versions:access
 *   (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access), with the GCE
 *   metadata server's access tokens (https://cloud.google.com/compute/docs/access/authenticate-workloads) that
 *   google-auth-library fetches from GCE_METADATA_HOST. Point it at both with GCE_METADATA_HOST and
 *   CLOUDSDK_API_ENDPOINT_OVERRIDES_SECRETMANAGER.
 * Each keeps secrets as a list of versions; `rotate` adds one, as the database's provider does.
 */
import * as crypto from "crypto";
import * as http from "http";
import { close, listen, readBody } from "./http";

export interface FakeSecretStore {
    /** http://127.0.0.1:PORT */
    url: string;
    /** host:port, for GCE_METADATA_HOST. */
    host: string;
    /** The secret calls answered (GetSecretValue or :access), by secret. */
    reads: string[];
    /** Stores a new current version of `secret`. */
    rotate(secret: string, value: string): void;
    close(): Promise<void>;
}

export const TEST_AWS_CREDENTIALS = { accessKeyId: "AKIDSECRETSTORETEST01", secretAccessKey: "fake-secret-access-key-for-the-local-endpoint" };

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");
const hmac = (key: string | Buffer, data: string) => crypto.createHmac("sha256", key).update(data).digest();

/** Whether a request carries a valid SigV4 signature by `credentials` for the service `service`; the reason when not. */
function sigV4Problem(request: http.IncomingMessage, body: string, service: string): string | undefined {
    const match =
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
            request.headers.authorization ?? "",
        );
    if (!match) return "missing or malformed SigV4 Authorization header";
    const [, accessKey, date, region, signedService, signedHeaders, signature] = match;
    if (accessKey !== TEST_AWS_CREDENTIALS.accessKeyId) return `unknown access key ${accessKey}`;
    if (signedService !== service) return `signed for ${signedService}, not ${service}`;
    const amzDate = String(request.headers["x-amz-date"] ?? "");
    const url = new URL(request.url ?? "/", "http://host");
    const canonicalHeaders = signedHeaders
        .split(";")
        .map(
            (name) =>
                `${name}:${String(request.headers[name] ?? "")
                    .trim()
                    .replace(/\s+/g, " ")}\n`,
        )
        .join("");
    const canonicalQuery = [...url.searchParams]
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .sort()
        .join("&");
    const canonicalRequest = [request.method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders, sha256(body)].join("\n");
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
    let key: Buffer = hmac(`AWS4${TEST_AWS_CREDENTIALS.secretAccessKey}`, date);
    for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
    const expected = crypto.createHmac("sha256", key).update(stringToSign).digest("hex");
    return expected === signature ? undefined : "the request signature we calculated does not match the signature you provided";
}

/** Secrets Manager for the ARNs in `secrets`, each with its current value. */
export async function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretStore> {
    const versions = new Map(Object.entries(secrets).map(([arn, value]) => [arn, [value]]));
    const reads: string[] = [];
    const server = http.createServer(async (request, response) => {
        const body = await readBody(request);
        const fail = (status: number, type: string, message: string) => {
            response.writeHead(status, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": type });
            response.end(JSON.stringify({ __type: type, message }));
        };
        const problem = sigV4Problem(request, body, "secretsmanager");
        if (problem) return fail(400, "InvalidSignatureException", problem);
        if (request.method !== "POST" || request.headers["x-amz-target"] !== "secretsmanager.GetSecretValue")
            return fail(400, "UnknownOperationException", `unsupported ${String(request.headers["x-amz-target"])}`);
        const { SecretId } = JSON.parse(body) as { SecretId?: string };
        const stored = versions.get(SecretId ?? "");
        if (!stored) return fail(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        reads.push(SecretId!);
        response.writeHead(200, { "Content-Type": "application/x-amz-json-1.1" });
        response.end(
            JSON.stringify({
                ARN: SecretId,
                Name: SecretId!.split(":secret:")[1],
                VersionId: `version-${stored.length}`,
                SecretString: stored[stored.length - 1],
                VersionStages: ["AWSCURRENT"],
                CreatedDate: Date.now() / 1000,
            }),
        );
    });
    return serve(server, versions, reads);
}

/**
 * Secret Manager for the secrets (projects/P/secrets/S) in `secrets`, each with its first version, and a metadata server.
 * `identityFrom` (host:port of another fake metadata server, such as google-tokens.ts's) answers the ID-token requests
 * this one does not issue, so one GCE_METADATA_HOST gives the deployer both its access and its ID tokens, as on GCE.
 */
export async function startFakeSecretManager(secrets: Record<string, string>, identityFrom?: string): Promise<FakeSecretStore> {
    const versions = new Map(Object.entries(secrets).map(([name, value]) => [name, [value]]));
    const reads: string[] = [];
    const tokens = new Set<string>();
    const server = http.createServer(async (request, response) => {
        await readBody(request);
        const url = new URL(request.url ?? "/", "http://host");
        const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
            response.writeHead(status, { "Content-Type": "application/json", ...headers });
            response.end(JSON.stringify(value));
        };
        if (url.pathname.startsWith("/computeMetadata/")) {
            if (request.headers["metadata-flavor"] !== "Google") return send(403, "Missing Metadata-Flavor:Google header");
            const flavor = { "Metadata-Flavor": "Google" };
            if (/^\/computeMetadata\/v1\/instance\/?$/.test(url.pathname)) return send(200, {}, flavor);
            if (identityFrom && /^\/computeMetadata\/v1\/instance\/service-accounts\/[^/]+\/identity$/.test(url.pathname))
                return forward(request, response, identityFrom);
            if (/^\/computeMetadata\/v1\/instance\/service-accounts\/[^/]+\/token$/.test(url.pathname)) {
                const token = `ya29.fake-${crypto.randomBytes(12).toString("hex")}`;
                tokens.add(token);
                return send(200, { access_token: token, expires_in: 3599, token_type: "Bearer" }, flavor);
            }
            return send(404, "not found", flavor);
        }
        const access = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/.exec(url.pathname);
        if (!access || request.method !== "GET") return send(404, { error: { code: 404, message: "Not Found", status: "NOT_FOUND" } });
        const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
        if (!bearer || !tokens.has(bearer))
            return send(401, { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } });
        const [, secret, version] = access;
        const stored = versions.get(secret);
        const number = version === "latest" ? stored?.length : Number(version);
        if (!stored || !number || number > stored.length)
            return send(404, { error: { code: 404, message: `Secret Version [${secret}/versions/${version}] not found.`, status: "NOT_FOUND" } });
        reads.push(secret);
        const data = Buffer.from(stored[number - 1], "utf8");
        send(200, { name: `${secret}/versions/${number}`, payload: { data: data.toString("base64"), dataCrc32c: "0" } });
    });
    return serve(server, versions, reads);
}

/** Sends `request` on to `host` (host:port) and its answer back. */
function forward(request: http.IncomingMessage, response: http.ServerResponse, host: string): void {
    const [hostname, port] = host.split(":");
    const onward = http.request({ hostname, port: Number(port), path: request.url, method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
    });
    onward.on("error", (error) => {
        response.writeHead(502, { "Content-Type": "text/plain" });
        response.end(String(error));
    });
    onward.end();
}

/** Listens on loopback; the store's versions are what `rotate` appends to. */
async function serve(server: http.Server, versions: Map<string, string[]>, reads: string[]): Promise<FakeSecretStore> {
    const port = await listen(server);
    return {
        url: `http://127.0.0.1:${port}`,
        host: `127.0.0.1:${port}`,
        reads,
        rotate: (secret, value) => versions.get(secret)!.push(value),
        close: () => close(server),
    };
}
