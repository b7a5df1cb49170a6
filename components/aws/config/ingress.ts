/**
 * `aws.ingress`: how requests reach the tasks. A load balancer of the stack's own (the default), a rule on a
 * listener of an Application Load Balancer the user already runs, or an API Gateway HTTP API with a VPC link.
 * Each front door's AWS limits are checked here, each citing its public page.
 */
import { checkId } from "./rules";
import { isHostName } from "../../config/host-name";
import { JsonObject, Problems, describeValue, isObject, readNumber, readObject, readString, rejectUnknownKeys } from "../../config/problems";
import { ServiceConfig } from "../../config/service";

export const INGRESS_TYPES = ["load-balancer", "shared-load-balancer", "http-api"] as const;
export type IngressType = (typeof INGRESS_TYPES)[number];

/** A listener rule on the user's Application Load Balancer, forwarding to this stack's target group. */
export interface SharedLoadBalancer {
    /** ARN of the ALB listener (HTTP or HTTPS) the rule is added to. */
    listenerArn: string;
    /** The load balancer's security group: the only source the tasks admit. */
    securityGroupId: string;
    /** Host header the rule matches, such as api.example.com. */
    host?: string;
    /** Path prefix the rule matches, such as /api; stripped before the request reaches PostgREST. */
    pathPrefix?: string;
    /** Rule priority on the listener, unique on it; lower is evaluated first. */
    priority: number;
}

/** The HTTP API's stage throttling, requests per second across all clients. */
export interface HttpApiThrottling {
    rateLimit: number;
    burstLimit: number;
}

export type Ingress =
    { type: "load-balancer" } | ({ type: "shared-load-balancer" } & SharedLoadBalancer) | { type: "http-api"; throttling: HttpApiThrottling };

export const INGRESS_DEFAULTS = {
    type: "load-balancer",
    /** Stage throttling: well under the account's 10,000 requests per second, above what one small task serves. */
    httpApi: { rateLimit: 100, burstLimit: 200 },
} as const;

/**
 * API Gateway HTTP API quotas (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html):
 * the integration timeout, the payload size and the request line plus headers; none can be raised.
 */
export const HTTP_API_LIMITS = { integrationTimeoutSeconds: 30, payloadBytes: 10 * 1024 * 1024, requestLineAndHeadersBytes: 10240 } as const;

/** A VPC link without traffic for 60 days becomes INACTIVE (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html). */
export const VPC_LINK_INACTIVE_AFTER_DAYS = 60;

// Listener rule priorities run from 1 to 50000 (ELBv2 API reference, CreateRule, Priority).
export const LISTENER_RULE_PRIORITY = { min: 1, max: 50000 } as const;

// Account-level throttle of HTTP APIs per Region: 10,000 requests per second, burst 5,000
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
const ACCOUNT_THROTTLE = { rateLimit: 10000, burstLimit: 5000 } as const;

const SHARED_KEYS = ["listenerArn", "securityGroupId", "host", "pathPrefix", "priority"];
const HTTP_API_KEYS = ["rateLimit", "burstLimit"];

/** Reads `ingress`, `sharedLoadBalancer` and `httpApi` of the `aws` block at `key`. */
export function parseIngress(obj: JsonObject, key: string, problems: Problems): Ingress | undefined {
    const before = problems.count;
    const typeValue = obj.ingress ?? INGRESS_DEFAULTS.type;
    if (typeof typeValue !== "string" || !(INGRESS_TYPES as readonly string[]).includes(typeValue)) {
        problems.add(`${key}.ingress`, `${describeValue(typeValue)} is not one of ${INGRESS_TYPES.join(", ")}`, "ingress: http-api");
        return undefined;
    }
    const type = typeValue as IngressType;
    // A block of another front door is refused, and its keys still checked, so a typo there is named too.
    if (obj.sharedLoadBalancer !== undefined && type !== "shared-load-balancer") {
        problems.add(
            `${key}.sharedLoadBalancer`,
            `applies only to ingress: shared-load-balancer, and ingress is ${type}`,
            "ingress: shared-load-balancer",
        );
        if (isObject(obj.sharedLoadBalancer)) rejectUnknownKeys(obj.sharedLoadBalancer, `${key}.sharedLoadBalancer`, SHARED_KEYS, problems);
    }
    if (obj.httpApi !== undefined && type !== "http-api") {
        problems.add(`${key}.httpApi`, `applies only to ingress: http-api, and ingress is ${type}`, "ingress: http-api");
        if (isObject(obj.httpApi)) rejectUnknownKeys(obj.httpApi, `${key}.httpApi`, HTTP_API_KEYS, problems);
    }
    // The shared listener holds its own certificate and DNS name; the stack creates neither.
    if (type === "shared-load-balancer") {
        for (const field of ["certificateArn", "hostedZoneId", "domainName"]) {
            if (obj[field] !== undefined) {
                problems.add(
                    `${key}.${field}`,
                    "does not apply to ingress: shared-load-balancer: the shared listener has its certificate and name; set sharedLoadBalancer.host instead",
                    `remove ${field}; sharedLoadBalancer: { host: api.example.com }`,
                );
            }
        }
    }
    if (type === "load-balancer") return problems.count > before ? undefined : { type };
    if (type === "http-api") {
        const throttling = parseThrottling(obj.httpApi ?? {}, `${key}.httpApi`, problems);
        return problems.count > before || !throttling ? undefined : { type, throttling };
    }
    if (obj.sharedLoadBalancer === undefined) {
        problems.add(
            `${key}.sharedLoadBalancer`,
            "is required with ingress: shared-load-balancer: which listener, which group, which rule",
            SHARED_EXAMPLE,
        );
        return undefined;
    }
    const shared = parseSharedLoadBalancer(obj.sharedLoadBalancer, `${key}.sharedLoadBalancer`, problems);
    return problems.count > before || !shared ? undefined : { type, ...shared };
}

