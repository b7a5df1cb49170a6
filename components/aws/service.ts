/**
 * PostgREST on ECS Fargate: cluster, log group, execution role, task
 * definition, service and target-tracking autoscaling.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsConfig } from "./config";
import { DEPLOYMENT_MAXIMUM_PERCENT } from "./config/rules";
import { ServiceConfig } from "../config/service";
import { AwsHealthChecks, ContainerHealthCheck } from "./health";
import { ADMIN_SERVER_PORT, SERVER_PORT } from "../postgrest/ports";
import {
    POSTGREST_UID,
    TLS_DIRECTORY,
    TLS_FILES_FROM_ENVIRONMENT_SCRIPT,
    TLS_FILES_IMAGE,
    TLS_FILE_VARIABLES,
    TlsFile,
} from "../postgrest/tls-files";

export const CONTAINER_NAME = "postgrest";
export const TLS_FILES_CONTAINER_NAME = "tls-files";
export const TLS_VOLUME_NAME = "postgrest-tls";

/** The official image's user (User in PostgREST's nix/tools/docker/default.nix); stated so a custom image cannot run as root. */
export const CONTAINER_USER = String(POSTGREST_UID);

export interface FargateServiceArgs {
    /** The validated `service` block. @default none, required */
    service: ServiceConfig;
    /** The image to run, by digest or as configured (postgrest/image.ts). @default none, required */
    image: pulumi.Input<string>;
    /** ECR repositories the first pull may create and import the image into (image-cache.ts). @default undefined (no pull-through cache) */
    pullThroughRepositoryArns?: pulumi.Input<string>;
    /** The validated `aws` block (task size, architecture, retention, scaling). @default none, required */
    aws: AwsConfig;
    /** Plain PGRST_* settings (postgrestEnvironment). @default none, required */
    environment: pulumi.Input<Record<string, string>>;
    /** Secrets Manager ARNs by environment variable name: PGRST_DB_URI, PGRST_JWT_SECRET. @default none, required */
    secretArns: Record<string, pulumi.Input<string>>;
    /** Secrets Manager ARNs of the database's TLS files, written by a container that runs first. @default {} */
    tlsFileArns?: Partial<Record<TlsFile, pulumi.Input<string>>>;
    /** Ids of the secrets' stored versions; a new version rolls the tasks, which read secrets only at start. @default [] */
    secretVersionIds?: pulumi.Input<string>[];
    /** Subnets of the tasks. @default none, required */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The tasks' security group. @default none, required */
    securityGroupId: pulumi.Input<string>;
    /** Give tasks a public IP (no NAT in front of them). @default none, required */
    assignPublicIp: boolean;
    /** The load balancer's target group (type ip), own or on a shared load balancer. @default undefined (no load balancer: serviceRegistryArn) */
    targetGroupArn?: pulumi.Input<string>;
    /** Resource label of ALBRequestCountPerTarget: `<alb arn suffix>/<target group arn suffix>`. @default undefined (scaling on CPU only) */
    requestCountResourceLabel?: pulumi.Input<string>;
    /** Cloud Map service (SRV records) the tasks register in, for an HTTP API's VPC link. @default undefined */
    serviceRegistryArn?: pulumi.Input<string>;
    /** The health checks (health.ts): the grace period behind a load balancer, the container's check without one. @default none, required */
    health: Pick<AwsHealthChecks, "gracePeriodSeconds" | "containerHealthCheck">;
    /** Resources the service waits for: the listener, the database roles and grants. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class FargateService extends pulumi.ComponentResource {
    public readonly serviceName: pulumi.Output<string>;
    public readonly clusterName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly executionRoleArn: pulumi.Output<string>;

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:aws:FargateService", name, {}, opts);
        const parent = { parent: this };
        const { service, aws: awsConfig } = args;

        const cluster = new aws.ecs.Cluster(`${name}`, {}, parent);
        // A capacity provider strategy may name only providers associated with the cluster (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html).
        const capacityProviders =
            service.capacity === "spot"
                ? new aws.ecs.ClusterCapacityProviders(
                      `${name}`,
                      { clusterName: cluster.name, capacityProviders: ["FARGATE", "FARGATE_SPOT"] },
                      parent,
                  )
                : undefined;
        const logGroup = new aws.cloudwatch.LogGroup(`${name}`, { retentionInDays: awsConfig.logRetentionDays }, parent);

        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            {
                description: "ECS pulls the PostgREST image, writes its logs and reads its secrets",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            parent,
        );
        const managedPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-execution`,
            { role: executionRole.name, policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy },
            parent,
        );
        const secretArns = [...Object.values(args.secretArns), ...Object.values(args.tlsFileArns ?? {})];
        const readSecrets = new aws.iam.RolePolicy(
            `${name}-read-secrets`,
            {
                role: executionRole.id,
                // Exactly the secrets the container names, nothing else (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
                policy: pulumi.all(secretArns).apply((arns) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arns }],
                    }),
                ),
            },
            parent,
        );

        // The first pull through the cache creates the repository and imports the image, as the execution role
        // (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html).
        const pullThrough = args.pullThroughRepositoryArns
            ? [
                  new aws.iam.RolePolicy(
                      `${name}-pull-through`,
                      {
                          role: executionRole.id,
                          policy: pulumi.output(args.pullThroughRepositoryArns).apply((arns) =>
                              JSON.stringify({
                                  Version: "2012-10-17",
                                  Statement: [{ Effect: "Allow", Action: ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"], Resource: arns }],
                              }),
                          ),
                      },
                      parent,
                  ),
              ]
            : [];

        const region = aws.getRegionOutput({}, parent).region;
        const withTlsFiles = Object.keys(args.tlsFileArns ?? {}).length > 0;
        const containerDefinitions = pulumi
            .all([
                pulumi.all(args.secretArns),
                pulumi.all(args.tlsFileArns ?? {}),
                logGroup.name,
                region,
                pulumi.all(args.secretVersionIds ?? []),
                pulumi.output(args.environment),
                pulumi.output(args.image),
            ])
            .apply(([arns, tlsArns, logGroupName, regionName, versionIds, environment, image]) => {
                const logs = { logGroupName, region: regionName };
                const postgrest = postgrestContainer(
                    { ...service, image },
                    environment,
                    arns,
                    logs,
                    versionIds,
                    withTlsFiles,
                    args.targetGroupArn ? undefined : args.health.containerHealthCheck,
                );
                return JSON.stringify(withTlsFiles ? [tlsFilesContainer(tlsArns as Partial<Record<TlsFile, string>>, logs), postgrest] : [postgrest]);
            });

        const taskDefinition = new aws.ecs.TaskDefinition(
            `${name}`,
            {
                family: `${name}`,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(awsConfig.taskCpu),
                memory: String(awsConfig.taskMemory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: awsConfig.cpuArchitecture },
                executionRoleArn: executionRole.arn,
                containerDefinitions,
                // A bind mount without a host path is task storage the task's containers share, gone with the task
                // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html).
                volumes: withTlsFiles ? [{ name: TLS_VOLUME_NAME }] : undefined,
            },
            parent,
        );

        const autoscaled = hasScalingTarget(service);
        const ecsService = new aws.ecs.Service(
            `${name}`,
            {
                cluster: cluster.arn,
                taskDefinition: taskDefinition.arn,
                ...capacityPlacement(service),
                // 1.4.0 reads JSON-key secrets and runs 8 and 16 vCPU tasks (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html);
                // pinned, not LATEST.
                platformVersion: "1.4.0",
                desiredCount: service.minInstances,
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: DEPLOYMENT_MAXIMUM_PERCENT,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                // `pulumi up` fails when the new tasks never become healthy, instead of reporting success.
                waitForSteadyState: true,
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [args.securityGroupId], assignPublicIp: args.assignPublicIp },
                // ECS takes a grace period only for a service with a load balancer; without one the container health check decides.
                ...(args.targetGroupArn
                    ? {
                          healthCheckGracePeriodSeconds: args.health.gracePeriodSeconds,
                          loadBalancers: [{ targetGroupArn: args.targetGroupArn, containerName: CONTAINER_NAME, containerPort: SERVER_PORT }],
                      }
                    : {}),
                // awsvpc tasks with SRV records name the port (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRegistry.html).
                serviceRegistries: args.serviceRegistryArn ? { registryArn: args.serviceRegistryArn, port: SERVER_PORT } : undefined,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
            },
            {
                parent: this,
                // The first tasks pull the image and read their secrets with the execution role: its policies must be attached
                // first, or they stop with AccessDenied on GetSecretValue (the role alone exists before its policies do).
                dependsOn: [...(args.dependsOn ?? []), managedPolicy, readSecrets, ...pullThrough, ...(capacityProviders ? [capacityProviders] : [])],
                // With a scaling target, autoscaling owns the desired count once the service runs; without one the config does,
                // and a changed instance count must take effect.
                ignoreChanges: autoscaled ? ["desiredCount"] : [],
            },
        );

        if (autoscaled) {
            const target = new aws.appautoscaling.Target(
                `${name}`,
                {
                    serviceNamespace: "ecs",
                    scalableDimension: "ecs:service:DesiredCount",
                    resourceId: pulumi.interpolate`service/${cluster.name}/${ecsService.name}`,
                    minCapacity: service.minInstances,
                    maxCapacity: service.maxInstances,
                },
                parent,
            );
            const trackingPolicy = (policyName: string, predefinedMetricType: string, targetValue: number, resourceLabel?: pulumi.Input<string>) =>
                new aws.appautoscaling.Policy(
                    `${name}-${policyName}`,
                    {
                        policyType: "TargetTrackingScaling",
                        serviceNamespace: target.serviceNamespace,
                        scalableDimension: target.scalableDimension,
                        resourceId: target.resourceId,
                        targetTrackingScalingPolicyConfiguration: {
                            predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
                            targetValue,
                            scaleOutCooldown: 60,
                            scaleInCooldown: 300,
                        },
                    },
                    parent,
                );
            trackingPolicy("cpu", "ECSServiceAverageCPUUtilization", awsConfig.scaling.cpuPercent);
            if (args.requestCountResourceLabel)
                trackingPolicy("requests", "ALBRequestCountPerTarget", awsConfig.scaling.requestsPerTaskPerMinute, args.requestCountResourceLabel);
        }

        this.serviceName = ecsService.name;
        this.clusterName = cluster.name;
        this.logGroupName = logGroup.name;
        this.executionRoleArn = executionRole.arn;
        this.registerOutputs({ serviceName: this.serviceName, clusterName: this.clusterName, logGroupName: this.logGroupName });
    }
}

/** Whether the service gets an autoscaling target: only when there is a range to scale in. */
export function hasScalingTarget(service: Pick<ServiceConfig, "minInstances" | "maxInstances">): boolean {
    return service.maxInstances > service.minInstances;
}

/**
 * Where the service's tasks run. On-demand keeps the launch type existing services were created with. Spot: the
 * first `onDemandBase` tasks on FARGATE, every further one on FARGATE_SPOT (the base is counted first, then the
 * weights share the rest, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-capacity-providers.html);
 * a strategy change needs a new deployment, which forceNewDeployment asks for.
 */
export function capacityPlacement(service: Pick<ServiceConfig, "capacity" | "onDemandBase">): Partial<aws.ecs.ServiceArgs> {
    if (service.capacity === "on-demand") return { launchType: "FARGATE" };
    return {
        capacityProviderStrategies: [
            { capacityProvider: "FARGATE", base: service.onDemandBase, weight: 0 },
            { capacityProvider: "FARGATE_SPOT", weight: 1 },
        ],
        forceNewDeployment: true,
    };
}

/**
 * The PostgREST container definition (ECS task definition parameters). Pure:
 * secrets appear only as ARNs under `secrets`, never as values. A health check only without a load balancer: health.ts says why.
 */
export function postgrestContainer(
    service: ServiceConfig,
    environment: Record<string, string>,
    secretArns: Record<string, string>,
    logs: { logGroupName: string; region: string },
    secretVersionIds: string[] = [],
    withTlsFiles = false,
    healthCheck?: ContainerHealthCheck,
): Record<string, unknown> {
    // Version ids, not values: a new secret version changes the task definition, so ECS starts tasks that read it.
    const plainEnvironment = { ...environment, ...(secretVersionIds.length ? { POSTGREST_SECRET_VERSIONS: secretVersionIds.join(",") } : {}) };
    return {
        name: CONTAINER_NAME,
        image: service.image,
        essential: true,
        user: CONTAINER_USER,
        readonlyRootFilesystem: true,
        portMappings: [
            { containerPort: SERVER_PORT, protocol: "tcp" },
            { containerPort: ADMIN_SERVER_PORT, protocol: "tcp" },
        ],
        environment: Object.entries(plainEnvironment).map(([name, value]) => ({ name, value })),
        secrets: Object.entries(secretArns).map(([name, valueFrom]) => ({ name, valueFrom })),
        logConfiguration: awsLogs(logs, CONTAINER_NAME),
        ...(withTlsFiles
            ? {
                  mountPoints: [{ sourceVolume: TLS_VOLUME_NAME, containerPath: TLS_DIRECTORY, readOnly: true }],
                  // SUCCESS: PostgREST starts only once the files are written, and not at all if writing failed
                  // (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html).
                  dependsOn: [{ containerName: TLS_FILES_CONTAINER_NAME, condition: "SUCCESS" }],
              }
            : {}),
        ...(healthCheck ? { healthCheck } : {}),
    };
}

function awsLogs(logs: { logGroupName: string; region: string }, streamPrefix: string): Record<string, unknown> {
    return {
        logDriver: "awslogs",
        options: { "awslogs-group": logs.logGroupName, "awslogs-region": logs.region, "awslogs-stream-prefix": streamPrefix },
    };
}

/**
 * The container that writes the database's TLS files before PostgREST starts (tls-files.ts): ECS has
 * no secrets as files, so it gets them as `secrets` env vars, writes them into the shared volume,
 * owned by PostgREST's user, mode 0600, and exits. Root, to chown; non-essential, as it exits.
 */
export function tlsFilesContainer(
    tlsFileArns: Partial<Record<TlsFile, string>>,
    logs: { logGroupName: string; region: string },
): Record<string, unknown> {
    return {
        name: TLS_FILES_CONTAINER_NAME,
        image: TLS_FILES_IMAGE,
        essential: false,
        user: "0",
        readonlyRootFilesystem: true,
        entryPoint: ["sh", "-c"],
        command: [TLS_FILES_FROM_ENVIRONMENT_SCRIPT],
        environment: [{ name: "PGRST_TLS_DIRECTORY", value: TLS_DIRECTORY }],
        secrets: (Object.entries(tlsFileArns) as [TlsFile, string][]).map(([file, valueFrom]) => ({ name: TLS_FILE_VARIABLES[file], valueFrom })),
        mountPoints: [{ sourceVolume: TLS_VOLUME_NAME, containerPath: TLS_DIRECTORY, readOnly: false }],
        logConfiguration: awsLogs(logs, TLS_FILES_CONTAINER_NAME),
    };
}
