import * as assert from "assert";
import { expectConfigError } from "../../../testing/harness";
import { gcpStack } from "../../../testing/stack-configs";
import { iamUserNameProblem } from "../../../components/gcp/config/cloud-sql";

interface Case {
    name: string;
    gcp?: Record<string, unknown>;
    service?: Record<string, unknown>;
    others?: Record<string, unknown>;
    key: string;
    says: RegExp;
}

const cases: Case[] = [
    // Cloud Run sizes (https://cloud.google.com/run/docs/configuring/services/cpu, .../memory-limits).
    {
        name: "cpu between whole sizes",
        service: { cpu: 3, memory: 4096 },
        key: "postgrest:service.cpu",
        says: /3 vCPU is not a Cloud Run size.*1, 2, 4, 6, 8/,
    },
    { name: "cpu above 8", service: { cpu: 16, memory: 32768 }, key: "postgrest:service.cpu", says: /16 vCPU is not a Cloud Run size/ },
    {
        name: "concurrency above 1 below 1 vCPU",
        service: { cpu: 0.5 },
        gcp: { concurrency: 80 },
        key: "postgrest:gcp.concurrency",
        says: /less than 1 vCPU.*one request at a time/,
    },
    {
        name: "gen2 below 1 vCPU",
        service: { cpu: 0.5 },
        gcp: { executionEnvironment: "gen2" },
        key: "postgrest:gcp.executionEnvironment",
        says: /gen2 needs at least 1 vCPU/,
    },
    {
        name: "over 512 MiB below 0.5 vCPU",
        service: { cpu: 0.25, memory: 1024 },
        key: "postgrest:service.memory",
        says: /1024 MiB needs at least 0.5 vCPU/,
    },
    { name: "over 1 GiB below 1 vCPU", service: { cpu: 0.5, memory: 2048 }, key: "postgrest:service.memory", says: /2048 MiB needs at least 1 vCPU/ },
    { name: "over 4 GiB on 1 vCPU", service: { cpu: 1, memory: 8192 }, key: "postgrest:service.memory", says: /8192 MiB needs at least 2 vCPU/ },
    { name: "over 16 GiB on 4 vCPU", service: { cpu: 4, memory: 20480 }, key: "postgrest:service.memory", says: /20480 MiB needs at least 6 vCPU/ },
    { name: "over 32 GiB", service: { cpu: 8, memory: 40960 }, key: "postgrest:service.memory", says: /more than Cloud Run's maximum of 32768 MiB/ },
    { name: "4 vCPU with 1 GiB", service: { cpu: 4, memory: 1024 }, key: "postgrest:service.memory", says: /4 vCPU needs at least 2048 MiB/ },
    { name: "6 vCPU with 2 GiB", service: { cpu: 6, memory: 2048 }, key: "postgrest:service.memory", says: /6 vCPU needs at least 4096 MiB/ },
    { name: "8 vCPU with 2 GiB", service: { cpu: 8, memory: 2048 }, key: "postgrest:service.memory", says: /8 vCPU needs at least 4096 MiB/ },
    {
        name: "gen2 under 512 MiB",
        service: { memory: 256 },
        gcp: { executionEnvironment: "gen2" },
        key: "postgrest:service.memory",
        says: /256 MiB is below the 512 MiB minimum of the gen2/,
    },
    { name: "concurrency above 1000", gcp: { concurrency: 1001 }, key: "postgrest:gcp.concurrency", says: /between 1 and 1000/ },
    {
        name: "unknown execution environment",
        gcp: { executionEnvironment: "gen3" },
        key: "postgrest:gcp.executionEnvironment",
        says: /"gen3" is not one of gen1, gen2/,
    },
    // The gcp keys.
    { name: "gcp key typo", gcp: { secretAs: "env" }, key: "postgrest:gcp.secretAs", says: /unknown key, did you mean "secretsAs"/ },
    { name: "region that is no region", gcp: { region: "US Central" }, key: "postgrest:gcp.region", says: /not a Cloud Run region name/ },
    { name: "unknown secretsAs", gcp: { secretsAs: "volume" }, key: "postgrest:gcp.secretsAs", says: /"volume" is not one of files, env/ },
    {
        name: "deletionProtection in its old place",
        gcp: { deletionProtection: true },
        key: "postgrest:gcp.deletionProtection",
        says: /has moved to the top-level key deletionProtection/,
    },
    {
        name: "invoker members on a public service",
        gcp: { invokerMembers: ["user:ana@example.com"] },
        key: "postgrest:gcp.invokerMembers",
        says: /only applies when gcp.public is false/,
    },
    {
        name: "allUsers as an invoker",
        gcp: { public: false, invokerMembers: ["allUsers"] },
        key: "postgrest:gcp.invokerMembers[0]",
        says: /makes the API public: set gcp.public: true/,
    },
    {
        name: "invoker without a principal type",
        gcp: { public: false, invokerMembers: ["ana@example.com"] },
        key: "postgrest:gcp.invokerMembers[0]",
        says: /not an IAM principal/,
    },
    {
        name: "unknown network mode",
        gcp: { network: { mode: "shared" } },
        key: "postgrest:gcp.network.mode",
        says: /"shared" is not one of none, existing, create/,
    },
    {
        name: "existing network without subnetwork",
        gcp: { network: { mode: "existing", network: "prod" } },
        key: "postgrest:gcp.network.subnetwork",
        says: /is required/,
    },
    {
        name: "subnetwork given as a CIDR",
        gcp: { network: { mode: "existing", subnetwork: "10.0.0.0/24" } },
        key: "postgrest:gcp.network.subnetwork",
        says: /not a subnetwork name/,
    },
    {
        name: "subnetwork of another region",
        gcp: { region: "europe-west1", network: { mode: "existing", subnetwork: "projects/p-1/regions/us-central1/subnetworks/run-egress" } },
        key: "postgrest:gcp.network.subnetwork",
        says: /is in us-central1, and the service runs in europe-west1: Direct VPC egress needs a subnetwork of the service's region/,
    },
    {
        name: "network of another mode",
        gcp: { network: { mode: "create", subnetwork: "run-egress" } },
        key: "postgrest:gcp.network.subnetwork",
        says: /applies only to mode: existing/,
    },
    {
        name: "subnetwork without a mode",
        gcp: { network: { subnetwork: "run-egress" } },
        key: "postgrest:gcp.network.subnetwork",
        says: /applies only to mode: existing, and mode is none/,
    },
    {
        name: "created range smaller than /26",
        gcp: { network: { mode: "create", ipCidrRange: "10.8.0.0/28" } },
        key: "postgrest:gcp.network.ipCidrRange",
        says: /needs a \/26 or larger/,
    },
    {
        name: "created range public",
        gcp: { network: { mode: "create", ipCidrRange: "8.8.8.0/24" } },
        key: "postgrest:gcp.network.ipCidrRange",
        says: /not a private \(RFC 1918\) range/,
    },
    {
        name: "created range with host bits",
        gcp: { network: { mode: "create", ipCidrRange: "10.8.0.5/24" } },
        key: "postgrest:gcp.network.ipCidrRange",
        says: /starts at 10.8.0.0\/24/,
    },
    {
        name: "Cloud SQL instance by name only",
        gcp: { cloudSqlInstance: "trees-db" },
        key: "postgrest:gcp.cloudSqlInstance",
        says: /not a Cloud SQL connection name \(project:region:instance\)/,
    },
    {
        name: "IAM authentication without a Cloud SQL instance",
        gcp: { cloudSqlIamAuthentication: true },
        key: "postgrest:gcp.cloudSqlIamAuthentication",
        says: /needs gcp.cloudSqlInstance/,
    },
    {
        name: "IAM authentication not a boolean",
        gcp: { cloudSqlInstance: "proj-1:us-central1:db", cloudSqlIamAuthentication: "yes" },
        key: "postgrest:gcp.cloudSqlIamAuthentication",
        says: /boolean|true or false/,
    },
    {
        name: "load balancer without domain",
        gcp: { loadBalancer: { pathPrefix: "/rest" } },
        key: "postgrest:gcp.loadBalancer.domain",
        says: /is required/,
    },
    {
        name: "wildcard domain",
        gcp: { loadBalancer: { domain: "*.example.com" } },
        key: "postgrest:gcp.loadBalancer.domain",
        says: /cannot cover a wildcard domain/,
    },
    {
        name: "domain given as a URL",
        gcp: { loadBalancer: { domain: "https://api.example.com" } },
        key: "postgrest:gcp.loadBalancer.domain",
        says: /not a lower-case host name/,
    },
    {
        name: "path prefix with a wildcard",
        gcp: { loadBalancer: { domain: "api.example.com", pathPrefix: "/rest/*" } },
        key: "postgrest:gcp.loadBalancer.pathPrefix",
        says: /no trailing \/, no wildcards/,
    },
    {
        name: "default backend that gets nothing",
        gcp: { loadBalancer: { domain: "api.example.com", defaultBackend: "projects/p1-123/global/backendServices/web" } },
        key: "postgrest:gcp.loadBalancer.pathPrefix",
        says: /every path goes to PostgREST and defaultBackend would get nothing/,
    },
    {
        name: "default backend by bare name",
        gcp: { loadBalancer: { domain: "api.example.com", pathPrefix: "/rest", defaultBackend: "web" } },
        key: "postgrest:gcp.loadBalancer.defaultBackend",
        says: /not a global backend service or bucket path/,
    },
    {
        name: "a private service behind the load balancer",
        gcp: {
            public: false,
            invokerMembers: ["serviceAccount:backend@my-project.iam.gserviceaccount.com"],
            loadBalancer: { domain: "api.example.com" },
        },
        key: "postgrest:gcp.public",
        says: /load balancer attaches no Google ID token, so Cloud Run IAM would refuse every request/,
    },
    {
        name: "Cloud Run service given as a URL",
        gcp: { loadBalancer: { domain: "app.example.com", pathPrefix: "/api", defaultCloudRunService: "https://fastapi-abc-uc.a.run.app" } },
        key: "postgrest:gcp.loadBalancer.defaultCloudRunService",
        says: /not a Cloud Run service name/,
    },
    {
        name: "both default routes",
        gcp: {
            loadBalancer: {
                domain: "app.example.com",
                pathPrefix: "/api",
                defaultCloudRunService: "fastapi",
                defaultBackend: "projects/p1-123/global/backendServices/web",
            },
        },
        key: "postgrest:gcp.loadBalancer.defaultCloudRunService",
        says: /and defaultBackend both name where other paths go/,
    },
    {
        name: "Cloud Run default route that gets nothing",
        gcp: { loadBalancer: { domain: "app.example.com", defaultCloudRunService: "fastapi" } },
        key: "postgrest:gcp.loadBalancer.pathPrefix",
        says: /defaultCloudRunService would get nothing/,
    },
    {
        name: "load balancer key typo",
        gcp: { loadBalancer: { domain: "api.example.com", pathprefix: "/rest" } },
        key: "postgrest:gcp.loadBalancer.pathprefix",
        says: /did you mean "pathPrefix"/,
    },
    // The connection budget with Cloud Run's peak: service-level max instances.
    {
        name: "connection budget",
        service: { maxInstances: 5, dbPool: 10 },
        others: { database: { host: "db.example.com", name: "startup", maxConnections: 50 } },
        key: "postgrest:service.dbPool",
        says: /up to 5 instances at once × 11 connections .* = 55, more than database.maxConnections \(50\)/,
    },
];

describe("gcp: config validation, before anything is registered", function () {
    this.timeout(20_000);
    for (const c of cases) {
        it(`refuses ${c.name}, naming ${c.key}`, async () => {
            const others = { ...c.others, ...(c.service ? { service: { maxInstances: 2, ...c.service } } : {}) };
            const error = await expectConfigError(gcpStack(c.gcp, others));
            const line = error.message.split("\n").find((l) => l.startsWith(`  - ${c.key}: `));
            assert.ok(line, `no problem for ${c.key} in:\n${error.message}`);
            assert.match(line!, c.says);
            assert.match(line!, /Example: \S/);
            assert.deepStrictEqual(error.resources, [], "resources were registered");
        });
    }

    it("refuses a stack without gcp:project, naming gcp:project", async () => {
        const error = await expectConfigError(gcpStack(), { providerConfig: { "gcp:project": "" } });
        assert.match(
            error.message,
            /  - gcp:project: is not set, nor GOOGLE_PROJECT, GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT or CLOUDSDK_CORE_PROJECT in the environment.*Example: export CLOUDSDK_CORE_PROJECT="\$\(gcloud config get-value project\)" \(gcloud's project\), or pulumi config set gcp:project my-project-id/,
        );
        assert.deepStrictEqual(error.resources, []);
    });

    it("refuses IAM authentication when the IAM user's name could pass PostgreSQL's 63 bytes, and takes a 28-character project id", async () => {
        const iam = { cloudSqlInstance: "proj-1:us-central1:db", cloudSqlIamAuthentication: true };
        const project29 = "a-project-id-of-29-characters";
        assert.strictEqual(project29.length, 29);
        const error = await expectConfigError(gcpStack(iam), { providerConfig: { "gcp:project": project29 } });
        assert.match(
            error.message,
            /postgrest:gcp\.cloudSqlIamAuthentication: the service account's IAM database user would be <account id>@a-project-id-of-29-characters\.iam, up to 64 characters.*at most 28 characters/,
        );
        assert.deepStrictEqual(error.resources, []);
        assert.strictEqual(iamUserNameProblem(project29.slice(1)), undefined);
        assert.strictEqual(`${"a".repeat(30)}@${project29.slice(1)}.iam`.length, 63);
    });

    it("checks the subnetwork against the provider's region when gcp.region is unset, naming gcp.network.subnetwork", async () => {
        const network = { mode: "existing", subnetwork: "projects/p-1/regions/us-central1/subnetworks/run-egress" };
        const error = await expectConfigError(gcpStack({ region: undefined, network }), { providerConfig: { "gcp:region": "asia-northeast1" } });
        assert.match(
            error.message,
            /postgrest:gcp\.network\.subnetwork: is in us-central1, and the service runs in asia-northeast1 \(gcp:region, or the default\)/,
        );
    });

    it("lists every problem of the gcp block at once", async () => {
        const error = await expectConfigError(
            gcpStack(
                {
                    concurrency: 80,
                    secretsAs: "volume",
                    network: { mode: "create", ipCidrRange: "10.8.0.0/28" },
                    loadBalancer: { domain: "*.example.com" },
                },
                { service: { cpu: 0.25, memory: 1024, maxInstances: 2 } },
            ),
        );
        for (const key of ["gcp.concurrency", "gcp.secretsAs", "gcp.network.ipCidrRange", "gcp.loadBalancer.domain", "service.memory"]) {
            assert.ok(error.message.includes(`postgrest:${key}: `), `${key} missing from:\n${error.message}`);
        }
        assert.deepStrictEqual(error.resources, []);
    });
});
