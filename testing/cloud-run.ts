/**
 * A Cloud Run function on this machine, in three local parts:
 * - serveFunction: the bundle run by the Functions Framework's own server
 *   (`functions-framework --target=... --source=...`), in a directory with no
 *   node_modules, as the Cloud Run function runs the zip the program uploads;
 * - startFakeGoogle: Google's token issuers, as google-auth-library reaches
 *   them: the GCE metadata server (GCE_METADATA_HOST) that gives the runner's
 *   service account an ID token for the requested audience
 *   (https://cloud.google.com/compute/docs/instances/verifying-instance-identity),
 *   and, for workload identity federation, STS's token exchange and the IAM
 *   Credentials API's generateIdToken. The ID tokens are RS256 JWTs signed with
 *   a key of this fake, like Google-signed ones;
 * - startCloudRunFront: the HTTPS front Cloud Run puts before a private
 *   service: it checks the bearer ID token (signature, expiry, audience = the
 *   service URL) and answers 401 when it is missing or invalid, 403 when its
 *   identity has no roles/run.invoker, and forwards otherwise
 *   (https://cloud.google.com/run/docs/authenticating/service-to-service,
 *   https://cloud.google.com/run/docs/troubleshooting#unauthorized-client).
 */
import { ChildProcess, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { KeyPair, issue } from "./certificates";
import { freePort } from "./servers";

const FUNCTIONS_FRAMEWORK = path.resolve(__dirname, "../node_modules/@google-cloud/functions-framework/build/src/main.js");

export interface ServedFunction {
    /** http://127.0.0.1:PORT, the container's own port behind the front. */
    url: string;
    /** Everything the function's process wrote to stdout and stderr: what Cloud Logging would keep. */
    output(): string;
    stop(): void;
}

/** Serves `source` (the bundle, as index.js) with the Functions Framework, HTTP signature, `target`. */
export async function serveFunction(source: string, target: string): Promise<ServedFunction> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postgrest-cloud-run-function-"));
    fs.writeFileSync(path.join(dir, "index.js"), source);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "postgrest-admin-function", main: "index.js" }));
    const port = await freePort();
    const child: ChildProcess = spawn(
        process.execPath,
        [FUNCTIONS_FRAMEWORK, `--target=${target}`, `--source=${dir}`, `--port=${port}`, "--signature-type=http"],
        { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (data) => {
            output += data;
            if (output.includes("Serving function...")) resolve();
        });
        child.stderr!.on("data", (data) => (output += data));
        child.once("exit", (code) => reject(new Error(`the Functions Framework exited with ${code}: ${output}`)));
    });
    return {
        url: `http://127.0.0.1:${port}`,
        output: () => output,
        stop() {
            child.kill();
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}

export interface FakeGoogle {
    /** host:port, for GCE_METADATA_HOST. */
    host: string;
    /** http://host:port: the STS token URL and the IAM Credentials endpoint of an external_account credential file. */
    url: string;
    /** An ID token for `email` and `audience`, signed like the ones it issues: for requests made by hand. */
    sign(email: string, audience: string): string;
    /** Verifies one of its ID tokens: its claims, or undefined when the signature or expiry is wrong. */
    verify(token: string): { aud: string; email: string } | undefined;
    /** Each ID token issued: how, for whom, for which audience. */
    idTokens: { via: "metadata" | "generateIdToken"; email: string; audience: string }[];
    /** Federated access tokens issued by the STS exchange. */
    federatedTokens: string[];
    close(): Promise<void>;
}

const IDENTITY_PATH = /^\/computeMetadata\/v1\/instance\/service-accounts\/([^/]+)\/identity$/;
const GENERATE_ID_TOKEN_PATH = /^\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateIdToken$/;

/** `computeAccount`: the service account of the "runner" the metadata server describes. */
export async function startFakeGoogle(computeAccount: string): Promise<FakeGoogle> {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const idTokens: FakeGoogle["idTokens"] = [];
    const federatedTokens: string[] = [];
    const sign = (email: string, audience: string) => {
        const now = Math.floor(Date.now() / 1000);
        const claims = { iss: "https://accounts.google.com", aud: audience, sub: email, email, email_verified: true, iat: now, exp: now + 3600 };
        const unsigned = `${base64url({ alg: "RS256", typ: "JWT" })}.${base64url(claims)}`;
        return `${unsigned}.${crypto.sign("sha256", Buffer.from(unsigned), privateKey).toString("base64url")}`;
    };
    const server = http.createServer(async (request, response) => {
        const body = await readBody(request);
        const url = new URL(request.url ?? "/", "http://metadata");
        const identity = IDENTITY_PATH.exec(url.pathname);
        const generate = GENERATE_ID_TOKEN_PATH.exec(url.pathname);
        if (url.pathname.startsWith("/computeMetadata/")) {
            // The metadata server answers only requests that carry this header, and marks its answers with it.
            if (request.headers["metadata-flavor"] !== "Google") return send(response, 403, "text/plain", "Missing Metadata-Flavor:Google header");
            response.setHeader("Metadata-Flavor", "Google");
            if (url.pathname === "/computeMetadata/v1/instance" || url.pathname === "/computeMetadata/v1/instance/")
                return send(response, 200, "application/text", "attributes/\nservice-accounts/\n");
            if (identity && ["default", computeAccount].includes(decodeURIComponent(identity[1])) && url.searchParams.get("audience")) {
                const audience = url.searchParams.get("audience")!;
                idTokens.push({ via: "metadata", email: computeAccount, audience });
                return send(response, 200, "application/text", sign(computeAccount, audience));
            }
            return send(response, 404, "text/html", "Not Found");
        }
        if (request.method === "POST" && url.pathname === "/v1/token") {
            const form = new URLSearchParams(body);
            if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:token-exchange" || !form.get("subject_token"))
                return send(response, 400, "application/json", JSON.stringify({ error: "invalid_request" }));
            const token = `federated-${crypto.randomBytes(8).toString("hex")}`;
            federatedTokens.push(token);
            return send(
                response,
                200,
                "application/json",
                JSON.stringify({
                    access_token: token,
                    issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
                    token_type: "Bearer",
                    expires_in: 3600,
                }),
            );
        }
        if (request.method === "POST" && generate) {
            if (!federatedTokens.includes((request.headers.authorization ?? "").replace(/^Bearer /, "")))
                return send(response, 401, "application/json", JSON.stringify({ error: { code: 401, status: "UNAUTHENTICATED" } }));
            const email = decodeURIComponent(generate[1]);
            const { audience } = JSON.parse(body) as { audience: string };
            idTokens.push({ via: "generateIdToken", email, audience });
            return send(response, 200, "application/json", JSON.stringify({ token: sign(email, audience) }));
        }
        send(response, 404, "text/plain", `Not Found: ${request.method} ${url.pathname}`);
    });
    const port = await listen(server);
    return {
        host: `127.0.0.1:${port}`,
        url: `http://127.0.0.1:${port}`,
        sign,
        verify(token) {
            const [header, claims, signature] = token.split(".");
            if (!signature || !crypto.verify("sha256", Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature, "base64url")))
                return undefined;
            const parsed = JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { aud: string; email: string; exp: number };
            return parsed.exp > Date.now() / 1000 ? parsed : undefined;
        },
        idTokens,
        federatedTokens,
        close: () => close(server),
    };
}

