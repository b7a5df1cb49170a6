/**
 * The Cloud Run v2 service running PostgREST: its container, how its two
 * secrets reach it, its probes on PostgREST's admin server, scaling, network
 * and who may invoke it.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpConfig } from "./config";
import { ServiceConfig } from "../config/service";
import { SERVER_PORT } from "../postgrest/ports";
import { SECRET_SETTINGS } from "../postgrest/settings";
import {
    TLS_DIRECTORY,
    TLS_FILES_FROM_VOLUMES_SCRIPT,
    TLS_FILES_IMAGE,
    TLS_SECRET_FILE_NAME,
    TLS_SECRET_VOLUMES_DIRECTORY,
    TlsFile,
} from "../postgrest/tls-files";
import { cloudRunProbes } from "./health";
import { CLOUD_SQL_PROXY } from "./config/cloud-sql";
import { VpcEgress } from "./network";
import { StoredSecret } from "./secrets";

type SecretSetting = (typeof SECRET_SETTINGS)[number];
type Env = gcp.types.input.cloudrunv2.ServiceTemplateContainerEnv;
type Volume = gcp.types.input.cloudrunv2.ServiceTemplateVolume;
type VolumeMount = gcp.types.input.cloudrunv2.ServiceTemplateContainerVolumeMount;
type Container = gcp.types.input.cloudrunv2.ServiceTemplateContainer;

/** Where each secret is mounted in files mode: one directory per secret, as Cloud Run mounts one volume per path. */
export const SECRET_FILE_DIRECTORIES: Record<SecretSetting, string> = {
    PGRST_DB_URI: "/etc/postgrest/db-uri",
    PGRST_JWT_SECRET: "/etc/postgrest/jwt-secret",
};
export const SECRET_FILE_NAME = "value";
// 0444: the volume is owned by root and PostgREST runs as uid 1000, so the file must be world-readable
// (https://cloud.google.com/run/docs/configuring/services/secrets, volume ownership); neither value is a libpq key
// file, so libpq's 0600 rule does not apply.
export const SECRET_FILE_MODE = 0o444;

/** Directory of the Cloud SQL sockets: libpq connects to /cloudsql/<connection name>/.s.PGSQL.5432. */
export const CLOUD_SQL_MOUNT_PATH = "/cloudsql";

/** Names of the volumes the service may mount. */
export const VOLUME_NAMES = { PGRST_DB_URI: "pgrst-db-uri", PGRST_JWT_SECRET: "pgrst-jwt-secret", cloudSql: "cloudsql" } as const;

export interface SecretReference {
    /** Secret name in the service's project. */
    secret: pulumi.Input<string>;
    /** Pinned version number. */
    version: pulumi.Input<string>;
}

/**
 * How the secret settings reach the container. files: a secret volume per
 * setting, and the env var holds `@/path`, which PostgREST reads the value
 * from (PostgREST docs/references/configuration.rst: db-uri and jwt-secret,
 * "@filename"); env: Cloud Run resolves a secretKeyRef at instance start.
 * Either way no env var holds a value.
 */
export function secretWiring(
    secretsAs: GcpConfig["secretsAs"],
    secrets: Record<SecretSetting, SecretReference>,
): { envs: Env[]; volumes: Volume[]; volumeMounts: VolumeMount[] } {
    const settings = [...SECRET_SETTINGS];
    if (secretsAs === "env") {
        return {
            envs: settings.map((name) => ({ name, valueSource: { secretKeyRef: { secret: secrets[name].secret, version: secrets[name].version } } })),
            volumes: [],
            volumeMounts: [],
        };
    }
    return {
        envs: settings.map((name) => ({ name, value: `@${SECRET_FILE_DIRECTORIES[name]}/${SECRET_FILE_NAME}` })),
        volumes: settings.map((name) => ({
            name: VOLUME_NAMES[name],
            secret: {
                secret: secrets[name].secret,
                defaultMode: SECRET_FILE_MODE,
                items: [{ path: SECRET_FILE_NAME, version: secrets[name].version }],
            },
        })),
        volumeMounts: settings.map((name) => ({ name: VOLUME_NAMES[name], mountPath: SECRET_FILE_DIRECTORIES[name] })),
    };
}

