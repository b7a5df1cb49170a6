/**
 * An API Gateway HTTP API in front of the tasks, without a load balancer: a VPC link into the tasks' subnets, a
 * Cloud Map service the tasks register in with SRV records (ECS serviceRegistries), one proxy integration on the
 * $default route, stage throttling, and, with domainName, a custom domain on an ACM certificate.
 * Limits it puts on PostgREST: HTTP_API_LIMITS (config/ingress.ts) and docs/costs.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HTTP_API_LIMITS, HttpApiThrottling } from "./config/ingress";

/** The one Cloud Map service of the namespace; the HTTP API discovers the tasks through it. */
export const DISCOVERY_SERVICE_NAME = "postgrest";

/** Seconds a task's SRV record is cached; short, as tasks come and go on deploys and Spot interruptions. */
export const SRV_RECORD_TTL_SECONDS = 10;

export interface HttpApiArgs {
    /** VPC of the Cloud Map namespace (a Route 53 private zone). @default none, required */
    vpcId: pulumi.Input<string>;
    /** Subnets of the VPC link's network interfaces: the tasks' subnets. @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The VPC link's security group, the only one the tasks admit. @default none, required */
    vpcLinkSecurityGroupId: pulumi.Input<string>;
    /** Private DNS name of the Cloud Map namespace, unique in the VPC. @default none, required */
    namespaceName: string;
    /** Stage throttling. @default none, required */
    throttling: HttpApiThrottling;
    /** ACM certificate of the custom domain. @default undefined (no custom domain unless one is created from hostedZoneId) */
    certificateArn?: pulumi.Input<string>;
    /** The API's host name; with a certificate it becomes a custom domain and the default endpoint is turned off. @default undefined */
    domainName?: string;
    /** Route 53 zone of domainName, where the alias record is made. @default undefined (the user points the name) */
    hostedZoneId?: string;
}

export class HttpApi extends pulumi.ComponentResource {
    public readonly url: pulumi.Output<string>;
    /** The API's own endpoint (https://ID.execute-api.REGION.amazonaws.com), or the custom domain's target. */
    public readonly endpoint: pulumi.Output<string>;
    /** The Cloud Map service the ECS service registers its tasks in (serviceRegistries). */
    public readonly discoveryServiceArn: pulumi.Output<string>;
    /** The API's id: its CloudWatch dimension `ApiId`. */
    public readonly apiId: pulumi.Output<string>;

    constructor(name: string, args: HttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:HttpApi", name, {}, opts);
        const parent = { parent: this };

        const namespace = new aws.servicediscovery.PrivateDnsNamespace(
            `${name}`,
            { name: args.namespaceName, vpc: args.vpcId, description: "PostgREST tasks, found by the HTTP API's VPC link" },
            parent,
        );
        // SRV records carry the port: a private integration with Cloud Map needs them for a DNS namespace
        // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html).
        // ECS marks a task unhealthy in Cloud Map when its container health check fails (custom health check).
        const discovery = new aws.servicediscovery.Service(
            `${name}`,
            {
                name: DISCOVERY_SERVICE_NAME,
                dnsConfig: {
                    namespaceId: namespace.id,
                    dnsRecords: [{ type: "SRV", ttl: SRV_RECORD_TTL_SECONDS }],
                    routingPolicy: "MULTIVALUE",
                },
                healthCheckCustomConfig: {},
                // Cloud Map refuses to delete a service that still has instances; on destroy they go with it.
                forceDestroy: true,
            },
            parent,
        );
        const vpcLink = new aws.apigatewayv2.VpcLink(
            `${name}`,
            { name: `${name}`, subnetIds: args.subnetIds, securityGroupIds: [args.vpcLinkSecurityGroupId] },
            parent,
        );

        const customDomain = args.certificateArn !== undefined && args.domainName !== undefined;
        const api = new aws.apigatewayv2.Api(
            `${name}`,
            {
                protocolType: "HTTP",
                description: "PostgREST",
                // With a custom domain, clients use only it: the certificate's name, one URL in PostgREST's OpenAPI document.
                disableExecuteApiEndpoint: customDomain,
            },
            parent,
        );
        const integration = new aws.apigatewayv2.Integration(
            `${name}`,
            {
                apiId: api.id,
                integrationType: "HTTP_PROXY",
                integrationMethod: "ANY",
                integrationUri: discovery.arn,
                connectionType: "VPC_LINK",
                connectionId: vpcLink.id,
                payloadFormatVersion: "1.0",
                timeoutMilliseconds: HTTP_API_LIMITS.integrationTimeoutSeconds * 1000,
            },
            parent,
        );
        new aws.apigatewayv2.Route(
            `${name}`,
            { apiId: api.id, routeKey: "$default", target: pulumi.interpolate`integrations/${integration.id}` },
            parent,
        );
        // The $default stage serves at the root, so PostgREST sees the client's path unchanged.
        const stage = new aws.apigatewayv2.Stage(
            `${name}`,
            {
                apiId: api.id,
                name: "$default",
                autoDeploy: true,
                defaultRouteSettings: { throttlingRateLimit: args.throttling.rateLimit, throttlingBurstLimit: args.throttling.burstLimit },
            },
            parent,
        );

        if (customDomain) {
            const domain = new aws.apigatewayv2.DomainName(
                `${name}`,
                {
                    domainName: args.domainName!,
                    domainNameConfiguration: { certificateArn: args.certificateArn!, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
                },
                parent,
            );
            new aws.apigatewayv2.ApiMapping(`${name}`, { apiId: api.id, domainName: domain.id, stage: stage.id }, parent);
            if (args.hostedZoneId) {
                new aws.route53.Record(
                    `${name}-alias`,
                    {
                        zoneId: args.hostedZoneId,
                        name: args.domainName!,
                        type: "A",
                        aliases: [
                            {
                                name: domain.domainNameConfiguration.targetDomainName.apply((t) => t ?? ""),
                                zoneId: domain.domainNameConfiguration.hostedZoneId.apply((z) => z ?? ""),
                                evaluateTargetHealth: false,
                            },
                        ],
                    },
                    parent,
                );
            }
            this.url = pulumi.output(`https://${args.domainName}`);
            this.endpoint = domain.domainNameConfiguration.targetDomainName.apply((t) => t ?? "");
        } else {
            this.url = api.apiEndpoint;
            this.endpoint = api.apiEndpoint;
        }
        this.discoveryServiceArn = discovery.arn;
        this.apiId = api.id;
        this.registerOutputs({ url: this.url, endpoint: this.endpoint, discoveryServiceArn: this.discoveryServiceArn, apiId: this.apiId });
    }
}

/**
 * The Cloud Map namespace's name: a private DNS zone per stack, so two stacks in one VPC never claim the same
 * name. DNS labels take letters, digits and hyphens, at most 63 characters.
 */
export function discoveryNamespaceName(project: string, stack: string): string {
    const label = `${project}-${stack}`
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 63)
        .replace(/-+$/, "");
    return `${label}.internal`;
}
