/**
 * The HTTPS front Cloud Run puts before a private service: it checks the bearer ID token (signature, expiry, audience
 * = the service URL) and answers 401 when it is missing or invalid, 403 when its identity has no roles/run.invoker,
 * and forwards otherwise (https://cloud.google.com/run/docs/authenticating/service-to-service,
 * https://cloud.google.com/run/docs/troubleshooting#unauthorized-client).
 */
import * as http from "http";
import * as https from "https";
import { KeyPair, issue } from "../certificates";
import { FakeGoogle } from "./google-tokens";
import { close, listen, readBody, send } from "./http";

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