export const TLS_SIDECAR_NAME = "tls-files";
export const TLS_VOLUME_NAME = "postgrest-tls";
/** The sidecar listens here once the files are written: its startup probe, which PostgREST's dependsOn waits for. */
export const TLS_SIDECAR_READY_PORT = 8479;
// 0400 (decimal 256): only the sidecar's root reads the secrets; Cloud Run owns them by root and applies a umask of 0222
// (https://cloud.google.com/run/docs/reference/rest/v2/Volume#secretvolumesource).
export const TLS_SECRET_FILE_MODE = 0o400;

/**
 * Cloud Run has no init containers: dependsOn waits until the named containers are healthy, i.e. pass their
 * startup probe (https://cloud.google.com/run/docs/reference/rest/v2/Container, dependsOn). So the sidecar runs
 * the proven copy script, then listens (serving an empty directory) for its TCP startup probe, and stays up.
 */
export const TLS_SIDECAR_SCRIPT = `${TLS_FILES_FROM_VOLUMES_SCRIPT}mkdir -p /tmp/empty
exec httpd -f -p ${TLS_SIDECAR_READY_PORT} -h /tmp/empty
`;

/**
 * The volumes and the sidecar that turn the TLS files' secrets into files PostgREST's libpq accepts
 * (tls-files.ts), and what PostgREST itself then mounts and waits for.
 */
export function tlsFilesWiring(secrets: Partial<Record<TlsFile, SecretReference>>): {
    volumes: Volume[];
    sidecar: Container;
    postgrestMount: VolumeMount;
} {
    const files = Object.entries(secrets) as [TlsFile, SecretReference][];
    const volumeName = (file: TlsFile) => `tls-${file.replace(".", "-")}`;
    return {
        volumes: [
            ...files.map(([file, ref]) => ({
                name: volumeName(file),
                secret: {
                    secret: ref.secret,
                    defaultMode: TLS_SECRET_FILE_MODE,
                    items: [{ path: TLS_SECRET_FILE_NAME, version: ref.version, mode: TLS_SECRET_FILE_MODE }],
                },
            })),
            // In memory: the key never touches a disk.
            { name: TLS_VOLUME_NAME, emptyDir: { medium: "MEMORY", sizeLimit: "1Mi" } },
        ],
        sidecar: {
            name: TLS_SIDECAR_NAME,
            image: TLS_FILES_IMAGE,
            commands: ["sh", "-c"],
            args: [TLS_SIDECAR_SCRIPT],
            envs: [
                { name: "PGRST_TLS_SECRETS", value: TLS_SECRET_VOLUMES_DIRECTORY },
                { name: "PGRST_TLS_DIRECTORY", value: TLS_DIRECTORY },
            ],
            volumeMounts: [
                ...files.map(([file]) => ({ name: volumeName(file), mountPath: `${TLS_SECRET_VOLUMES_DIRECTORY}/${file}` })),
                { name: TLS_VOLUME_NAME, mountPath: TLS_DIRECTORY },
            ],
            resources: { limits: { cpu: "100m", memory: "128Mi" }, cpuIdle: true },
            startupProbe: { tcpSocket: { port: TLS_SIDECAR_READY_PORT }, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 30 },
        },
        postgrestMount: { name: TLS_VOLUME_NAME, mountPath: TLS_DIRECTORY },
    };
}

export const CLOUD_SQL_PROXY_NAME = "cloud-sql-proxy";

/**
 * The Cloud SQL Auth Proxy sidecar (gcp.cloudSqlIamAuthentication): it logs in to the instance as the service's own account
 * (--auto-iam-authn) and listens for PostgREST on 127.0.0.1:5432. Its /startup health check is the startup probe that
 * PostgREST's dependsOn waits for (https://cloud.google.com/run/docs/reference/rest/v2/Container, dependsOn).
 */
