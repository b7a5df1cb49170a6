/**
 * PostgREST on AWS: ECS Fargate behind a front door (aws.ingress: its own
 * Application Load Balancer, a rule on a shared one, or an API Gateway HTTP
 * API), in a new or existing VPC, with its secrets in Secrets Manager. Wiring
 * only; each concern is its own component.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { plainHttpWarning, servesHttps } from "./config";
import { FrontDoor, SecurityGroups } from "./security-groups";
import { HttpApi, discoveryNamespaceName } from "./http-api";
import { SharedLoadBalancerRoute } from "./shared-load-balancer";
import { LoadBalancer } from "./load-balancer";
import { DnsValidatedCertificate } from "./certificate";
import { NatInstance } from "./nat-instance";
import { afterCheck, checkedByCloud } from "./preflight";
import { FrontDoor as AlarmsFrontDoor, albFrontDoor } from "./config/alarms";
import { Monitoring } from "./monitoring";
import { Network } from "./network";
import { AwsFoundation, awsFoundation } from "./foundation";
import { onDestroy } from "../model/created-database";
import { Secrets } from "./secrets";
import { FargateService } from "./service";
import { awsHealthChecks } from "./health";
import { ImagePullThroughCache } from "./image-cache";
import { HTTPS_PORT } from "../postgrest/ports";
import { postgrestDbUri, postgrestEnvironment } from "../postgrest/settings";
import { CloudTarget, PostgrestTarget, TargetInputs } from "../postgrest/target";
import { tlsFileContents } from "../postgrest/tls-files";

export type AwsStackConfig = StackConfig & { cloud: "aws" };

export class PostgrestOnAws extends PostgrestTarget {
    constructor(name: string, args: TargetInputs<AwsStackConfig, AwsFoundation>, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:PostgrestOnAws", name, {}, opts);
        const parent = { parent: this };
        const { database, api, service, aws: awsConfig } = args.config;

        // The load balancer and the tasks take their subnets through the cloud's answers, so a region or zone
        // mismatch fails the preview, naming the key, instead of failing at create.
        const cloudCheck = checkedByCloud(awsConfig, `${pulumi.getProject()}:aws`, parent, database.create !== undefined);
        // A created database's network is the foundation's, made before the database; else the network is this component's.
        const network = args.foundation.network ?? new Network(`${name}-network`, { network: awsConfig.network }, parent);
        const databaseSecurityGroupId = args.foundation.databaseSecurityGroupId ?? awsConfig.databaseSecurityGroupId;
        const securityGroups = new SecurityGroups(
            `${name}-sg`,
            {
                vpcId: network.vpcId,
                databasePort: database.port,
                frontDoor: frontDoorOf(awsConfig),
                databaseSecurityGroupId,
            },
            parent,
        );
        const site = network.natInstanceSite;
        const natInstance = site
            ? new NatInstance(
                  `${name}-nat`,
                  {
                      vpcId: network.vpcId,
                      vpcCidr: site.vpcCidr,
                      publicSubnetId: site.publicSubnetId,
                      routeTableIds: site.taskRouteTableIds,
                      clientSecurityGroupId: securityGroups.taskSecurityGroupId,
                      ports: [HTTPS_PORT, database.port],
                      instanceType: site.instanceType,
                  },
                  parent,
              )
            : undefined;

        const warning = plainHttpWarning(awsConfig, `${pulumi.getProject()}:aws`);
        if (warning) pulumi.log.warn(warning, this);
        // A certificate of the stack's own: for its load balancer's listener, or the HTTP API's custom domain.
        const certificateArn =
            awsConfig.certificateArn ??
            (awsConfig.hostedZoneId && awsConfig.domainName
                ? new DnsValidatedCertificate(`${name}-cert`, { domainName: awsConfig.domainName, hostedZoneId: awsConfig.hostedZoneId }, parent)
                      .certificateArn
                : undefined);
        const health = awsHealthChecks(service.postgrestMajor);
        const ingress = awsConfig.ingress;
        const front = ((): Front => {
            switch (ingress.type) {
                case "load-balancer": {
                    const loadBalancer = new LoadBalancer(
                        `${name}-lb`,
                        {
                            deletionProtection: args.config.deletionProtection,
                            vpcId: network.vpcId,
                            subnetIds: afterCheck(cloudCheck, network.publicSubnetIds),
                            securityGroupId: securityGroups.frontSecurityGroupId,
                            certificateArn,
                            domainName: awsConfig.domainName,
                            hostedZoneId: awsConfig.hostedZoneId,
                        },
                        parent,
                    );
                    return {
                        url: loadBalancer.url,
                        targetGroupArn: loadBalancer.targetGroupArn,
                        requestCountResourceLabel: loadBalancer.requestCountResourceLabel,
                        ready: loadBalancer.forwardingListener,
                        details: { loadBalancerDnsName: loadBalancer.dnsName },
                    };
                }
                case "shared-load-balancer": {
                    const route = new SharedLoadBalancerRoute(
                        `${name}-route`,
                        { shared: ingress, vpcId: afterCheck(cloudCheck, network.vpcId), configKey: `${pulumi.getProject()}:aws` },
                        parent,
                    );
                    return {
                        url: route.url,
                        targetGroupArn: route.targetGroupArn,
                        requestCountResourceLabel: route.requestCountResourceLabel,
                        ready: route.forwardingRule,
                        details: { loadBalancerDnsName: route.dnsName },
                    };
                }
                case "http-api": {
                    const api = new HttpApi(
                        `${name}-api`,
                        {
                            vpcId: network.vpcId,
                            subnetIds: afterCheck(cloudCheck, network.taskSubnetIds),
                            vpcLinkSecurityGroupId: securityGroups.frontSecurityGroupId,
                            namespaceName: discoveryNamespaceName(pulumi.getProject(), pulumi.getStack()),
                            throttling: ingress.throttling,
                            certificateArn,
                            domainName: awsConfig.domainName,
                            hostedZoneId: awsConfig.hostedZoneId,
                        },
                        parent,
                    );
                    return {
                        url: api.url,
                        serviceRegistryArn: api.discoveryServiceArn,
                        alarmsFrontDoor: { kind: "http-api", apiId: api.apiId },
                        ready: api,
                        details: { apiEndpoint: api.endpoint },
                    };
                }
            }
        })();

        const secrets = new Secrets(
            `${name}-secrets`,
            {
                databaseUri: postgrestDbUri(database, args.authenticatorRole, args.authenticatorPassword, {
                    host: args.foundation.createdDatabase?.host,
                }),
                jwtSecret: args.jwtSecret,
                tlsFiles: tlsFileContents(database, args.config.databaseClientKey),
                protect: args.config.deletionProtection,
            },
            parent,
        );

        const imageCache = awsConfig.imagePullThroughCache
            ? new ImagePullThroughCache(`${name}-image-cache`, { cache: awsConfig.imagePullThroughCache, image: args.image }, parent)
            : undefined;
        const fargate = new FargateService(
            `${name}-service`,
            {
                service,
                image: imageCache?.image ?? args.image,
                pullThroughRepositoryArns: imageCache?.repositoryArns,
                aws: awsConfig,
                // The front door exists before the tasks, so PostgREST's OpenAPI document can name its URL.
                environment: front.url.apply((url) => postgrestEnvironment(api, service, url)),
                secretArns: { PGRST_DB_URI: secrets.databaseUriArn, PGRST_JWT_SECRET: secrets.jwtSecretArn },
                tlsFileArns: secrets.tlsFileArns,
                secretVersionIds: secrets.versionIds,
                subnetIds: afterCheck(cloudCheck, network.taskSubnetIds),
                securityGroupId: securityGroups.taskSecurityGroupId,
                assignPublicIp: network.assignPublicIp,
                targetGroupArn: front.targetGroupArn,
                requestCountResourceLabel: front.requestCountResourceLabel,
                serviceRegistryArn: front.serviceRegistryArn,
                health,
                // The roles must exist before PostgREST logs in; a NAT instance before tasks pull the image.
                dependsOn: [front.ready, ...args.dependsOn, ...(natInstance ? [natInstance] : [])],
            },
            parent,
        );

        const monitoring = args.config.monitoring.enabled
            ? new Monitoring(
                  `${name}-monitoring`,
                  {
                      monitoring: args.config.monitoring,
                      // An ALB of its own or a shared one, by its request-count label; else the HTTP API.
                      frontDoor: front.requestCountResourceLabel ? albFrontDoor(front.requestCountResourceLabel) : front.alarmsFrontDoor,
                      service: { clusterName: fargate.clusterName, serviceName: fargate.serviceName },
                      minTasks: service.minInstances,
                  },
                  parent,
              )
            : undefined;

        this.publish({
            url: front.url,
            serviceName: fargate.serviceName,
            secretIds: pulumi.all([secrets.databaseUriArn, secrets.jwtSecretArn, ...Object.values(secrets.tlsFileArns)]),
            details: pulumi
                .all([
                    fargate.logGroupName,
                    fargate.clusterName,
                    pulumi.all(front.details),
                    network.vpcId,
                    monitoring?.topicArn,
                    monitoring?.dashboardName,
                ])
                .apply(([logGroup, cluster, frontDetails, vpcId, alertTopicArn, dashboard]): Record<string, string> => ({
                    logGroup,
                    cluster,
                    ...frontDetails,
                    vpcId,
                    ...(database.create ? { databaseOnDestroy: onDestroy(database.create) } : {}),
                    ...(alertTopicArn && dashboard ? { alertTopicArn, dashboard } : {}),
                })),
        });
    }
}

/** The AWS target index.ts looks up for `cloud: aws`. */
export const target: CloudTarget<AwsStackConfig, AwsFoundation> = {
    cloud: "aws",
    foundation: awsFoundation,
    inNetworkAdmin(name, config, foundation) {
        // Config validation admits in-network on AWS with a created database, or in an existing VPC with the database's security group.
        const place = inNetworkPlace(config, foundation);
        // Required here: a direct stack never loads the function's bundler or the applier's timeouts.
        const { InNetworkAdmin }: typeof import("./in-network-admin") = require("./in-network-admin");
        const { bundleFunctionSource }: typeof import("../database/bundle") = require("../database/bundle");
        const { APPLY_TIMEOUT_SECONDS }: typeof import("../database/session") = require("../database/session");
        const admin = new InNetworkAdmin(name, {
            ...place,
            databasePort: config.database.port,
            source: bundleFunctionSource("lambda"),
            logRetentionDays: config.aws.logRetentionDays,
            timeoutSeconds: APPLY_TIMEOUT_SECONDS,
        });
        return admin.functionArn.apply((functionArn) => ({ kind: "lambda" as const, functionArn }));
    },
    deploy: (name, inputs) => new PostgrestOnAws(name, inputs),
};

