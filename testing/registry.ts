/**
 * A local container registry that speaks the Docker Registry HTTP API v2 as Docker Hub does: a manifest HEAD without a
 * token gets 401 and a `WWW-Authenticate: Bearer realm,service,scope` challenge; the realm hands out a token for that
 * scope; the HEAD with it answers the manifest's media type and `Docker-Content-Digest`, or 404 for an unknown tag.
 */
import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

export const FAKE_REGISTRY_SERVICE = "registry.docker.io";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";

export interface FakeRegistry {
    /** The API base, http://127.0.0.1:<port>. */
    endpoint: string;
    /** Repository -> tag -> digest; tests may add tags. */
    tags: Map<string, Map<string, string>>;
    /** Every request, as "METHOD path", for tests that check the handshake. */
    requests: string[];
    close(): Promise<void>;
}

/** The digest a fake tag resolves to: stable per repository and tag, so tests can compute it. */
export function fakeDigest(repository: string, tag: string): string {
    return `sha256:${crypto.createHash("sha256").update(`${repository}:${tag}`).digest("hex")}`;
}

/** Starts a registry holding `images` (repository -> tags) on a free local port; it does not keep the process alive. */
export async function startFakeRegistry(images: Record<string, string[]>): Promise<FakeRegistry> {
    const tags = new Map(
        Object.entries(images).map(([repository, names]) => [repository, new Map(names.map((tag) => [tag, fakeDigest(repository, tag)]))]),
    );
    const tokens = new Map<string, string>();
    const requests: string[] = [];
    const server = http.createServer((request, response) => {
        // One request per connection: a kept-alive socket the server times out between two program runs would
        // otherwise fail the next request at random.
        response.setHeader("Connection", "close");
        const url = new URL(request.url ?? "/", "http://registry");
        requests.push(`${request.method} ${url.pathname}`);
        if (request.method === "GET" && url.pathname === "/token") {
            const scope = url.searchParams.get("scope") ?? "";
            if (url.searchParams.get("service") !== FAKE_REGISTRY_SERVICE || !/^repository:[^:]+:pull$/.test(scope)) {
                response.writeHead(400).end();
                return;
            }
            const token = crypto.randomBytes(16).toString("hex");
            tokens.set(token, scope);
            response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
            return;
        }
        const manifest = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
        if (request.method !== "HEAD" || !manifest) {
            response.writeHead(404).end();
            return;
        }
        const [, repository, tag] = manifest;
        const scope = `repository:${repository}:pull`;
        const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
        if (!token || tokens.get(token) !== scope) {
            const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
            response.writeHead(401, { "WWW-Authenticate": `Bearer realm="${realm}",service="${FAKE_REGISTRY_SERVICE}",scope="${scope}"` }).end();
            return;
        }
        const digest = tags.get(repository)?.get(tag);
        // Docker Hub answers an index only to a client that accepts one.
        if (!digest || !(request.headers.accept ?? "").includes(OCI_INDEX)) {
            response.writeHead(404).end();
            return;
        }
        response.writeHead(200, { "Content-Type": OCI_INDEX, "Docker-Content-Digest": digest }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    server.unref();
    return {
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        tags,
        requests,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
