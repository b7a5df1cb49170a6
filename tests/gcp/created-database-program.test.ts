/**
 * database.create on GCP, the whole program (index.ts) under mocks: Cloud SQL with a private IP only, through Private
 * Service Access on the network the stack creates, TLS required, its admin password generated into Secret Manager and in
 * no plain input, the service and the in-network function egressing into that network, the roles and grants read from
 * the created secret once the database, its admin and the secret's version exist, and PostgREST pointed at the private IP.
 */
import * as assert from "assert";
import { ProgramRun, ROLES_AND_GRANTS, RegisteredResource, plainInputs, runProgram, waitsFor, waitsForTransitively } from "../../testing/harness";
import { mockPassword } from "../../testing/mocks/random";
import { TYPES, container } from "../../testing/gcp-fixtures";
import { gcpCreatedDatabaseConfig } from "../../testing/stack-configs";

const SQL = {
    instance: "gcp:sql/databaseInstance:DatabaseInstance",
    database: "gcp:sql/database:Database",
    user: "gcp:sql/user:User",
    peering: "gcp:servicenetworking/connection:Connection",
    function: "gcp:cloudfunctionsv2/function:Function",
} as const;

/** The generated passwords (testing/mocks/random.ts): the Cloud SQL admin's and the authenticator's, secret both. */
const ADMIN_PASSWORD = mockPassword("postgrest-database-admin-password", 40);
const AUTHENTICATOR_PASSWORD = mockPassword("postgrest-authenticator-password", 32);
/** What the mocks give: the created network's id and self link, the subnetwork's id, the instance's private IP. */
const NETWORK_ID = "projects/my-project/global/networks/postgrest-network";
const NETWORK_SELF_LINK = `https://www.googleapis.com/compute/v1/${NETWORK_ID}`;
const SUBNETWORK_ID = "projects/my-project/regions/us-central1/subnetworks/postgrest-network";
const PRIVATE_IP = "10.88.0.3";

function named(run: ProgramRun, type: string, name: string): RegisteredResource {
    const found = run.byType(type).find((r) => r.name === name);
    if (!found) throw new Error(`no ${type} named ${name}: ${run.byType(type).map((r) => r.name)}`);
    return found;
}