const SHARED_EXAMPLE =
    "sharedLoadBalancer: { listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2, " +
    "securityGroupId: sg-0123456789abcdef0, host: api.example.com, priority: 100 }";

function parseSharedLoadBalancer(value: unknown, key: string, problems: Problems): SharedLoadBalancer | undefined {
    const obj = readObject(value, key, problems, SHARED_EXAMPLE);
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, SHARED_KEYS, problems);
    const before = problems.count;
    const listenerArn = readString(obj, "listenerArn", key, problems, { example: SHARED_EXAMPLE });
    // An Application Load Balancer listener's ARN (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html):
    // a Network Load Balancer (listener/net/...) has no listener rules.
    if (listenerArn !== undefined && !isApplicationListenerArn(listenerArn)) {
        problems.add(
            `${key}.listenerArn`,
            `${describeValue(listenerArn)} is not an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)`,
            "listenerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/50dc6c495c0c9188/f2f7dc8efc522ab2",
        );
    }
    const securityGroupId = readString(obj, "securityGroupId", key, problems, {
        example: "securityGroupId: sg-0123456789abcdef0 (the load balancer's)",
    });
    checkId(securityGroupId, "sg", `${key}.securityGroupId`, "security group id", problems);
    const host = readString(obj, "host", key, problems, { optional: true, example: "host: api.example.com" });
    if (host !== undefined && !isHostName(host)) {
        problems.add(
            `${key}.host`,
            `${describeValue(host)} is not a host name such as api.example.com (no scheme, no path)`,
            "host: api.example.com",
        );
    }
    const pathPrefix = readString(obj, "pathPrefix", key, problems, { optional: true, example: "pathPrefix: /api" });
    if (pathPrefix !== undefined && !/^(\/[A-Za-z0-9._~-]+)+$/.test(pathPrefix)) {
        problems.add(
            `${key}.pathPrefix`,
            `${describeValue(pathPrefix)} is not a path prefix such as /api: a leading slash, no trailing slash, no wildcards`,
            "pathPrefix: /api",
        );
    }
    // Without a condition the rule would take every request of the listener, which belongs to other services too.
    if (obj.host === undefined && obj.pathPrefix === undefined) {
        problems.add(
            key,
            "needs host, pathPrefix or both: the rule must match only this API's requests on a listener other services share",
            "host: api.example.com",
        );
    }
    const priority = readNumber(obj, "priority", key, problems, {
        integer: true,
        min: LISTENER_RULE_PRIORITY.min,
        max: LISTENER_RULE_PRIORITY.max,
        example: "priority: 100 (unique on the listener)",
    });
    if (problems.count > before) return undefined;
    return { listenerArn: listenerArn!, securityGroupId: securityGroupId!, host, pathPrefix, priority: priority! };
}

export function isApplicationListenerArn(arn: string): boolean {
    return /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[A-Za-z0-9-]+\/[0-9a-f]+\/[0-9a-f]+$/.test(arn);
}

/** `app/<name>/<id>`, the load balancer part of a listener ARN: half of ALBRequestCountPerTarget's resource label. */
export function loadBalancerArnSuffixOfListener(listenerArn: string): string {
    const [, name, id] = listenerArn.split(":").slice(5).join(":").split("/").slice(1);
    return `app/${name}/${id}`;
}

function parseThrottling(value: unknown, key: string, problems: Problems): HttpApiThrottling | undefined {
    const obj = readObject(value, key, problems, "httpApi: { rateLimit: 100, burstLimit: 200 }");
    if (!obj) return undefined;
    rejectUnknownKeys(obj, key, HTTP_API_KEYS, problems);
    const before = problems.count;
    const rateLimit = readNumber(obj, "rateLimit", key, problems, {
        default: INGRESS_DEFAULTS.httpApi.rateLimit,
        min: 1,
        max: ACCOUNT_THROTTLE.rateLimit,
        example: "rateLimit: 100",
    });
    const burstLimit = readNumber(obj, "burstLimit", key, problems, {
        default: INGRESS_DEFAULTS.httpApi.burstLimit,
        integer: true,
        min: 1,
        max: ACCOUNT_THROTTLE.burstLimit,
        example: "burstLimit: 200",
    });
    if (problems.count > before) return undefined;
    return { rateLimit: rateLimit!, burstLimit: burstLimit! };
}

/**
 * What an HTTP API in front of PostgREST asks of the service block: a response must fit the 10 MB payload, so
 * db-max-rows caps every read; a request waiting for a pool connection longer than the 30 s integration timeout is
 * answered 504 by API Gateway while PostgREST still works on it (HTTP_API_LIMITS).
 */
export function checkServiceBehindHttpApi(service: ServiceConfig, serviceKey: string, problems: Problems): void {
    if (service.settings["db-max-rows"] === undefined) {
        problems.add(
            `${serviceKey}.settings.db-max-rows`,
            "is required with aws.ingress http-api: API Gateway refuses responses over 10 MB, so a read of a large table would fail; cap the rows a request returns",
            "settings: { db-max-rows: 1000 }",
        );
    }
    const acquisition = service.settings["db-pool-acquisition-timeout"];
    if (acquisition !== undefined && Number(acquisition) >= HTTP_API_LIMITS.integrationTimeoutSeconds) {
        problems.add(
            `${serviceKey}.settings.db-pool-acquisition-timeout`,
            `(${acquisition} s) must stay under API Gateway's ${HTTP_API_LIMITS.integrationTimeoutSeconds} s integration timeout with aws.ingress http-api, or clients get 504 while the request still runs`,
            "db-pool-acquisition-timeout: 10",
        );
    }
}
