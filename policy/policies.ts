/**
 * The product's security invariants, as policies that hold on any stack of
 * this program (and flag a hand edit or a new component that breaks one).
 * Pure functions of the resources' inputs; tests/policy.test.ts runs each
 * against the program's own resources under mocks.
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Env var names whose value is a credential: PostgREST's PGRST_DB_URI and PGRST_JWT_SECRET, and the usual suffixes. */
const SECRET_ENV_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_KEY|(^|_)DB_URI|DATABASE_URL)$/i;
/** A URL with a password in it: scheme://user:password@host. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;
const INTERNET = new Set(["0.0.0.0/0", "::/0"]);
const WEB_PORTS = new Set([80, 443]);

/** Why a plain env var (name, value) leaks a secret, or undefined when it does not. */
export function plainEnvLeak(name: string, value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") return undefined;
    if (URL_WITH_PASSWORD.test(value)) return `${name} holds a URL with a password`;
    // PostgREST reads a value that starts with "@" from that file (https://docs.postgrest.org/en/stable/references/configuration.html#environment-variables).
    if (SECRET_ENV_NAME.test(name) && !value.startsWith("@/")) return `${name} is a secret in a plain environment variable`;
    return undefined;
}

function parseJson(value: unknown): any {
    if (typeof value !== "string") return value;
    try {
        return JSON.parse(value);
    } catch {
        return undefined;
    }
}

const noSecretsInPlainEnv: ResourceValidationPolicy = {
    name: "no-secrets-in-plain-env",
    description:
        "Secrets reach containers through the cloud's secret store (ECS `secrets`, Cloud Run secret volumes or `valueSource`), never as a plain environment value.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const fix = "reference the secret from Secrets Manager / Secret Manager instead (components/aws/secrets.ts, components/gcp/secrets.ts)";
        if (args.type === "aws:ecs/taskDefinition:TaskDefinition") {
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
            const containers = parseJson(args.props.containerDefinitions);
            for (const container of Array.isArray(containers) ? containers : []) {
                for (const env of container.environment ?? []) {
                    const leak = plainEnvLeak(String(env.name), env.value);
                    if (leak) reportViolation(`container ${container.name}: ${leak}; ${fix}`);
                }
            }
        }
        if (args.type === "gcp:cloudrunv2/service:Service") {
            // https://cloud.google.com/run/docs/configuring/services/secrets
            for (const container of args.props.template?.containers ?? []) {
                for (const env of container.envs ?? []) {
                    const leak = plainEnvLeak(String(env.name), env.value);
                    if (leak) reportViolation(`container ${container.name ?? "0"}: ${leak}; ${fix}`);
                }
            }
        }
        if (args.type === "gcp:cloudfunctionsv2/function:Function") {
            // A function is a Cloud Run service too, and its build environment is kept with the build
            // (https://cloud.google.com/functions/docs/configuring/env-var).
            const environments = { runtime: args.props.serviceConfig?.environmentVariables, build: args.props.buildConfig?.environmentVariables };
            for (const [stage, environment] of Object.entries(environments)) {
                for (const [name, value] of Object.entries(environment ?? {})) {
                    const leak = plainEnvLeak(name, value);
                    if (leak) reportViolation(`function ${args.name} (${stage}): ${leak}; ${fix}`);
                }
            }
        }
    },
};

/** Ports [from, to] a rule opens, or undefined for all ports (protocol -1). */
function portRange(rule: { fromPort?: number; toPort?: number; ipProtocol?: string; protocol?: string }): [number, number] | undefined {
    const protocol = String(rule.ipProtocol ?? rule.protocol ?? "");
    if (protocol === "-1" || protocol === "all") return undefined;
    return [Number(rule.fromPort), Number(rule.toPort)];
}

const internetIngressOnlyToLoadBalancer: StackValidationPolicy = {
    name: "internet-ingress-only-web-ports-to-load-balancer",
    description:
        "Only the load balancer is reachable from the internet, and only on ports 80 and 443; the service itself takes traffic from the load balancer only.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const loadBalancerGroups = new Set(
            args.resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer").flatMap((r) => (r.props.securityGroups ?? []) as string[]),
        );
        const check = (resource: PolicyResource, groupId: string | undefined, rule: Record<string, any>, cidrs: string[]) => {
            if (!cidrs.some((cidr) => INTERNET.has(cidr))) return;
            const ports = portRange(rule);
            // https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
            if (!ports || ports[0] !== ports[1] || !WEB_PORTS.has(ports[0])) {
                reportViolation(
                    `${resource.name}: opens ${ports ? `ports ${ports[0]}-${ports[1]}` : "every port"} to the internet; only 80 and 443 may be open, and only on the load balancer`,
                    resource.urn,
                );
            } else if (groupId !== undefined && !loadBalancerGroups.has(groupId)) {
                reportViolation(
                    `${resource.name}: opens port ${ports[0]} to the internet on a security group that is not the load balancer's; admit the internet on the load balancer and only its security group on the service`,
                    resource.urn,
                );
            }
        };
        for (const resource of args.resources) {
            if (resource.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
                check(resource, resource.props.securityGroupId, resource.props, [resource.props.cidrIpv4, resource.props.cidrIpv6].filter(Boolean));
            }
            if (resource.type === "aws:ec2/securityGroup:SecurityGroup") {
                // An inline rule's group id is not an input, so only its ports are checked.
                for (const rule of resource.props.ingress ?? [])
                    check(resource, undefined, rule, [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])]);
            }
        }
        // Behind a load balancer, Cloud Run must refuse direct traffic (https://cloud.google.com/run/docs/securing/ingress).
        if (args.resources.some((r) => r.type === "gcp:compute/globalForwardingRule:GlobalForwardingRule")) {
            for (const service of args.resources.filter((r) => r.type === "gcp:cloudrunv2/service:Service")) {
                if (service.props.ingress !== "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER") {
                    reportViolation(
                        `${service.name}: ingress is ${service.props.ingress ?? "INGRESS_TRAFFIC_ALL (the default)"} behind a load balancer; set INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`,
                        service.urn,
                    );
                }
            }
        }
    },
};