export interface FrontRequest {
    method: string;
    path: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    /** The verified token's identity and audience; undefined when refused with 401. */
    email?: string;
    audience?: string;
    status: number;
}

export interface CloudRunFront {
    /** https://127.0.0.1:PORT: the service URL, and the audience its tokens must name. */
    url: string;
    /** Identities holding roles/run.invoker; change it to revoke. */
    invokers: Set<string>;
    requests: FrontRequest[];
    close(): Promise<void>;
}

/** An HTTPS front (certificate issued by `ca` for 127.0.0.1) admitting `invokers` to `target`. */
export async function startCloudRunFront(options: { ca: KeyPair; google: FakeGoogle; target: string; invokers: string[] }): Promise<CloudRunFront> {
    const certificate = issue(options.ca, "127.0.0.1", { altNames: ["IP:127.0.0.1"] });
    const invokers = new Set(options.invokers);
    const requests: FrontRequest[] = [];
    let url = "";
    const server = https.createServer({ cert: certificate.cert, key: certificate.key }, async (request, response) => {
        const body = await readBody(request);
        const record: FrontRequest = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body, status: 0 };
        requests.push(record);
        const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
        const claims = bearer ? options.google.verify(bearer) : undefined;
        if (!claims || claims.aud !== url) {
            record.status = 401;
            return send(response, 401, "text/html", errorPage("401 Unauthorized", "Your client does not have permission to the requested URL"));
        }
        Object.assign(record, { email: claims.email, audience: claims.aud });
        if (!invokers.has(claims.email)) {
            record.status = 403;
            return send(
                response,
                403,
                "text/html",
                errorPage("403 Forbidden", `Your client does not have permission to get URL ${record.path} from this server.`),
            );
        }
        const forwarded = await forward(options.target, request, body);
        record.status = forwarded.status;
        const { connection: _connection, "transfer-encoding": _encoding, "content-length": _length, ...headers } = forwarded.headers;
        response.writeHead(forwarded.status, headers);
        response.end(forwarded.body);
    });
    const port = await listen(server);
    url = `https://127.0.0.1:${port}`;
    return { url, invokers, requests, close: () => close(server) };
}

function forward(
    target: string,
    request: http.IncomingMessage,
    body: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
        const headers = { "content-type": request.headers["content-type"] ?? "", "content-length": String(Buffer.byteLength(body)) };
        const outgoing = http.request(new URL(request.url ?? "/", target), { method: request.method, headers }, async (answer) =>
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: await readBody(answer) }),
        );
        outgoing.on("error", reject);
        outgoing.end(body);
    });
}

function errorPage(title: string, text: string): string {
    return `<html><head><title>${title}</title></head><body><h1>Error: ${title.replace(/^\d+ /, "")}</h1><h2>${text}</h2></body></html>`;
}

function base64url(value: object): string {
    return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function readBody(stream: NodeJS.ReadableStream): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", reject);
    });
}

function send(response: http.ServerResponse, status: number, contentType: string, body: string): void {
    response.writeHead(status, { "Content-Type": contentType });
    response.end(body);
}

async function listen(server: http.Server | https.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
}

function close(server: http.Server | https.Server): Promise<void> {
    return new Promise((resolve) => server.close(() => resolve()));
}