/** Where the in-network function runs: beside the created database, or in the user's task subnets with the database's group. */
function inNetworkPlace(
    config: AwsStackConfig,
    foundation: AwsFoundation,
): { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string[]>; databaseSecurityGroupId: pulumi.Input<string> } {
    if (foundation.network?.databaseSubnetIds && foundation.databaseSecurityGroupId)
        return {
            vpcId: foundation.network.vpcId,
            subnetIds: foundation.network.databaseSubnetIds,
            databaseSecurityGroupId: foundation.databaseSecurityGroupId,
        };
    if (config.aws.network.mode !== "existing" || !config.aws.databaseSecurityGroupId)
        throw new Error("database.adminAccess in-network needs database.create, or aws.network.mode existing and aws.databaseSecurityGroupId");
    return {
        vpcId: config.aws.network.vpcId,
        subnetIds: config.aws.network.taskSubnetIds,
        databaseSecurityGroupId: config.aws.databaseSecurityGroupId,
    };
}

/** What the service needs from the front door: where clients call, and how the tasks are found. */
interface Front {
    url: pulumi.Output<string>;
    targetGroupArn?: pulumi.Output<string>;
    requestCountResourceLabel?: pulumi.Output<string>;
    serviceRegistryArn?: pulumi.Output<string>;
    /** What the alarms watch at the front door: the HTTP API's; an ALB's come from requestCountResourceLabel. */
    alarmsFrontDoor?: AlarmsFrontDoor;
    /** What the service waits for: a listener or rule that forwards to the target group, or the HTTP API. */
    ready: pulumi.Resource;
    /** Names for `details`: the load balancer's DNS name, or the HTTP API's endpoint. */
    details: Record<string, pulumi.Output<string>>;
}

function frontDoorOf(awsConfig: AwsStackConfig["aws"]): FrontDoor {
    switch (awsConfig.ingress.type) {
        case "load-balancer":
            return { type: "load-balancer", https: servesHttps(awsConfig) };
        case "shared-load-balancer":
            return { type: "shared-load-balancer", securityGroupId: awsConfig.ingress.securityGroupId };
        case "http-api":
            return { type: "http-api" };
    }
}
