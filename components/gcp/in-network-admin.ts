/**
 * The in-network admin function on GCP (database.adminAccess in-network): a
 * Cloud Run function (2nd gen) with Direct VPC egress into the database's
 * subnetwork, running the same applier as the direct path. Like the AWS
 * Lambda it holds no secret and may read none: the provider sends the admin
 * URL in each request body, over TLS, from its own secret input. It is not
 * public: ingress is open so that a laptop or a CI runner can reach it, but
 * Cloud Run lets through only callers with run.routes.invoke on it (the
 * deployer: roles/run.admin, roles/owner, or roles/run.invoker granted on it).
 *
 * The program builds its code: the bundle and a package.json, zipped into a
 * private bucket, built by Cloud Build as a dedicated service account into a
 * repository of its own that keeps only the newest images.
 */
import { createHash } from "crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GoogleApis } from "./apis";
import { VpcEgress } from "./network";

/** The Node.js runtime the function is built for (https://cloud.google.com/functions/docs/runtime-support). */
export const FUNCTION_RUNTIME = "nodejs22";

/**
 * The Functions Framework the build installs: "a required dependency for all functions", installed on your behalf
 * when absent, pinned here so that a build never picks another (https://cloud.google.com/functions/docs/writing/dependencies).
 * The tests serve the handler with the same version (package.json devDependencies).
 */
export const FUNCTIONS_FRAMEWORK_VERSION = "5.0.5";

/** APIs the function needs on top of PostgREST's: its build (Cloud Build, Artifact Registry), its source bucket, and Cloud Functions. */
export const IN_NETWORK_ADMIN_APIS = [
    "cloudfunctions.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "storage.googleapis.com",
    "run.googleapis.com",
];

/** Project roles a custom Cloud Build service account needs to build a function; the storage and registry ones are granted on this function's bucket and repository only (https://cloud.google.com/run/docs/configuring/services/build-service-account). */
export const BUILD_PROJECT_ROLES = ["roles/logging.logWriter"];

/** Images kept in the function's repository: the running one and the one before it. */
export const KEPT_IMAGES = 2;

/** The package.json the build installs from: no dependency but the Functions Framework, since the bundle carries pg. */
export function functionPackageJson(): string {
    return JSON.stringify(
        {
            name: "postgrest-admin",
            private: true,
            main: "index.js",
            dependencies: { "@google-cloud/functions-framework": FUNCTIONS_FRAMEWORK_VERSION },
        },
        null,
        2,
    );
}

/**
 * An Artifact Registry repository id for `stack`: one per stack, so stacks sharing a project never collide.
 * Ids are lowercase letters, digits and hyphens, start with a letter and end with a letter or digit, at most 63 long
 * (https://cloud.google.com/artifact-registry/docs/repositories/create-repos).
 */
export function repositoryId(stack: string): string {
    const slug = stack
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-");
    return `postgrest-admin-${slug}`.slice(0, 63).replace(/-+$/, "");
}

export interface InNetworkAdminArgs {
    /** Region of the function: the subnetwork's, PostgREST's. @default none, required */
    region: string;
    /** Direct VPC egress into the database's subnetwork (gcp.network mode existing). @default none, required */
    egress: VpcEgress;
    /** The function's index.js: the bundled HTTP handler. @default none, required */
    source: Promise<string>;
    /** The handler's export the Functions Framework serves. @default none, required */
    entryPoint: string;
    /** The longest apply, connect and lock and statement timeouts included. @default none, required */
    timeoutSeconds: number;
}

export class InNetworkAdmin extends pulumi.ComponentResource {
    /** The function's HTTPS URL, known only once it may reach the VPC: whoever calls it waits for that. */
    public readonly url: pulumi.Output<string>;
    public readonly serviceAccountEmail: pulumi.Output<string>;