export function cloudSqlProxySidecar(connectionName: pulumi.Input<string>, privateIp: boolean): Container {
    return {
        name: CLOUD_SQL_PROXY_NAME,
        image: CLOUD_SQL_PROXY.image,
        args: [
            "--auto-iam-authn",
            // Through Direct VPC egress, to the instance's private IP; without it, Cloud Run reaches only the public IP
            // (https://cloud.google.com/sql/docs/postgres/connect-run, Configure Cloud Run).
            ...(privateIp ? ["--private-ip"] : []),
            `--port=${CLOUD_SQL_PROXY.port}`,
            "--health-check",
            // As the proxy's own health check example binds it (cloud-sql-proxy --help, "Health checks"): Cloud Run documents
            // no loopback source for probes, and ingress reaches only PostgREST's port.
            "--http-address=0.0.0.0",
            `--http-port=${CLOUD_SQL_PROXY.healthPort}`,
            // Cloud Run sends SIGTERM to every container and waits 10 s: open queries finish before the proxy closes
            // (https://cloud.google.com/run/docs/container-contract#instance-shutdown).
            "--max-sigterm-delay=8s",
            "--structured-logs",
            connectionName,
        ],
        resources: { limits: { cpu: cpuLimit(CLOUD_SQL_PROXY.cpu), memory: `${CLOUD_SQL_PROXY.memoryMib}Mi` }, cpuIdle: true },
        startupProbe: {
            httpGet: { path: "/startup", port: CLOUD_SQL_PROXY.healthPort },
            periodSeconds: 1,
            timeoutSeconds: 1,
            failureThreshold: 60,
        },
    };
}

/** Cloud Run's cpu limit: millicores, a Kubernetes quantity that takes fractions such as 0.08 (80m). */
export function cpuLimit(cpu: number): string {
    return `${Math.round(cpu * 1000)}m`;
}

export interface CloudRunServiceArgs {
    /** The Cloud SQL instance the Auth Proxy sidecar connects to, when the stack created it; else gcp.cloudSqlInstance. @default gcp.cloudSqlInstance */
    cloudSqlConnectionName?: pulumi.Input<string>;
    /** The validated `service` block (image, cpu, memory, instances). @default none, required */
    service: ServiceConfig;
    /** The image to run, by digest or as configured (postgrest/image.ts). @default none, required */
    image: pulumi.Input<string>;
    /** The validated `gcp` block. @default none, required */
    gcp: GcpConfig;
    /** Region of the service. @default none, required */
    region: string;
    /** Plain PGRST_* settings, from postgrestEnvironment(). @default none, required */
    environment: Record<string, string>;
    /** The stored PGRST_DB_URI and PGRST_JWT_SECRET. @default none, required */
    secrets: Record<SecretSetting, StoredSecret>;
    /** The stored TLS files of the database connection; none: no sidecar. @default {} */
    tlsFiles?: Partial<Record<TlsFile, StoredSecret>>;
    /** Email of the service account the service runs as. @default none, required */
    serviceAccountEmail: pulumi.Input<string>;
    /** Direct VPC egress into this subnetwork; undefined: none. @default undefined */
    vpcEgress?: VpcEgress;
    /** Cloud Run's deletion protection: while true, deleting the service fails. @default false */
    deletionProtection?: boolean;
    /** Only the load balancer (and internal traffic) may reach the service. @default false */
    behindLoadBalancer?: boolean;
    /** Resources the service waits for: the APIs, the network, the secrets' grants, the database roles and grants. @default [] */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class CloudRunService extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;
    /** The service's own https://...run.app URL. */
    public readonly uri: pulumi.Output<string>;

    constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:CloudRunService", name, {}, opts);
        const { service, gcp: gcpConfig } = args;
        const wiring = secretWiring(gcpConfig.secretsAs, {
            PGRST_DB_URI: { secret: args.secrets.PGRST_DB_URI.name, version: args.secrets.PGRST_DB_URI.version },
            PGRST_JWT_SECRET: { secret: args.secrets.PGRST_JWT_SECRET.name, version: args.secrets.PGRST_JWT_SECRET.version },
        });
        const volumes = [...wiring.volumes];
        const volumeMounts = [...wiring.volumeMounts];
        const proxy = gcpConfig.cloudSqlIamAuthentication
            ? cloudSqlProxySidecar(args.cloudSqlConnectionName ?? gcpConfig.cloudSqlInstance!, gcpConfig.network.mode !== "none")
            : undefined;
        if (gcpConfig.cloudSqlInstance && !proxy) {
            volumes.push({ name: VOLUME_NAMES.cloudSql, cloudSqlInstance: { instances: [gcpConfig.cloudSqlInstance] } });
            volumeMounts.push({ name: VOLUME_NAMES.cloudSql, mountPath: CLOUD_SQL_MOUNT_PATH });
        }
        const plainEnvs: Env[] = Object.entries(args.environment).map(([envName, value]) => ({ name: envName, value }));
        const tlsFiles = Object.entries(args.tlsFiles ?? {}) as [TlsFile, StoredSecret][];
        const tls =
            tlsFiles.length > 0
                ? tlsFilesWiring(Object.fromEntries(tlsFiles.map(([file, stored]) => [file, { secret: stored.name, version: stored.version }])))
                : undefined;
        if (tls) {
            volumes.push(...tls.volumes);
            volumeMounts.push(tls.postgrestMount);
        }

        const cloudRun = new gcp.cloudrunv2.Service(
            name,
            {
                location: args.region,
                description: "PostgREST API",
                deletionProtection: args.deletionProtection ?? false,
                // With the load balancer in front, the run.app URL must not be a way around it.
                ingress: args.behindLoadBalancer ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_ALL",
                invokerIamDisabled: gcpConfig.public,
                // Service-level: caps all revisions receiving traffic together, so the connection budget holds while
                // traffic moves between revisions (Cloud Run docs, "Set maximum instances").
                scaling: { minInstanceCount: service.minInstances, maxInstanceCount: service.maxInstances },
                template: {
                    serviceAccount: args.serviceAccountEmail,
                    executionEnvironment: gcpConfig.executionEnvironment === "gen1" ? "EXECUTION_ENVIRONMENT_GEN1" : "EXECUTION_ENVIRONMENT_GEN2",
                    maxInstanceRequestConcurrency: gcpConfig.concurrency,
                    scaling: { maxInstanceCount: service.maxInstances },
                    vpcAccess: args.vpcEgress
                        ? {
                              networkInterfaces: [{ network: args.vpcEgress.network, subnetwork: args.vpcEgress.subnetwork }],
                              // Only the database's private range goes through the VPC; anything public keeps Cloud Run's egress.
                              egress: "PRIVATE_RANGES_ONLY",
                          }
                        : undefined,
                    volumes,
                    containers: [
                        {
                            name: "postgrest",
                            image: args.image,
                            ports: { name: "http1", containerPort: SERVER_PORT },
                            envs: [...plainEnvs, ...wiring.envs],
                            // cpuIdle must be explicit once `resources` is set, or Cloud Run bills instance time (provider docs).
                            resources: { limits: { cpu: cpuLimit(service.cpu), memory: `${service.memory}Mi` }, cpuIdle: true },
                            volumeMounts,
                            ...cloudRunProbes(service.postgrestMajor),
                            dependsOns: tls || proxy ? [...(tls ? [TLS_SIDECAR_NAME] : []), ...(proxy ? [CLOUD_SQL_PROXY_NAME] : [])] : undefined,
                        },
                        ...(tls ? [tls.sidecar] : []),
                        ...(proxy ? [proxy] : []),
                    ],
                },
            },
            { parent: this, dependsOn: args.dependsOn },
        );

        for (const member of gcpConfig.public ? [] : gcpConfig.invokerMembers) {
            new gcp.cloudrunv2.ServiceIamMember(
                `${name}-invoker-${member.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
                { name: cloudRun.name, location: cloudRun.location, role: "roles/run.invoker", member },
                { parent: this },
            );
        }

        this.name = cloudRun.name;
        this.uri = cloudRun.uri;
        this.registerOutputs({ name: this.name, uri: this.uri });
    }
}
