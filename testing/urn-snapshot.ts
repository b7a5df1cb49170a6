/**
 * The URN snapshot: every resource's URN in each stack file and main variant, committed in tests/urns.snapshot.json.
 * A URN the snapshot holds and the program no longer produces is a resource Pulumi would delete, unless an alias keeps it.
 */
import * as path from "path";
import { ProgramRun, RegisteredResource, RunOptions, runProgram } from "./harness";
import { exampleStackFiles, readStackFile, stackFiles } from "./stack-files";
import {
    AWS_EXISTING_NETWORK,
    awsCreatedDatabaseConfig,
    awsInNetworkConfig,
    awsStack,
    gcpCreatedDatabaseConfig,
    gcpInNetworkConfig,
    gcpStack,
} from "./stack-configs";
import { MOCK_SHARED_LISTENER_ARN, MOCK_SHARED_LOAD_BALANCER_SG } from "./mocks/aws";

export const URN_SNAPSHOT_FILE = path.resolve(__dirname, "../tests/urns.snapshot.json");

/** Variant name -> the sorted URNs it registers. */
export type UrnSnapshot = Record<string, string[]>;

/** Every committed stack file, then the variants the stack files do not reach. */
export function urnVariants(): Record<string, RunOptions> {
    const variants: Record<string, RunOptions> = {};
    for (const file of [...stackFiles(), ...exampleStackFiles()]) variants[file] = readStackFile(file);
    // NAT gateways are children of the awsx Vpc, a remote component whose children the engine registers, not the program:
    // the gateway options register the same URNs as no NAT. The NAT instance is the program's own.
    Object.assign(variants, {
        "aws: created network, no NAT": { config: awsStack({}) },
        "aws: created network, NAT instance": { config: awsStack({ network: { nat: "instance" } }) },
        "aws: in-network admin": { config: awsInNetworkConfig() },
        "aws: HTTP API with a custom domain, Fargate Spot": {
            config: {
                ...awsStack(
                    { ingress: "http-api", domainName: "api.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
                    { maxInstances: 2, capacity: "spot", settings: { "db-max-rows": 1000 } },
                ),
            },
        },
        "aws: rule on a shared load balancer": {
            config: awsStack({
                ingress: "shared-load-balancer",
                network: AWS_EXISTING_NETWORK,
                sharedLoadBalancer: {
                    listenerArn: MOCK_SHARED_LISTENER_ARN,
                    securityGroupId: MOCK_SHARED_LOAD_BALANCER_SG,
                    pathPrefix: "/api",
                    priority: 10,
                },
            }),
        },
        "aws: created database, RDS": { config: awsCreatedDatabaseConfig() },
        "aws: created database, Aurora Serverless v2": { config: awsCreatedDatabaseConfig({ engine: "aurora-serverless" }) },
        "gcp: created network": { config: gcpStack({ region: "europe-west1", network: { mode: "create", ipCidrRange: "10.20.0.0/26" } }) },
        "gcp: in-network admin": { config: gcpInNetworkConfig() },
        "gcp: created database, Cloud SQL": { config: gcpCreatedDatabaseConfig() },
        "gcp: created database, Cloud SQL with IAM authentication": { config: gcpCreatedDatabaseConfig({}, { cloudSqlIamAuthentication: true }) },
        "gcp: Cloud SQL IAM authentication": {
            config: gcpStack({ cloudSqlInstance: "data-project:us-central1:trees-db", cloudSqlIamAuthentication: true }),
        },
        "gcp: load balancer routing to PostgREST and another Cloud Run service": {
            config: gcpStack({ loadBalancer: { domain: "app.example.com", pathPrefix: "/api", defaultCloudRunService: "fastapi" } }),
        },
    });
    return variants;
}

/** Runs every variant, one after the other (the harness's mocks are global). */
export async function runVariants(): Promise<Record<string, ProgramRun>> {
    const runs: Record<string, ProgramRun> = {};
    for (const [name, options] of Object.entries(urnVariants())) runs[name] = await runProgram(options);
    return runs;
}

/** The snapshot entry of a run: its URNs, sorted. */
export function snapshotUrns(run: ProgramRun): string[] {
    return run.resources.map((r) => r.urn).sort();
}

export interface UrnDrift {
    /** Snapshot URNs that no resource has, nor names as an alias: Pulumi would delete these resources. */
    removed: string[];
    /** Snapshot URNs no longer produced, each kept by the resource whose alias names it. */
    aliased: { former: string; urn: string }[];
    /** URNs the snapshot does not hold yet. */
    added: string[];
}

/** How the URNs of `resources` differ from a snapshot entry. */
export function urnDrift(snapshot: readonly string[], resources: readonly Pick<RegisteredResource, "urn" | "aliases">[]): UrnDrift {
    const current = new Set(resources.map((r) => r.urn));
    const drift: UrnDrift = { removed: [], aliased: [], added: [] };
    for (const former of snapshot) {
        if (current.has(former)) continue;
        const keeper = resources.find((r) => r.aliases?.includes(former));
        if (keeper) drift.aliased.push({ former, urn: keeper.urn });
        else drift.removed.push(former);
    }
    const recorded = new Set(snapshot);
    drift.added = [...current].filter((urn) => !recorded.has(urn)).sort();
    return drift;
}

/** The failure message for URNs that would be deleted. */
export function removedUrnsMessage(variant: string, drift: UrnDrift): string {
    return [
        `${variant}: ${drift.removed.length} resource URN(s) in tests/urns.snapshot.json are no longer produced, and no resource names them as an alias:`,
        ...drift.removed.map((urn) => `  - ${urn}`),
        "On a deployed stack, `pulumi up` would delete these resources (and create their replacements under the new URNs).",
        "If the resource moved or was renamed (its type, name or parent), keep it with an alias on the new resource,",
        '  e.g. `aliases: [{ name: "former-name", parent: formerParent, type: "former:type:Token" }]`: https://www.pulumi.com/docs/iac/concepts/options/aliases/',
        "If the removal is intended, run `npm run urns:update` and commit tests/urns.snapshot.json.",
        ...(drift.added.length
            ? ["URNs produced now that the snapshot does not hold (a renamed resource may be among them):", ...drift.added.map((urn) => `  + ${urn}`)]
            : []),
    ].join("\n");
}