    constructor(name: string, args: InNetworkAdminArgs, opts?: pulumi.ComponentResourceOptions) {
        super("postgrest:gcp:InNetworkAdmin", name, {}, opts);
        const parent = { parent: this };
        // Enabling an API is idempotent and neither component disables one on destroy, so enabling run.googleapis.com here
        // too (PostgREST's component does) never conflicts; it lets the function be created before PostgREST's resources.
        const apis = new GoogleApis(`${name}-apis`, { services: IN_NETWORK_ADMIN_APIS }, parent);
        const afterApis = { parent: this, dependsOn: apis.services };

        const runAs = new gcp.serviceaccount.Account(
            `${name}-run`,
            { displayName: "PostgREST roles/grants function", description: "Runs the function that applies roles and grants; holds no role." },
            afterApis,
        );
        const buildAs = new gcp.serviceaccount.Account(
            `${name}-build`,
            {
                displayName: "PostgREST roles/grants function build",
                description: "Builds the roles/grants function: its bucket, its repository, logs.",
            },
            afterApis,
        );
        const builder = pulumi.interpolate`serviceAccount:${buildAs.email}`;

        const bucket = new gcp.storage.Bucket(
            `${name}-source`,
            {
                location: args.region.toUpperCase(),
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                forceDestroy: true,
            },
            afterApis,
        );
        const archive = new gcp.storage.BucketObject(
            `${name}-source`,
            {
                bucket: bucket.name,
                // A new name per code: the function is rebuilt exactly when its code changes.
                name: pulumi.output(args.source).apply((text) => `function-${shortHash(text)}.zip`),
                source: new pulumi.asset.AssetArchive({
                    "index.js": new pulumi.asset.StringAsset(args.source),
                    "package.json": new pulumi.asset.StringAsset(functionPackageJson()),
                }),
            },
            parent,
        );
        const repository = new gcp.artifactregistry.Repository(
            `${name}-images`,
            {
                repositoryId: repositoryId(pulumi.getStack()),
                location: args.region,
                format: "DOCKER",
                description: "Images of the PostgREST roles/grants function",
                cleanupPolicies: [{ id: "keep-newest", action: "KEEP", mostRecentVersions: { keepCount: KEPT_IMAGES } }],
            },
            afterApis,
        );

        const buildGrants: pulumi.CustomResource[] = [
            new gcp.storage.BucketIAMMember(
                `${name}-build-reads-source`,
                { bucket: bucket.name, role: "roles/storage.objectAdmin", member: builder },
                parent,
            ),
            new gcp.artifactregistry.RepositoryIamMember(
                `${name}-build-writes-images`,
                { location: repository.location, repository: repository.name, role: "roles/artifactregistry.writer", member: builder },
                parent,
            ),
            ...BUILD_PROJECT_ROLES.map(
                (role) =>
                    new gcp.projects.IAMMember(
                        `${name}-build-${role.split("/")[1].replace(/\./g, "-").toLowerCase()}`,
                        { project: buildAs.project, role, member: builder },
                        parent,
                    ),
            ),
        ];

        const fn = new gcp.cloudfunctionsv2.Function(
            `${name}-function`,
            {
                location: args.region,
                description: "Applies PostgREST's roles and grants from inside the database's VPC (database.adminAccess in-network)",
                buildConfig: {
                    runtime: FUNCTION_RUNTIME,
                    entryPoint: args.entryPoint,
                    source: { storageSource: { bucket: bucket.name, object: archive.name, generation: archive.generation } },
                    serviceAccount: buildAs.name,
                    dockerRepository: repository.id,
                },
                serviceConfig: {
                    serviceAccountEmail: runAs.email,
                    // Reachable from the deployer's machine, callable only with run.routes.invoke: no allUsers binding anywhere.
                    ingressSettings: "ALLOW_ALL",
                    availableMemory: "256M",
                    timeoutSeconds: args.timeoutSeconds,
                    // A deploy sends one request at a time per stack; the second instance only covers a retry racing a cold start.
                    minInstanceCount: 0,
                    maxInstanceCount: 2,
                    directVpcNetworkInterfaces: [{ network: args.egress.network, subnetwork: args.egress.subnetwork }],
                    // Only private ranges go through the VPC: the database's private address.
                    directVpcEgress: "VPC_EGRESS_PRIVATE_RANGES_ONLY",
                    allTrafficOnLatestRevision: true,
                },
            },
            { parent: this, dependsOn: buildGrants },
        );

        // Direct VPC egress of a function is authorized by roles/run.invoker for the function's own service account
        // (https://cloud.google.com/functions/docs/running/direct-vpc); granted on its own service only.
        const egressGrant = new gcp.cloudrunv2.ServiceIamMember(
            `${name}-egress`,
            { location: args.region, name: fn.name, role: "roles/run.invoker", member: pulumi.interpolate`serviceAccount:${runAs.email}` },
            parent,
        );

        this.url = pulumi.all([fn.serviceConfig, egressGrant.id]).apply(([serviceConfig]) => {
            // Never an empty address: the provider would take it for "no function" and connect from this machine.
            if (!serviceConfig?.uri) throw new Error(`the roles/grants function ${name} has no URL: its deployment did not finish`);
            return serviceConfig.uri;
        });
        this.serviceAccountEmail = runAs.email;
        this.registerOutputs({ url: this.url, serviceAccountEmail: this.serviceAccountEmail });
    }
}

/** 12 hex digits of the text's SHA-256: enough to tell two builds apart. */
function shortHash(text: string): string {
    return createHash("sha256").update(text).digest("hex").slice(0, 12);
}