describe("gcp: database.create (Cloud SQL), the whole program", function () {
    this.timeout(120_000);
    let run: ProgramRun;
    let instance: RegisteredResource;
    before(async () => {
        run = await runProgram({ config: gcpCreatedDatabaseConfig(), secretKeys: ["jwtSecret"] });
        instance = run.one(SQL.instance);
    });

    it("has no public IP: a private IP in the created network, through a Private Service Access range peered with it", () => {
        const ip = instance.inputs.settings.ipConfiguration;
        const range = run.byType(TYPES.address).find((address) => address.name === "postgrest-database-private-range")!;
        assert.deepStrictEqual(ip, {
            ipv4Enabled: false,
            privateNetwork: NETWORK_SELF_LINK,
            allocatedIpRange: range.name,
            sslMode: "ENCRYPTED_ONLY",
        });
        assert.deepStrictEqual(
            [range.inputs.network, range.inputs.purpose, range.inputs.addressType],
            [NETWORK_SELF_LINK, "VPC_PEERING", "INTERNAL"],
        );
        const peering = run.one(SQL.peering);
        assert.deepStrictEqual(
            [peering.inputs.network, peering.inputs.service, peering.inputs.reservedPeeringRanges],
            [NETWORK_SELF_LINK, "servicenetworking.googleapis.com", [range.name]],
        );
        assert.ok(waitsFor(instance, { type: SQL.peering, name: peering.name }), "the instance takes its IP once the peering exists");
    });

    // Encryption at rest is Cloud SQL's own and cannot be turned off (https://cloud.google.com/sql/docs/postgres/data-protection):
    // no input says it. What the program sets is TLS in transit.
    it("refuses connections without TLS (sslMode ENCRYPTED_ONLY) and keeps backups", () => {
        assert.strictEqual(instance.inputs.settings.ipConfiguration.sslMode, "ENCRYPTED_ONLY");
        assert.deepStrictEqual(
            [
                instance.inputs.settings.backupConfiguration.enabled,
                instance.inputs.settings.backupConfiguration.backupRetentionSettings.retainedBackups,
            ],
            [true, 7],
        );
    });

    it("keeps its admin password in Secret Manager and secret inputs only: in no plain input of any resource", () => {
        const user = run.one(SQL.user);
        assert.strictEqual(user.inputs.password.value, ADMIN_PASSWORD, "the user's password is a secret input");
        const version = named(run, TYPES.secretVersion, "postgrest-database-admin");
        assert.deepStrictEqual(JSON.parse(version.inputs.secretData.value), { username: user.inputs.name, password: ADMIN_PASSWORD });
        for (const resource of run.resources)
            for (const password of [ADMIN_PASSWORD, AUTHENTICATOR_PASSWORD])
                assert.ok(!plainInputs(resource).includes(password), `${resource.type} ${resource.name} holds a password in a plain input`);
    });

    it("sends the service's and the in-network function's egress into the created subnetwork", () => {
        assert.deepStrictEqual(run.one(TYPES.service).inputs.template.vpcAccess, {
            networkInterfaces: [{ network: NETWORK_ID, subnetwork: SUBNETWORK_ID }],
            egress: "PRIVATE_RANGES_ONLY",
        });
        const fn = run.one(SQL.function);
        assert.deepStrictEqual(
            [fn.inputs.serviceConfig.directVpcNetworkInterfaces, fn.inputs.serviceConfig.directVpcEgress],
            [[{ network: NETWORK_ID, subnetwork: SUBNETWORK_ID }], "VPC_EGRESS_PRIVATE_RANGES_ONLY"],
        );
        assert.strictEqual(named(run, TYPES.subnetwork, "postgrest-network").inputs.network, NETWORK_ID);
    });

    it("applies roles and grants through the function, with the created secret and private IP, and no admin URL", () => {
        const access = run.one(ROLES_AND_GRANTS.type);
        assert.deepStrictEqual(access.inputs.adminSecret, {
            secret: "projects/my-project/secrets/postgrest-database-admin",
            host: PRIVATE_IP,
            port: 5432,
            database: "startup",
        });
        assert.ok(!("adminUrl" in access.inputs), `adminUrl: ${JSON.stringify(access.inputs.adminUrl)}`);
        assert.deepStrictEqual(access.inputs.adminTransport, { kind: "cloud-run", url: "https://postgrest-admin-function-a1b2c3d4e5-uc.a.run.app" });
    });

    it("applies roles and grants once the database, its admin and the secret's version exist, and starts PostgREST after", () => {
        const access = run.one(ROLES_AND_GRANTS.type);
        for (const needed of [
            { type: SQL.instance, name: "postgrest-database-instance" },
            { type: SQL.database, name: "postgrest-database-database" },
            { type: SQL.user, name: "postgrest-database-admin" },
            { type: TYPES.secretVersion, name: "postgrest-database-admin" },
            { type: SQL.function, name: "postgrest-admin-function" },
        ])
            assert.ok(waitsForTransitively(run, access, needed), `roles and grants do not wait for ${needed.type} ${needed.name}`);
        const service = run.one(TYPES.service);
        assert.ok(waitsFor(service, ROLES_AND_GRANTS), `the service waits only for ${service.dependencies?.join(", ")}`);
    });

    it("points PGRST_DB_URI, a secret mounted as a file, at the private IP with TLS", () => {
        assert.strictEqual(container(run).envs.find((env: { name: string }) => env.name === "PGRST_DB_URI").value, "@/etc/postgrest/db-uri/value");
        const version = named(run, TYPES.secretVersion, "postgrest-secrets-db-uri");
        const url = new URL(version.inputs.secretData.value);
        assert.deepStrictEqual(
            [url.username, decodeURIComponent(url.password), url.hostname, url.port, url.pathname, url.searchParams.get("sslmode")],
            ["authenticator", AUTHENTICATOR_PASSWORD, PRIVATE_IP, "5432", "/startup", "require"],
        );
    });

    it("enables the APIs Cloud SQL needs before the network and the instance", () => {
        const apis = run.byType(TYPES.api).filter((api) => api.parent?.endsWith("postgrest:gcp:GoogleApis::postgrest-database-apis"));
        assert.deepStrictEqual(apis.map((api) => api.inputs.service).sort(), [
            "compute.googleapis.com",
            "secretmanager.googleapis.com",
            "servicenetworking.googleapis.com",
            "sqladmin.googleapis.com",
        ]);
        for (const api of apis) {
            assert.ok(waitsForTransitively(run, instance, api), `the instance does not wait for ${api.inputs.service}`);
            assert.ok(waitsFor(named(run, TYPES.network, "postgrest-network"), api), `the network does not wait for ${api.inputs.service}`);
        }
    });
});