/** IAM policy statements, whether the document is JSON text or an object. */
function statements(document: unknown): Record<string, any>[] {
    const parsed = parseJson(document);
    const list = parsed?.Statement;
    return Array.isArray(list) ? list : list ? [list] : [];
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

const secretAccessScoped: ResourceValidationPolicy = {
    name: "secret-access-scoped-to-named-secrets",
    description: "Reading secrets is granted on the named secrets only: no wildcard resource on AWS, no project-wide secretAccessor on GCP.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === "aws:iam/rolePolicy:RolePolicy" || args.type === "aws:iam/policy:Policy") {
            for (const statement of statements(args.props.policy)) {
                if (statement.Effect !== "Allow") continue;
                const readsSecrets = asList(statement.Action).some((action) =>
                    /^(\*|secretsmanager:\*|secretsmanager:GetSecretValue)$/i.test(action),
                );
                // https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
                // ("?" is allowed: `-??????` stands for the random suffix of one named secret's ARN.)
                const wildcard = asList(statement.Resource).filter((resource) => resource.includes("*"));
                if (readsSecrets && wildcard.length > 0)
                    reportViolation(`${args.name}: grants reading secrets on ${wildcard.join(", ")}; name each secret's ARN`);
            }
        }
        if (args.type === "gcp:projects/iAMMember:IAMMember" || args.type === "gcp:projects/iAMBinding:IAMBinding") {
            // https://cloud.google.com/secret-manager/docs/access-control
            if (args.props.role === "roles/secretmanager.secretAccessor")
                reportViolation(
                    `${args.name}: grants roles/secretmanager.secretAccessor on the whole project; grant it per secret (gcp.secretmanager.SecretIamMember)`,
                );
        }
    },
};

/** Project-wide roles no service account of this program needs (https://cloud.google.com/iam/docs/understanding-roles#basic). */
const BROAD_PROJECT_ROLES = new Set(["roles/owner", "roles/editor", "roles/secretmanager.secretAccessor"]);

const noBroadProjectRoles: ResourceValidationPolicy = {
    name: "no-project-wide-owner-editor-or-secret-accessor",
    description: "No service account gets owner, editor or secretAccessor on the whole project.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type === "gcp:projects/iAMMember:IAMMember" || args.type === "gcp:projects/iAMBinding:IAMBinding") {
            const members = [...asList(args.props.member), ...asList(args.props.members)];
            if (BROAD_PROJECT_ROLES.has(args.props.role) && members.some((m) => m.startsWith("serviceAccount:"))) {
                reportViolation(
                    `${args.name}: gives ${members.join(", ")} ${args.props.role} on the project; grant a narrower role on the resource it needs`,
                );
            }
        }
        if (args.type === "gcp:projects/iAMPolicy:IAMPolicy") {
            for (const binding of parseJson(args.props.policyData)?.bindings ?? []) {
                if (BROAD_PROJECT_ROLES.has(binding.role) && asList(binding.members).some((m) => m.startsWith("serviceAccount:"))) {
                    reportViolation(
                        `${args.name}: gives service accounts ${binding.role} on the project; grant a narrower role on the resource it needs`,
                    );
                }
            }
        }
    },
};

const cloudRunMaxInstances: ResourceValidationPolicy = {
    name: "cloud-run-max-instances-set",
    description: "Every Cloud Run service and function caps its instances, so a burst cannot exhaust the database's connections or the budget.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        // https://cloud.google.com/run/docs/configuring/max-instances
        if (args.type === "gcp:cloudrunv2/service:Service") {
            const max = args.props.template?.scaling?.maxInstanceCount ?? args.props.scaling?.maxInstanceCount;
            if (!(Number(max) > 0)) reportViolation(`${args.name}: no max instance count; set service.maxInstances in the stack config`);
        }
        if (args.type === "gcp:cloudfunctionsv2/function:Function" && !(Number(args.props.serviceConfig?.maxInstanceCount) > 0))
            reportViolation(`${args.name}: no max instance count; set serviceConfig.maxInstanceCount (components/gcp/in-network-admin.ts)`);
    },
};

const httpOnlyLoadBalancer: StackValidationPolicy = {
    name: "load-balancer-serves-https",
    description: "A load balancer without HTTPS sends tokens and data in clear text (advisory: fine for a first try).",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const has = (type: string, match: (r: PolicyResource) => boolean = () => true) => args.resources.some((r) => r.type === type && match(r));
        if (has("aws:lb/loadBalancer:LoadBalancer") && !has("aws:lb/listener:Listener", (r) => r.props.protocol === "HTTPS")) {
            reportViolation("the load balancer serves HTTP only; set aws.certificateArn and aws.domainName (docs/aws.md, HTTPS)");
        }
        if (has("gcp:compute/globalForwardingRule:GlobalForwardingRule") && !has("gcp:compute/targetHttpsProxy:TargetHttpsProxy")) {
            reportViolation("the load balancer serves HTTP only; set gcp.loadBalancer.domain for a managed certificate (docs/configuration.md, gcp)");
        }
    },
};

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    noSecretsInPlainEnv,
    internetIngressOnlyToLoadBalancer,
    secretAccessScoped,
    noBroadProjectRoles,
    cloudRunMaxInstances,
    httpOnlyLoadBalancer,
];
