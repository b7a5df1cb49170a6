/**
 * PostgREST on GCP: a Cloud Run v2 service that scales to zero, its own
 * service account, its two secrets in Secret Manager read by that account
 * alone, optional Direct VPC egress or Cloud SQL socket, and an optional HTTPS
 * load balancer. Wiring only; each concern is its own component.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../config";
import { GcpConfig } from "./config";
import { ConnectionOverrides, postgrestDbUri, postgrestEnvironment } from "../postgrest/settings";
import { CloudTarget, PostgrestTarget, TargetInputs, deferredLogin } from "../postgrest/target";
import { GoogleApis, requiredApis } from "./apis";
import { Identity } from "./identity";
import { LoadBalancer, loadBalancerUrl } from "./load-balancer";
import { Monitoring } from "./monitoring";
import { Network } from "./network";
import { GcpFoundation, gcpFoundation } from "./foundation";
import { onDestroy } from "../model/created-database";
import { Secrets } from "./secrets";
import { tlsFileContents } from "../postgrest/tls-files";
import { CLOUD_SQL_MOUNT_PATH, CloudRunService } from "./service";
import { CLOUD_SQL_PROXY } from "./config/cloud-sql";

export type GcpStackConfig = StackConfig & { cloud: "gcp" };

/**
 * Where PostgREST connects: with Cloud SQL, the socket directory of the
 * instance, without TLS (the Cloud SQL connector behind the socket already
 * encrypts, and libpq does no TLS on a Unix socket); with IAM authentication, the
 * Auth Proxy sidecar on localhost, likewise without TLS (the proxy encrypts to the
 * instance); else `database` as given.
 */
export function connectionOverrides(
    gcpConfig: Pick<GcpConfig, "cloudSqlInstance"> & Partial<Pick<GcpConfig, "cloudSqlIamAuthentication">>,
): ConnectionOverrides {
    if (gcpConfig.cloudSqlIamAuthentication) return { host: "127.0.0.1", port: CLOUD_SQL_PROXY.port, sslMode: "disable" };
    return gcpConfig.cloudSqlInstance ? { host: `${CLOUD_SQL_MOUNT_PATH}/${gcpConfig.cloudSqlInstance}`, sslMode: "disable" } : {};
}

