/**
 * Google's token issuers, as google-auth-library reaches them: the GCE metadata server (GCE_METADATA_HOST) that gives
 * the runner's service account an ID token for the requested audience
 * (https://cloud.google.com/compute/docs/instances/verifying-instance-identity), and, for workload identity
 * federation, STS's token exchange and the IAM Credentials API's generateIdToken. The ID tokens are RS256 JWTs signed
 * with a key of this fake, like Google-signed ones.
 */
import * as crypto from "crypto";
import * as http from "http";
import { close, listen, readBody, send } from "./http";

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

function base64url(value: object): string {
    return Buffer.from(JSON.stringify(value)).toString("base64url");
}