describe("gcp: database.create in the user's network (mode existing)", function () {
    this.timeout(120_000);
    const network = "projects/my-project/global/networks/db-vpc";
    const subnetwork = "projects/my-project/regions/us-central1/subnetworks/db-subnet";

    it("takes its private IP in that network, where the service and the in-network function egress", async () => {
        const run = await runProgram({
            config: gcpCreatedDatabaseConfig({}, { network: { mode: "existing", network, subnetwork } }),
            secretKeys: ["jwtSecret"],
        });
        assert.strictEqual(run.one(SQL.instance).inputs.settings.ipConfiguration.privateNetwork, network);
        assert.strictEqual(run.one(SQL.peering).inputs.network, network);
        assert.deepStrictEqual(run.byType(TYPES.network), [], "no network is created");
        assert.deepStrictEqual(run.one(TYPES.service).inputs.template.vpcAccess.networkInterfaces, [{ network, subnetwork }]);
        assert.deepStrictEqual(run.one(SQL.function).inputs.serviceConfig.directVpcNetworkInterfaces, [{ network, subnetwork }]);
    });
});

describe("gcp: database.create with Cloud SQL IAM authentication", function () {
    this.timeout(120_000);
    let run: ProgramRun;
    let plain: ProgramRun;
    before(async () => {
        run = await runProgram({ config: gcpCreatedDatabaseConfig({}, { cloudSqlIamAuthentication: true }), secretKeys: ["jwtSecret"] });
        plain = await runProgram({ config: gcpCreatedDatabaseConfig(), secretKeys: ["jwtSecret"] });
    });
    /** The created instance's connection name, as the mocks give it: project:region:instance. */
    const connectionName = (of: ProgramRun) => `my-project:us-central1:${of.one(SQL.instance).name}`;
    /** PostgREST's own service account (components/gcp/identity.ts), beside the in-network function's accounts. */
    const iamUser = (of: ProgramRun) => `${named(of, TYPES.account, "postgrest-identity-run").name}@my-project.iam`;
    const cloudSqlRoles = (of: ProgramRun) => of.byType(TYPES.projectIam).filter((grant) => grant.inputs.role.startsWith("roles/cloudsql."));

    it("turns the created instance's IAM authentication flag on, and only with the option", () => {
        assert.deepStrictEqual(run.one(SQL.instance).inputs.settings.databaseFlags, [{ name: "cloudsql.iam_authentication", value: "on" }]);
        assert.strictEqual(plain.one(SQL.instance).inputs.settings.databaseFlags, undefined);
    });

    it("points the Auth Proxy sidecar at the created instance over its private IP, and PGRST_DB_URI at the proxy with no password", () => {
        const sidecar = run.one(TYPES.service).inputs.template.containers.find((c: { name: string }) => c.name === "cloud-sql-proxy");
        assert.deepStrictEqual(
            [sidecar.args[0], sidecar.args[1], sidecar.args[sidecar.args.length - 1]],
            ["--auto-iam-authn", "--private-ip", connectionName(run)],
        );
        const url = new URL(named(run, TYPES.secretVersion, "postgrest-secrets-db-uri").inputs.secretData.value);
        assert.deepStrictEqual(
            [decodeURIComponent(url.username), url.password, url.hostname, url.port, url.searchParams.get("sslmode")],
            [iamUser(run), "", "127.0.0.1", "5432", "disable"],
        );
    });

    it("makes the service account's IAM user on the created instance, lets it log in there, and grants it the authenticator after", () => {
        const iam = run.byType(SQL.user).find((user) => user.inputs.type === "CLOUD_IAM_SERVICE_ACCOUNT")!;
        assert.deepStrictEqual([iam.inputs.name, iam.inputs.instance, iam.inputs.project], [iamUser(run), run.one(SQL.instance).name, "my-project"]);
        const roles = cloudSqlRoles(run).map((grant) => [grant.inputs.project, grant.inputs.role, grant.inputs.member]);
        const member = "serviceAccount:postgrest-identity-run@my-project.iam.gserviceaccount.com";
        assert.deepStrictEqual(roles.sort(), [
            ["my-project", "roles/cloudsql.client", member],
            ["my-project", "roles/cloudsql.instanceUser", member],
        ]);
        const access = run.one(ROLES_AND_GRANTS.type);
        assert.strictEqual(access.inputs.state[`${iamUser(run)} member of authenticator`], "declared");
        assert.ok(waitsForTransitively(run, access, iam), "the roles and grants do not wait for the IAM user");
        // The admin still logs in with the created secret, through the in-network function.
        assert.strictEqual(access.inputs.adminSecret.secret, "projects/my-project/secrets/postgrest-database-admin");
    });

    it("without the option, the service account gets no Cloud SQL role: PostgREST reaches the private IP with its password", () => {
        assert.deepStrictEqual(cloudSqlRoles(plain), []);
        assert.ok(!plain.one(TYPES.service).inputs.template.containers.some((c: { name: string }) => c.name === "cloud-sql-proxy"));
    });
});