export class PostgrestOnGcp extends PostgrestTarget {
    constructor(name: string, args: TargetInputs<GcpStackConfig, GcpFoundation>, opts?: pulumi.ComponentResourceOptions) {
        const region = args.config.gcp.region;
        super("postgrest:gcp:PostgrestOnGcp", name, {}, opts);
        const { database, api, service, gcp: gcpConfig } = args.config;

        const parent = { parent: this };
        const apis = new GoogleApis(`${name}-apis`, { services: requiredApis(gcpConfig, args.config.monitoring.enabled) }, parent);

        const identity = new Identity(
            `${name}-identity`,
            {
                // A created instance is reached on its private IP: its connection name matters only to IAM authentication's proxy.
                cloudSqlInstance: gcpConfig.cloudSqlInstance ?? (gcpConfig.cloudSqlIamAuthentication ? args.foundation.cloudSqlInstance : undefined),
                iamDatabaseUser: gcpConfig.cloudSqlIamAuthentication,
                formerSecretsName: `${name}-secrets`,
                dependsOn: [apis],
            },
            parent,
        );
        // With IAM authentication PostgREST logs in as the account's IAM database user, which the roles and grants make a
        // member of the authenticator once it exists (PasswordlessLogin); with no password.
        if (gcpConfig.cloudSqlIamAuthentication !== (args.login !== undefined)) {
            throw new Error(
                "gcp.cloudSqlIamAuthentication and the passwordless login given to deploy disagree: call passwordlessLogin(config) first",
            );
        }
        if (args.login) args.login.resolve(identity.iamDatabaseUser!);
        const login = args.login
            ? { user: identity.iamDatabaseUser!, password: undefined }
            : { user: args.authenticatorRole, password: args.authenticatorPassword };
        const overrides = connectionOverrides(gcpConfig);
        const secrets = new Secrets(
            `${name}-secrets`,
            {
                databaseUri: postgrestDbUri(database, login.user, login.password, {
                    ...overrides,
                    host: overrides.host ?? args.foundation.createdDatabase?.host,
                }),
                // The files PGRST_DB_URI names: none through the Cloud SQL socket, which sets sslmode=disable.
                tlsFiles: tlsFileContents({ ...database, sslMode: overrides.sslMode ?? database.sslMode }, args.config.databaseClientKey),
                jwtSecret: args.jwtSecret,
                readerEmail: identity.serviceAccountEmail,
                dependsOn: [apis],
                protect: args.config.deletionProtection,
            },
            parent,
        );
        // A created database's network is the foundation's, made before the database; else the network is this component's.
        const network = args.foundation.network ?? new Network(`${name}-network`, { network: gcpConfig.network, region, dependsOn: [apis] }, parent);

        // The run.app URL is assigned only when the service is created, so only the load balancer's URL can be told to it.
        const environment = postgrestEnvironment(api, service, gcpConfig.loadBalancer ? loadBalancerUrl(gcpConfig.loadBalancer) : undefined);

        const cloudRun = new CloudRunService(
            `${name}-service`,
            {
                service,
                image: args.image,
                cloudSqlConnectionName: args.foundation.cloudSqlInstance,
                gcp: gcpConfig,
                region,
                environment,
                secrets: { PGRST_DB_URI: secrets.databaseUri, PGRST_JWT_SECRET: secrets.jwtSecret },
                tlsFiles: secrets.tlsFiles,
                serviceAccountEmail: identity.serviceAccountEmail,
                vpcEgress: network.egress,
                behindLoadBalancer: gcpConfig.loadBalancer !== undefined,
                deletionProtection: args.config.deletionProtection,
                // Roles and grants first (PostgREST's /ready needs them), and the secrets and the Cloud SQL socket usable before an instance starts.
                dependsOn: [apis, network, ...secrets.accessGrants, ...identity.grants, ...args.dependsOn],
            },
            parent,
        );

        const loadBalancer = gcpConfig.loadBalancer
            ? new LoadBalancer(`${name}-lb`, { loadBalancer: gcpConfig.loadBalancer, serviceName: cloudRun.name, region, dependsOn: [apis] }, parent)
            : undefined;

        const url = loadBalancer ? pulumi.output(loadBalancer.url) : cloudRun.uri;
        const monitoring = args.config.monitoring.enabled
            ? new Monitoring(
                  `${name}-monitoring`,
                  {
                      monitoring: args.config.monitoring,
                      serviceName: cloudRun.name,
                      region,
                      url,
                      public: gcpConfig.public,
                      instances: { min: service.minInstances, max: service.maxInstances },
                      dependsOn: [apis],
                  },
                  parent,
              )
            : undefined;

        const details: Record<string, pulumi.Input<string>> = {
            region,
            serviceAccount: identity.serviceAccountEmail,
            cloudRunUrl: cloudRun.uri,
        };
        if (identity.iamDatabaseUser) details.databaseUser = identity.iamDatabaseUser;
        if (loadBalancer) details.loadBalancerIp = loadBalancer.ipAddress;
        if (network.createdNetworkId) details.network = network.createdNetworkId;
        if (database.create) details.databaseOnDestroy = onDestroy(database.create);
        if (monitoring) details.dashboard = monitoring.dashboardId;
        this.publish({
            url,
            serviceName: cloudRun.name,
            secretIds: pulumi.all([secrets.databaseUri.id, secrets.jwtSecret.id, ...Object.values(secrets.tlsFiles).map((stored) => stored.id)]),
            details: pulumi.output(details),
        });
    }
}

/** The GCP target index.ts looks up for `cloud: gcp`. */
export const target: CloudTarget<GcpStackConfig, GcpFoundation> = {
    cloud: "gcp",
    foundation: gcpFoundation,
    inNetworkAdmin(name, config, foundation) {
        // Config validation admits in-network on GCP with a created database's network, or Direct VPC egress into an existing subnetwork.
        const network = config.gcp.network;
        const egress =
            foundation.network?.egress ?? (network.mode === "existing" ? { network: network.network, subnetwork: network.subnetwork } : undefined);
        if (!egress) throw new Error("database.adminAccess in-network needs database.create, or gcp.network.mode existing");
        // Required here: a direct stack never loads the function's bundler or the applier's timeouts.
        const { InNetworkAdmin }: typeof import("./in-network-admin") = require("./in-network-admin");
        const { bundleFunctionSource, CLOUD_RUN_FUNCTION_TARGET }: typeof import("../database/bundle") = require("../database/bundle");
        const { APPLY_TIMEOUT_SECONDS }: typeof import("../database/session") = require("../database/session");
        const admin = new InNetworkAdmin(name, {
            region: config.gcp.region,
            egress,
            source: bundleFunctionSource("cloud-run"),
            entryPoint: CLOUD_RUN_FUNCTION_TARGET,
            timeoutSeconds: APPLY_TIMEOUT_SECONDS,
        });
        return admin.url.apply((url) => ({ kind: "cloud-run" as const, url }));
    },
    passwordlessLogin: (config) => (config.gcp.cloudSqlIamAuthentication ? deferredLogin() : undefined),
    deploy: (name, inputs) => new PostgrestOnGcp(name, inputs),
};
