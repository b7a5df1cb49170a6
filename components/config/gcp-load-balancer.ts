/**
 * The `gcp.loadBalancer` block: a global external Application Load Balancer
 * in front of the service, with a managed certificate for one domain.
 */
import { DEFAULT_BACKEND_REF } from "./gcp-rules";
import { isHostName } from "./host-name";
import { Problems, describe, readObject, readString, rejectUnknownKeys } from "./problems";

/** Defaults of the `gcp.loadBalancer` block. */
export const LOAD_BALANCER_DEFAULTS = { pathPrefix: "/" } as const;

/** A global external Application Load Balancer in front of the service, routing a path prefix to it. */
export interface GcpLoadBalancer {
    /** Host name of the Google-managed certificate; its DNS A record must point at the load balancer's address. */
    domain: string;
    /** Requests under this path go to PostgREST, with the prefix stripped; "/" sends everything. */
    pathPrefix: string;
    /** Backend service or bucket (path or URL) for every other path; undefined: PostgREST serves everything. */
    defaultBackend?: string;
}

const LOAD_BALANCER_KEYS = ["domain", "pathPrefix", "defaultBackend"];

export function parseLoadBalancer(value: unknown, key: string, problems: Problems): GcpLoadBalancer | undefined {
    const example = "loadBalancer: { domain: api.example.com, pathPrefix: /rest, defaultBackend: projects/my-project/global/backendServices/web }";
    const obj = readObject(value, key, problems, example);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, LOAD_BALANCER_KEYS, problems);
    const before = problems.count;

    const domain = readString(obj, "domain", key, problems, { example: "domain: api.example.com (the host name the managed certificate is issued for)" });
    // Google-managed SSL certificates take no wildcard domains (Compute Engine docs, Google-managed SSL certificates).
    const domainProblem =
        domain === undefined
            ? undefined
            : domain.includes("*")
              ? "a Google-managed certificate cannot cover a wildcard domain; name one host"
              : isHostName(domain) && domain === domain.toLowerCase()
                ? undefined
                : `${describe(domain)} is not a lower-case host name such as api.example.com`;
    if (domainProblem) problems.add(`${key}.domain`, domainProblem, "domain: api.example.com");

    const pathPrefix = readString(obj, "pathPrefix", key, problems, { default: LOAD_BALANCER_DEFAULTS.pathPrefix, example: "pathPrefix: /rest" });
    const prefixProblem = pathPrefix === undefined ? undefined : pathPrefixProblem(pathPrefix);
    if (prefixProblem) problems.add(`${key}.pathPrefix`, prefixProblem, "pathPrefix: /rest");

    const defaultBackend = readString(obj, "defaultBackend", key, problems, { optional: true, example: "defaultBackend: projects/my-project/global/backendServices/web" });
    if (defaultBackend !== undefined && !DEFAULT_BACKEND_REF.test(defaultBackend)) {
        problems.add(
            `${key}.defaultBackend`,
            `${describe(defaultBackend)} is not a global backend service or bucket path (projects/P/global/backendServices/NAME)`,
            "defaultBackend: projects/my-project/global/backendServices/web",
        );
    }
    if (defaultBackend !== undefined && pathPrefix === "/") {
        problems.add(`${key}.pathPrefix`, "is /, so every path goes to PostgREST and defaultBackend would get nothing", "pathPrefix: /rest");
    }
    if (problems.count > before) return undefined;
    return { domain: domain!, pathPrefix: pathPrefix!, defaultBackend };
}

/** Why `prefix` cannot route to PostgREST, or undefined: "/" or "/segment[/segment...]" without a trailing slash. */
export function pathPrefixProblem(prefix: string): string | undefined {
    if (prefix === "/") return undefined;
    if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix)) {
        return `${describe(prefix)} must be "/" or a path such as /rest or /api/data: starting with /, no trailing /, no wildcards`;
    }
    return undefined;
}

