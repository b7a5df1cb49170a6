/** How a container image reference reads, as Docker reads it. Pure. */

/** An image reference, normalised as Docker does (docker.io, library/ for official images). */
export interface ImageReference {
    /** Registry host, with port when given: docker.io, ghcr.io, registry.example.com:5000. */
    registry: string;
    /** Repository path in the registry: library/nginx, postgrest/postgrest. */
    repository: string;
    tag?: string;
    digest?: string;
}

export const DOCKER_HUB = "docker.io";

/** A content digest: sha256 and 64 hex digits (OCI image spec, descriptor digests). */
export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

/**
 * Splits `image` the way Docker reads a reference: the first path component is a registry when it has a dot or a
 * port, or is localhost; else the image is on Docker Hub, where a one-part name is an official (library/) image.
 */
export function parseImageReference(image: string): ImageReference {
    const [nameAndTag, digest] = image.split("@", 2) as [string, string | undefined];
    const lastSlash = nameAndTag.lastIndexOf("/");
    const tagColon = nameAndTag.indexOf(":", lastSlash + 1);
    const name = tagColon === -1 ? nameAndTag : nameAndTag.slice(0, tagColon);
    const tag = tagColon === -1 ? undefined : nameAndTag.slice(tagColon + 1);
    const [first, ...rest] = name.split("/");
    const firstIsRegistry = rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
    const registry = firstIsRegistry ? (first === "index.docker.io" ? DOCKER_HUB : first) : DOCKER_HUB;
    const path = firstIsRegistry ? rest.join("/") : name;
    const repository = registry === DOCKER_HUB && !path.includes("/") ? `library/${path}` : path;
    return { registry, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}
