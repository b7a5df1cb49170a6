/**
 * The `gcp.loadBalancer` block: a global external Application Load Balancer
 * in front of the service, with a managed certificate for one domain.
 */
import { DEFAULT_BACKEND_REF } from "./rules";
import { isHostName } from "../../config/host-name";
import { Problems, describeValue, readObject, readString, rejectUnknownKeys } from "../../config/problems";

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
    /** A Cloud Run service for every other path, reached through a serverless NEG made for it (instead of defaultBackend). */
    defaultCloudRunService?: CloudRunServiceRef;
}

/** A Cloud Run service by name; project and region default to the provider's and the PostgREST service's. */
export interface CloudRunServiceRef {
    name: string;
    project?: string;
    region?: string;
}

// Cloud Run service names: lower-case letters, digits and hyphens, starting with a letter, at most 49 characters
// (https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services, serviceId); or its full path.
const CLOUD_RUN_SERVICE =
    /^(?:projects\/([a-z][-a-z0-9]{4,28}[a-z0-9])\/locations\/([a-z]+-[a-z]+\d+)\/services\/)?([a-z](?:[-a-z0-9]{0,47}[a-z0-9])?)$/;

/** Reads `fastapi` or `projects/P/locations/R/services/fastapi`, or undefined when it is neither. */
export function parseCloudRunServiceRef(text: string): CloudRunServiceRef | undefined {
    const match = CLOUD_RUN_SERVICE.exec(text);
    if (!match) return undefined;
    return { name: match[3], ...(match[1] ? { project: match[1], region: match[2] } : {}) };
}

const LOAD_BALANCER_KEYS = ["domain", "pathPrefix", "defaultBackend", "defaultCloudRunService"];

export function parseLoadBalancer(value: unknown, key: string, problems: Problems): GcpLoadBalancer | undefined {
    const example = "loadBalancer: { domain: api.example.com, pathPrefix: /rest, defaultBackend: projects/my-project/global/backendServices/web }";
    const obj = readObject(value, key, problems, example);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, LOAD_BALANCER_KEYS, problems);
    const before = problems.count;

    const domain = readString(obj, "domain", key, problems, {
        example: "domain: api.example.com (the host name the managed certificate is issued for)",
    });
    // Google-managed SSL certificates take no wildcard domains (Compute Engine docs, Google-managed SSL certificates).
    const domainProblem =
        domain === undefined
            ? undefined
            : domain.includes("*")
              ? "a Google-managed certificate cannot cover a wildcard domain; name one host"
              : isHostName(domain) && domain === domain.toLowerCase()
                ? undefined
                : `${describeValue(domain)} is not a lower-case host name such as api.example.com`;
    if (domainProblem) problems.add(`${key}.domain`, domainProblem, "domain: api.example.com");

    const pathPrefix = readString(obj, "pathPrefix", key, problems, { default: LOAD_BALANCER_DEFAULTS.pathPrefix, example: "pathPrefix: /rest" });
    const prefixProblem = pathPrefix === undefined ? undefined : pathPrefixProblem(pathPrefix);
    if (prefixProblem) problems.add(`${key}.pathPrefix`, prefixProblem, "pathPrefix: /rest");

    const defaultBackend = readString(obj, "defaultBackend", key, problems, {
        optional: true,
        example: "defaultBackend: projects/my-project/global/backendServices/web",
    });
    if (defaultBackend !== undefined && !DEFAULT_BACKEND_REF.test(defaultBackend)) {
        problems.add(
            `${key}.defaultBackend`,
            `${describeValue(defaultBackend)} is not a global backend service or bucket path (projects/P/global/backendServices/NAME)`,
            "defaultBackend: projects/my-project/global/backendServices/web",
        );
    }
    const serviceText = readString(obj, "defaultCloudRunService", key, problems, { optional: true, example: "defaultCloudRunService: fastapi" });
    const defaultCloudRunService = serviceText === undefined ? undefined : parseCloudRunServiceRef(serviceText);
    if (serviceText !== undefined && !defaultCloudRunService) {
        problems.add(
            `${key}.defaultCloudRunService`,
            `${describeValue(serviceText)} is not a Cloud Run service name or projects/P/locations/R/services/NAME path`,
            "defaultCloudRunService: fastapi",
        );
    }
    if (defaultBackend !== undefined && serviceText !== undefined) {
        problems.add(
            `${key}.defaultCloudRunService`,
            "and defaultBackend both name where other paths go; keep one",
            "defaultCloudRunService: fastapi (and no defaultBackend)",
        );
    }
    for (const field of ["defaultBackend", "defaultCloudRunService"]) {
        if (obj[field] !== undefined && pathPrefix === "/") {
            problems.add(`${key}.pathPrefix`, `is /, so every path goes to PostgREST and ${field} would get nothing`, "pathPrefix: /api");
        }
    }
    if (problems.count > before) return undefined;
    return { domain: domain!, pathPrefix: pathPrefix!, defaultBackend, defaultCloudRunService };
}

/** Why `prefix` cannot route to PostgREST, or undefined: "/" or "/segment[/segment...]" without a trailing slash. */
export function pathPrefixProblem(prefix: string): string | undefined {
    if (prefix === "/") return undefined;
    if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(prefix)) {
        return `${describeValue(prefix)} must be "/" or a path such as /rest or /api/data: starting with /, no trailing /, no wildcards`;
    }
    return undefined;
}
