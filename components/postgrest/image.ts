/**
 * The image by digest: a tag is resolved to the digest its registry names now, so a re-pushed tag cannot change what
 * runs, and a tag that does not exist fails the preview instead of the pull. Spoken to the registry directly with the
 * Docker Registry HTTP API v2 (https://distribution.github.io/distribution/spec/api/): a HEAD on the manifest, after the
 * anonymous token handshake its 401 asks for (https://distribution.github.io/distribution/spec/auth/token/). Not
 * @pulumi/docker's getRegistryImage: a provider function would be a mock under test, so the resolution itself would go
 * unproven, and it would load a provider plugin into every preview.
 */
import * as pulumi from "@pulumi/pulumi";
import { DIGEST_PATTERN, DOCKER_HUB, parseImageReference } from "../model/image-reference";

/** The image as `name@digest`, the name written as in `image` (its tag dropped): what the task or revision runs. */
export function pinnedImage(image: string, digest: string): string {
    const nameAndTag = image.split("@")[0];
    const lastSlash = nameAndTag.lastIndexOf("/");
    const tagColon = nameAndTag.indexOf(":", lastSlash + 1);
    return `${tagColon === -1 ? nameAndTag : nameAndTag.slice(0, tagColon)}@${digest}`;
}

/** The registry's API base: Docker Hub serves it from registry-1.docker.io, every other registry from its own host. */
export function registryEndpoint(registry: string): string {
    return registry === DOCKER_HUB ? "https://registry-1.docker.io" : `https://${registry}`;
}

/** Multi-platform indexes first: the digest of the index covers every architecture a task may run on. */
const MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

export interface ResolveOptions {
    /** The registry's API base URL. @default registryEndpoint(reference.registry) */
    endpoint?: string;
    /** The HTTP client. @default globalThis.fetch */
    fetch?: typeof fetch;
}

/** Resolves `image` (with a tag) to the digest its registry serves for that tag now. */
export async function resolveDigest(image: string, options: ResolveOptions = {}): Promise<string> {
    const reference = parseImageReference(image);
    if (reference.digest) return reference.digest;
    if (!reference.tag) throw new Error(`service.image "${image}" has no tag to resolve`);
    const http = options.fetch ?? fetch;
    const url = `${options.endpoint ?? registryEndpoint(reference.registry)}/v2/${reference.repository}/manifests/${reference.tag}`;
    const head = (authorization?: string) =>
        http(url, { method: "HEAD", headers: { Accept: MANIFEST_TYPES.join(", "), ...(authorization && { Authorization: authorization }) } });
    const fail = (problem: string) =>
        new Error(
            `service.image "${image}": ${problem}. Fix the tag, give the image by digest (name@sha256:...), ` +
                "or set service.resolveDigest false to deploy the tag unresolved",
        );

    let response: Response;
    try {
        response = await head();
        if (response.status === 401) response = await head(await bearerToken(response.headers.get("www-authenticate"), http, fail));
    } catch (error) {
        if (error instanceof Error && error.message.startsWith(`service.image "${image}"`)) throw error;
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw fail(`the registry at ${new URL(url).origin} could not be reached (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
    if (response.status === 404) throw fail(`the tag "${reference.tag}" does not exist in ${reference.registry}/${reference.repository}`);
    if (response.status === 401 || response.status === 403)
        throw fail(`${reference.registry} refuses an anonymous read of ${reference.repository} (HTTP ${response.status})`);
    if (!response.ok) throw fail(`${reference.registry} answered HTTP ${response.status} for the manifest`);
    const digest = response.headers.get("docker-content-digest");
    if (!digest || !DIGEST_PATTERN.test(digest))
        throw fail(`${reference.registry} named no sha256 digest (Docker-Content-Digest: ${digest ?? "none"})`);
    return digest;
}

/** The token a 401's `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge asks for, fetched anonymously. */
async function bearerToken(challenge: string | null, http: typeof fetch, fail: (problem: string) => Error): Promise<string> {
    if (!challenge || !/^Bearer\s/i.test(challenge))
        throw fail(`the registry asks for credentials other than a bearer token (${challenge ?? "no challenge"})`);
    const parameters = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
    if (!parameters.realm) throw fail("the registry's token challenge names no realm");
    const tokenUrl = new URL(parameters.realm);
    for (const name of ["service", "scope"]) if (parameters[name]) tokenUrl.searchParams.set(name, parameters[name]);
    const response = await http(tokenUrl);
    if (!response.ok) throw fail(`the token service ${tokenUrl.origin} answered HTTP ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw fail(`the token service ${tokenUrl.origin} returned no token`);
    return `Bearer ${token}`;
}

/**
 * Registries to reach at another address, as JSON `{"docker.io": "https://mirror.example.com"}`: a registry mirror, or a
 * local registry in tests.
 */
export const REGISTRY_ENDPOINTS_VARIABLE = "POSTGREST_REGISTRY_ENDPOINTS";

/**
 * The image the task or revision runs: the configured image pinned to the digest its tag names now, or as given when it
 * is a digest already or service.resolveDigest is false.
 */
export function imageToRun(service: { image: string; resolveDigest: boolean }): pulumi.Output<string> {
    const reference = parseImageReference(service.image);
    if (reference.digest !== undefined || !service.resolveDigest) return pulumi.output(service.image);
    const endpoints = JSON.parse(process.env[REGISTRY_ENDPOINTS_VARIABLE] || "{}") as Record<string, string>;
    const resolved = resolveDigest(service.image, { endpoint: endpoints[reference.registry] });
    return pulumi.output(resolved.then((digest) => pinnedImage(service.image, digest)));
}
