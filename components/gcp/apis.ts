/**
 * The Google APIs the deployment calls, enabled by the program itself so that
 * a fresh project needs no console clicks. They stay enabled on destroy:
 * other workloads in the project may use them too.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GcpConfig } from "./config";

/** The APIs a stack with `config` needs, in a stable order. */
export function requiredApis(config: Pick<GcpConfig, "network" | "loadBalancer" | "cloudSqlInstance">, monitoring = false): string[] {
    // Project IAM policies (the service account's project roles) are read and set through the Resource Manager API, off
    // on a fresh project: "Error 403: Cloud Resource Manager API has not been used in project"
    // (https://github.com/hashicorp/terraform-provider-google/issues/6101, fixed: the API can enable itself).
    const apis = ["cloudresourcemanager.googleapis.com", "run.googleapis.com", "secretmanager.googleapis.com", "iam.googleapis.com"];
    // Direct VPC egress and the load balancer's resources (NEG, backend service, URL map, address) are Compute Engine resources.
    if (config.network.mode !== "none" || config.loadBalancer) apis.push("compute.googleapis.com");
    // The /cloudsql volume connects through the Cloud SQL Admin API (Cloud Run docs, connect to Cloud SQL).
    if (config.cloudSqlInstance) apis.push("sqladmin.googleapis.com");
    // Alert policies, notification channels, uptime checks and dashboards are Cloud Monitoring resources.
    if (monitoring) apis.push("monitoring.googleapis.com");
    return apis;
}

export interface GoogleApisArgs {
    /** API service names, such as run.googleapis.com. @default none, required */
    services: string[];
}

export class GoogleApis extends pulumi.ComponentResource {
    /** One resource per API: whatever calls an API depends on these. */
    public readonly services: gcp.projects.Service[];

    constructor(name: string, args: GoogleApisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:GoogleApis", name, {}, opts);
        this.services = args.services.map(
            (service) =>
                new gcp.projects.Service(
                    `${name}-${service.split(".")[0]}`,
                    { service, disableOnDestroy: false, disableDependentServices: false },
                    { parent: this },
                ),
        );
        this.registerOutputs({});
    }
}
