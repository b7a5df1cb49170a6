/**
 * A global external Application Load Balancer in front of the service: a serverless NEG for Cloud Run, a URL map that sends a path
 * prefix to PostgREST (stripped, as PostgREST serves at /) and the rest to
 * another backend, a Google-managed certificate, TLS 1.2 or later, and HTTP → HTTPS redirect.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpLoadBalancer } from "./config/load-balancer";
import { HTTPS_PORT, HTTP_PORT } from "../postgrest/ports";

type UrlMapRouting = Pick<gcp.compute.URLMapArgs, "defaultService" | "hostRules" | "pathMatchers">;

export const PATH_MATCHER = "postgrest";

/**
 * TLS 1.2 or later with the MODERN profile's forward-secret ciphers, as AWS's listener (TLS_POLICY): without an SSL policy
 * the proxy takes Google's default, COMPATIBLE with TLS 1.0 (https://cloud.google.com/load-balancing/docs/ssl-policies-concepts).
 */
export const SSL_POLICY = { profile: "MODERN", minTlsVersion: "TLS_1_2" } as const;

/** The API's public base URL: https, the domain, and the prefix PostgREST is served under. */
export function loadBalancerUrl(lb: Pick<GcpLoadBalancer, "domain" | "pathPrefix">): string {
    return `https://${lb.domain}${lb.pathPrefix === "/" ? "" : lb.pathPrefix}`;
}

/**
 * The URL map's routing. With prefix "/", PostgREST gets everything. Else
 * `prefix` and `prefix/...` go to PostgREST with the prefix rewritten to "/"
 * (/rest/trees → /trees; URL map routeAction.urlRewrite.pathPrefixRewrite),
 * and every other path to the backend made for `defaultCloudRunService` (`cloudRunDefault`), or to
 * `defaultBackend`, or to PostgREST when none is given.
 */
export function urlMapRouting(lb: GcpLoadBalancer, postgrestBackend: pulumi.Input<string>, cloudRunDefault?: pulumi.Input<string>): UrlMapRouting {
    const fallback = cloudRunDefault ?? lb.defaultBackend ?? postgrestBackend;
    if (lb.pathPrefix === "/") return { defaultService: postgrestBackend };
    return {
        defaultService: fallback,
        hostRules: [{ hosts: [lb.domain], pathMatcher: PATH_MATCHER }],
        pathMatchers: [
            {
                name: PATH_MATCHER,
                defaultService: fallback,
                routeRules: [
                    {
                        priority: 1,
                        matchRules: [{ prefixMatch: `${lb.pathPrefix}/` }, { fullPathMatch: lb.pathPrefix }],
                        service: postgrestBackend,
                        routeAction: { urlRewrite: { pathPrefixRewrite: "/" } },
                    },
                ],
            },
        ],
    };
}

export interface LoadBalancerArgs {
    /** The validated `gcp.loadBalancer` block. @default none, required */
    loadBalancer: GcpLoadBalancer;
    /** Name of the Cloud Run service. @default none, required */
    serviceName: pulumi.Input<string>;
    /** Region of the Cloud Run service. @default none, required */
    region: string;
    /** Resources every part of the load balancer waits for: the enabled APIs. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class LoadBalancer extends pulumi.ComponentResource {
    /** The address the domain's DNS A record must point at before the certificate can be issued. */
    public readonly ipAddress: pulumi.Output<string>;
    public readonly url: string;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:LoadBalancer", name, {}, opts);
        const childOpts = { parent: this, dependsOn: args.dependsOn };
        const scheme = "EXTERNAL_MANAGED";

        const address = new gcp.compute.GlobalAddress(`${name}-ip`, { ipVersion: "IPV4" }, childOpts);
        const endpointGroup = new gcp.compute.RegionNetworkEndpointGroup(
            `${name}-neg`,
            { region: args.region, networkEndpointType: "SERVERLESS", cloudRun: { service: args.serviceName } },
            childOpts,
        );
        // A serverless NEG backend takes no health check (https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts);
        // Cloud Run checks its own instances.
        const backend = new gcp.compute.BackendService(
            `${name}-backend`,
            { loadBalancingScheme: scheme, backends: [{ group: endpointGroup.id }] },
            childOpts,
        );
        const certificate = new gcp.compute.ManagedSslCertificate(`${name}-cert`, { managed: { domains: [args.loadBalancer.domain] } }, childOpts);

        const other = args.loadBalancer.defaultCloudRunService;
        const otherBackend = other
            ? new gcp.compute.BackendService(
                  `${name}-default-backend`,
                  {
                      loadBalancingScheme: scheme,
                      backends: [
                          {
                              group: new gcp.compute.RegionNetworkEndpointGroup(
                                  `${name}-default-neg`,
                                  {
                                      project: other.project,
                                      region: other.region ?? args.region,
                                      networkEndpointType: "SERVERLESS",
                                      cloudRun: { service: other.name },
                                  },
                                  childOpts,
                              ).id,
                          },
                      ],
                  },
                  childOpts,
              )
            : undefined;
        const urlMap = new gcp.compute.URLMap(name, urlMapRouting(args.loadBalancer, backend.id, otherBackend?.id), childOpts);
        const sslPolicy = new gcp.compute.SSLPolicy(`${name}-tls`, { ...SSL_POLICY, description: "PostgREST API: TLS 1.2 or later" }, childOpts);
        const httpsProxy = new gcp.compute.TargetHttpsProxy(
            `${name}-https`,
            { urlMap: urlMap.id, sslCertificates: [certificate.id], sslPolicy: sslPolicy.id },
            childOpts,
        );
        new gcp.compute.GlobalForwardingRule(
            `${name}-https`,
            { target: httpsProxy.id, ipAddress: address.id, portRange: String(HTTPS_PORT), ipProtocol: "TCP", loadBalancingScheme: scheme },
            childOpts,
        );

        const redirectMap = new gcp.compute.URLMap(
            `${name}-redirect`,
            { defaultUrlRedirect: { httpsRedirect: true, stripQuery: false, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT" } },
            childOpts,
        );
        const httpProxy = new gcp.compute.TargetHttpProxy(`${name}-http`, { urlMap: redirectMap.id }, childOpts);
        new gcp.compute.GlobalForwardingRule(
            `${name}-http`,
            { target: httpProxy.id, ipAddress: address.id, portRange: String(HTTP_PORT), ipProtocol: "TCP", loadBalancingScheme: scheme },
            childOpts,
        );

        this.ipAddress = address.address;
        this.url = loadBalancerUrl(args.loadBalancer);
        this.registerOutputs({ ipAddress: this.ipAddress, url: this.url });
    }
}
