import * as assert from "assert";
import { ProgramRun, ROLES_AND_GRANTS, runProgram, waitsFor } from "../../testing/harness";
import { MOCK_LOAD_BALANCER_IP, MOCK_PROJECT_NUMBER } from "../../testing/mocks/gcp";
import { fakeDigest } from "../../testing/registry";
import { GCP_JWT_SECRET as JWT_SECRET, gcpStack } from "../../testing/stack-configs";
import { TYPES, container, label } from "../../testing/gcp-fixtures";

/** A secret input arrives under mocks as { <signature>, value }; a plain one as the value itself. */
function secretValue(input: any): string | undefined {
    return input && typeof input === "object" && "value" in input ? input.value : undefined;
}

/** Checks that hold for every variant. */
function assertInvariants(run: ProgramRun): void {
    const service = run.one(TYPES.service);
    const postgrest = container(run);

    // No secret value in any plain env var: the two secret settings are `@/file` or a secretKeyRef, nothing else holds a URI or the JWT secret.
    for (const env of postgrest.envs) {
        if (env.name === "PGRST_DB_URI" || env.name === "PGRST_JWT_SECRET") {
            assert.ok(env.valueSource?.secretKeyRef || /^@\/\S+$/.test(env.value), `${env.name} = ${JSON.stringify(env)}`);
        } else {
            assert.ok(!String(env.value).includes(JWT_SECRET) && !/^postgres(ql)?:/.test(env.value), `${env.name} holds a secret`);
        }
    }
    // The JWT secret is stored in Secret Manager only, as a secret input.
    for (const resource of run.resources) {
        if (resource.type === TYPES.secretVersion) continue;
        assert.ok(!JSON.stringify(resource.inputs).includes(JWT_SECRET), `${label(resource)} holds the JWT secret`);
    }
    const versions = run.byType(TYPES.secretVersion);
    assert.strictEqual(versions.length, 2);
    for (const version of versions) assert.ok(secretValue(version.inputs.secretData) !== undefined, `${version.name} secretData is not secret`);

    // The service account can read exactly the two secrets: one secret-level accessor binding each, no other role but Cloud SQL's.
    const secrets = run.byType(TYPES.secret);
    assert.strictEqual(secrets.length, 2);
    const grants = run.byType(TYPES.secretIam);
    assert.deepStrictEqual(grants.map((g) => g.inputs.secretId).sort(), secrets.map((s) => s.id).sort());
    const account = run.one(TYPES.account);
    const email = `${account.name}@my-project.iam.gserviceaccount.com`;
    for (const grant of grants)
        assert.deepStrictEqual([grant.inputs.role, grant.inputs.member], ["roles/secretmanager.secretAccessor", `serviceAccount:${email}`]);
    // roles/cloudsql.instanceUser only for a stack whose account logs in to the database as its IAM user.
    const projectRoles = run.byType(TYPES.sqlUser).length > 0 ? ["roles/cloudsql.client", "roles/cloudsql.instanceUser"] : ["roles/cloudsql.client"];
    for (const grant of run.byType(TYPES.projectIam)) assert.ok(projectRoles.includes(grant.inputs.role), grant.inputs.role);
    assert.strictEqual(service.inputs.template.serviceAccount, email);

    // Max instances always set, at service level (all revisions together) and per revision.
    assert.strictEqual(service.inputs.scaling.maxInstanceCount, 2);
    assert.strictEqual(service.inputs.template.scaling.maxInstanceCount, 2);
    // Probes on the admin port.
    assert.deepStrictEqual(postgrest.startupProbe.httpGet, { path: "/ready", port: 3001 });
    assert.deepStrictEqual(postgrest.livenessProbe.httpGet, { path: "/live", port: 3001 });
    assert.strictEqual(postgrest.ports.containerPort, 3000);
    // Nothing is created before the APIs it needs are enabled (the APIs' own component waits for nothing).
    const apiUrns = run.byType(TYPES.api).map((api) => ({ type: api.type, name: api.name }));
    for (const resource of run.resources) {
        if (!/postgrest:gcp:(Identity|Secrets|Network|LoadBalancer)::/.test(resource.parent ?? "")) continue;
        for (const api of apiUrns) assert.ok(waitsFor(resource, api), `${label(resource)} does not wait for ${api.name}`);
    }
    // APIs stay enabled on destroy.
    for (const api of run.byType(TYPES.api)) assert.strictEqual(api.inputs.disableOnDestroy, false, api.name);
}

describe("gcp: the program on Cloud Run, per variant", function () {
    this.timeout(30_000);

    describe("plain: defaults only", () => {
        let run: ProgramRun;
        before(async () => (run = await runProgram({ config: gcpStack() })));

        it("keeps the invariants", () => assertInvariants(run));

        it("is a public service on its run.app URL, scaling to zero, deletable on destroy", () => {
            const service = run.one(TYPES.service).inputs;
            assert.strictEqual(service.location, "us-central1");
            assert.strictEqual(service.ingress, "INGRESS_TRAFFIC_ALL");
            assert.strictEqual(service.invokerIamDisabled, true);
            assert.strictEqual(service.deletionProtection, false);
            assert.strictEqual(service.scaling.minInstanceCount, 0);
            assert.strictEqual(service.template.maxInstanceRequestConcurrency, 80);
            assert.strictEqual(service.template.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN2");
            assert.strictEqual(service.template.vpcAccess, undefined);
            assert.deepStrictEqual(container(run).resources, { limits: { cpu: "1000m", memory: "512Mi" }, cpuIdle: true });
            // The default tag, by the digest the registry names for it (tests/image-digest.test.ts).
            assert.strictEqual(container(run).image, `postgrest/postgrest@${fakeDigest("postgrest/postgrest", "v16.2")}`);
            assert.match(String(run.outputs.url), /^https:\/\/\S+\.run\.app$/);
            assert.strictEqual(run.byType(TYPES.invoker).length, 0);
        });

        it("mounts each secret as a file at a pinned version, and points PostgREST at it with @/path", () => {
            const envs = Object.fromEntries(container(run).envs.map((e: any) => [e.name, e.value]));
            assert.strictEqual(envs.PGRST_DB_URI, "@/etc/postgrest/db-uri/value");
            assert.strictEqual(envs.PGRST_JWT_SECRET, "@/etc/postgrest/jwt-secret/value");
            const volumes = run.one(TYPES.service).inputs.template.volumes;
            const mounts = container(run).volumeMounts;
            const secretNames = run.byType(TYPES.secret).map((s) => s.name);
            for (const [setting, directory] of [
                ["PGRST_DB_URI", "/etc/postgrest/db-uri"],
                ["PGRST_JWT_SECRET", "/etc/postgrest/jwt-secret"],
            ]) {
                const mount = mounts.find((m: any) => m.mountPath === directory);
                const volume = volumes.find((v: any) => v.name === mount.name);
                assert.ok(secretNames.includes(volume.secret.secret), `${setting}: ${volume.secret.secret}`);
                assert.deepStrictEqual(volume.secret.items, [{ path: "value", version: "1" }]);
                assert.strictEqual(volume.secret.defaultMode, 0o444);
            }
        });

        it("stores the JWT secret and a URI for the authenticator on database.host", () => {
            const values = run.byType(TYPES.secretVersion).map((v) => secretValue(v.inputs.secretData));
            assert.ok(values.includes(JWT_SECRET));
            assert.match(
                values.find((v) => v !== JWT_SECRET)!,
                /^postgresql:\/\/authenticator:.*@db\.example\.com:5432\/startup\?sslmode=require$/,
            );
        });

        it("starts the Cloud Run service only once the database roles and grants are applied and its secrets are readable", () => {
            const service = run.one(TYPES.service);
            assert.ok(waitsFor(service, ROLES_AND_GRANTS), `the service waits only for ${service.dependencies?.join(", ")}`);
            for (const grant of run.byType(TYPES.secretIam)) assert.ok(waitsFor(service, grant), `the service does not wait for ${grant.name}`);
        });

        it("enables Cloud Run, Secret Manager, IAM and Cloud Monitoring only, and exports ids, not values", () => {
            assert.deepStrictEqual(
                run.byType(TYPES.api).map((a) => a.inputs.service),
                [
                    "cloudresourcemanager.googleapis.com",
                    "run.googleapis.com",
                    "secretmanager.googleapis.com",
                    "iam.googleapis.com",
                    "monitoring.googleapis.com",
                ],
            );
            const secretIds = run.outputs.secretIds as string[];
            assert.deepStrictEqual(
                secretIds,
                run.byType(TYPES.secret).map((s) => s.id),
            );
            assert.match(String((run.outputs.details as any).serviceAccount), /@my-project\.iam\.gserviceaccount\.com$/);
            for (const type of [TYPES.network, TYPES.address, TYPES.urlMap, TYPES.projectIam]) assert.strictEqual(run.byType(type).length, 0, type);
        });
    });

    describe("secrets as env (secretKeyRef), invokers instead of public", () => {
        let run: ProgramRun;
        before(
            async () =>
                (run = await runProgram({
                    config: gcpStack({
                        secretsAs: "env",
                        public: false,
                        invokerMembers: ["serviceAccount:backend@my-project.iam.gserviceaccount.com", "group:ops@example.com"],
                    }),
                })),
        );

        it("keeps the invariants", () => assertInvariants(run));

        it("references each secret by name and pinned version, mounting nothing", () => {
            const envs = container(run).envs.filter((e: any) => e.valueSource);
            const secretNames = run.byType(TYPES.secret).map((s) => s.name);
            assert.deepStrictEqual(
                envs.map((e: any) => e.name),
                ["PGRST_DB_URI", "PGRST_JWT_SECRET"],
            );
            for (const env of envs) {
                assert.strictEqual(env.value, undefined);
                assert.ok(secretNames.includes(env.valueSource.secretKeyRef.secret));
                assert.strictEqual(env.valueSource.secretKeyRef.version, "1");
            }
            assert.deepStrictEqual(run.one(TYPES.service).inputs.template.volumes, []);
        });

        it("requires IAM and lets only the named members invoke, and the Monitoring agent that signs the uptime check", () => {
            assert.strictEqual(run.one(TYPES.service).inputs.invokerIamDisabled, false);
            const invokers = run.byType(TYPES.invoker);
            assert.deepStrictEqual(invokers.map((i) => [i.inputs.role, i.inputs.member]).sort(), [
                ["roles/run.invoker", "group:ops@example.com"],
                ["roles/run.invoker", "serviceAccount:backend@my-project.iam.gserviceaccount.com"],
                ["roles/run.invoker", `serviceAccount:service-${MOCK_PROJECT_NUMBER}@gcp-sa-monitoring-notification.iam.gserviceaccount.com`],
            ]);
        });
    });

    describe("Direct VPC egress to an existing subnetwork", () => {
        let run: ProgramRun;
        before(
            async () =>
                (run = await runProgram({ config: gcpStack({ network: { mode: "existing", network: "prod-vpc", subnetwork: "run-egress" } }) })),
        );

        it("keeps the invariants", () => assertInvariants(run));

        it("sends private ranges only through the given subnetwork and creates no network", () => {
            assert.deepStrictEqual(run.one(TYPES.service).inputs.template.vpcAccess, {
                networkInterfaces: [{ network: "prod-vpc", subnetwork: "run-egress" }],
                egress: "PRIVATE_RANGES_ONLY",
            });
            assert.strictEqual(run.byType(TYPES.network).length + run.byType(TYPES.subnetwork).length, 0);
            assert.ok(run.byType(TYPES.api).some((a) => a.inputs.service === "compute.googleapis.com"));
        });
    });

    describe("Direct VPC egress to a created network", () => {
        let run: ProgramRun;
        before(
            async () =>
                (run = await runProgram({ config: gcpStack({ region: "europe-west1", network: { mode: "create", ipCidrRange: "10.20.0.0/26" } }) })),
        );

        it("keeps the invariants", () => assertInvariants(run));

        it("creates a custom-mode network and a subnetwork in the service's region, and uses them", () => {
            const network = run.one(TYPES.network);
            const subnetwork = run.one(TYPES.subnetwork);
            assert.strictEqual(network.inputs.autoCreateSubnetworks, false);
            assert.deepStrictEqual(
                [subnetwork.inputs.region, subnetwork.inputs.ipCidrRange, subnetwork.inputs.network],
                ["europe-west1", "10.20.0.0/26", network.id],
            );
            assert.deepStrictEqual(run.one(TYPES.service).inputs.template.vpcAccess.networkInterfaces, [
                { network: network.id, subnetwork: subnetwork.id },
            ]);
            assert.strictEqual(run.one(TYPES.service).inputs.location, "europe-west1");
            assert.match(String((run.outputs.details as any).network), /\/global\/networks\//);
        });
    });

    describe("Cloud SQL socket", () => {
        let run: ProgramRun;
        before(async () => (run = await runProgram({ config: gcpStack({ cloudSqlInstance: "data-project:us-central1:trees-db" }) })));

        it("keeps the invariants", () => assertInvariants(run));

        it("mounts /cloudsql for the instance and connects PostgREST through its socket, without TLS on the socket", () => {
            const volume = run.one(TYPES.service).inputs.template.volumes.find((v: any) => v.cloudSqlInstance);
            assert.deepStrictEqual(volume.cloudSqlInstance.instances, ["data-project:us-central1:trees-db"]);
            assert.ok(container(run).volumeMounts.some((m: any) => m.name === volume.name && m.mountPath === "/cloudsql"));
            const uri = run
                .byType(TYPES.secretVersion)
                .map((v) => secretValue(v.inputs.secretData)!)
                .find((v) => v.startsWith("postgresql:"))!;
            assert.match(uri, /@\/startup\?sslmode=disable&host=%2Fcloudsql%2Fdata-project%3Aus-central1%3Atrees-db$/);
        });

        it("lets the service account connect to the instance's project, and enables the Cloud SQL Admin API", () => {
            const grant = run.one(TYPES.projectIam);
            assert.deepStrictEqual([grant.inputs.project, grant.inputs.role], ["data-project", "roles/cloudsql.client"]);
            assert.ok(run.byType(TYPES.api).some((a) => a.inputs.service === "sqladmin.googleapis.com"));
            // The socket refuses an instance that starts before the grant holds.
            assert.ok(waitsFor(run.one(TYPES.service), grant), "the service does not wait for the Cloud SQL client grant");
        });
    });

    describe("Cloud SQL IAM authentication", () => {
        const instance = "data-project:us-central1:trees-db";
        const runWith = (gcp: Record<string, unknown> = {}, others: Record<string, unknown> = {}) =>
            runProgram({ config: gcpStack({ cloudSqlInstance: instance, cloudSqlIamAuthentication: true, ...gcp }, others) });
        let run: ProgramRun;
        before(async () => (run = await runWith()));
        const proxy = (of: ProgramRun) => of.one(TYPES.service).inputs.template.containers.find((c: any) => c.name === "cloud-sql-proxy");
        const storedUri = (of: ProgramRun) =>
            of
                .byType(TYPES.secretVersion)
                .map((v) => secretValue(v.inputs.secretData)!)
                .find((v) => v.startsWith("postgresql:"))!;
        const rolesAndGrantsOf = (of: ProgramRun) => of.resources.find((r) => r.type === ROLES_AND_GRANTS.type && r.name === ROLES_AND_GRANTS.name)!;
        const iamUser = (of: ProgramRun) => `${of.one(TYPES.account).name}@my-project.iam`;

        it("keeps the invariants", () => assertInvariants(run));

        it("runs the Auth Proxy v2 as a sidecar with automatic IAM login on localhost:5432, and no /cloudsql socket", () => {
            const sidecar = proxy(run);
            assert.match(sidecar.image, /^gcr\.io\/cloud-sql-connectors\/cloud-sql-proxy:2\.\d+\.\d+$/);
            assert.deepStrictEqual(sidecar.args, [
                "--auto-iam-authn",
                "--port=5432",
                "--health-check",
                "--http-address=0.0.0.0",
                "--http-port=9090",
                "--max-sigterm-delay=8s",
                "--structured-logs",
                instance,
            ]);
            assert.deepStrictEqual(sidecar.startupProbe.httpGet, { path: "/startup", port: 9090 });
            assert.deepStrictEqual(sidecar.resources.limits, { cpu: "250m", memory: "256Mi" });
            // PostgREST starts once the proxy passes its startup probe.
            assert.deepStrictEqual(container(run).dependsOns, ["cloud-sql-proxy"]);
            assert.ok(!run.one(TYPES.service).inputs.template.volumes.some((v: any) => v.cloudSqlInstance));
            assert.ok(!container(run).volumeMounts.some((m: any) => m.mountPath === "/cloudsql"));
        });

        it("connects the proxy to the private IP when the service has VPC egress", async () => {
            const egress = await runWith({ network: { mode: "create" } });
            assert.deepStrictEqual(proxy(egress).args.slice(0, 3), ["--auto-iam-authn", "--private-ip", "--port=5432"]);
        });

        it("stores a database URI with the IAM user and no password, to the proxy without TLS", () => {
            const uri = storedUri(run);
            assert.strictEqual(uri, `postgresql://${encodeURIComponent(iamUser(run))}@127.0.0.1:5432/startup?sslmode=disable`);
            assert.ok(!/:[^/@]*@/.test(uri.replace("postgresql://", "")), `a password in ${uri}`);
        });

        it("creates the account's IAM database user, named by its email without .gserviceaccount.com, and lets it log in", () => {
            const user = run.one(TYPES.sqlUser);
            assert.strictEqual((run.outputs.details as any).databaseUser, iamUser(run));
            assert.deepStrictEqual(
                [user.inputs.type, user.inputs.name, user.inputs.instance, user.inputs.project],
                ["CLOUD_IAM_SERVICE_ACCOUNT", iamUser(run), "trees-db", "data-project"],
            );
            const roles = run.byType(TYPES.projectIam).map((g) => [g.inputs.project, g.inputs.role, g.inputs.member]);
            const member = `serviceAccount:${run.one(TYPES.account).name}@my-project.iam.gserviceaccount.com`;
            assert.deepStrictEqual(roles.sort(), [
                ["data-project", "roles/cloudsql.client", member],
                ["data-project", "roles/cloudsql.instanceUser", member],
            ]);
            for (const grant of run.byType(TYPES.projectIam))
                assert.ok(waitsFor(run.one(TYPES.service), grant), `the service does not wait for ${grant.name}`);
        });

        it("makes the IAM user a member of a passwordless authenticator, after Cloud SQL made it, and before PostgREST starts", () => {
            const rolesAndGrants = rolesAndGrantsOf(run);
            assert.strictEqual(rolesAndGrants.inputs.state[`${iamUser(run)} member of authenticator`], "declared");
            assert.strictEqual(rolesAndGrants.inputs.state["role authenticator: nologin noinherit nosuperuser nocreatedb nocreaterole"], "declared");
            assert.ok(!("authenticatorPassword" in rolesAndGrants.inputs), "an authenticator password reached the provider");
            assert.ok(run.byType("random:index/randomPassword:RandomPassword").every((p) => !p.name.includes("authenticator")));
            const user = run.one(TYPES.sqlUser);
            assert.ok(waitsFor(rolesAndGrants, user), "the roles and grants do not wait for the IAM user");
            assert.ok(waitsFor(run.one(TYPES.service), ROLES_AND_GRANTS), "the service does not wait for the roles and grants");
        });

        it("with api.rotation rotates the JWT keys and no password: one authenticator, no standby", async () => {
            const rotating = await runWith({}, { jwtSecret: undefined, api: { ...(gcpStack().api as object), rotation: { generation: 1 } } });
            const inputs = rolesAndGrantsOf(rotating).inputs;
            assert.ok(!("standbyRole" in inputs) && !("standbyPassword" in inputs));
            assert.ok(!Object.keys(inputs.state).some((item) => item.includes("authenticator_b")));
            assert.strictEqual(rotating.byType("random:index/randomPassword:RandomPassword").filter((p) => /jwt-secret/.test(p.name)).length, 2);
            assert.ok(rotating.outputs.jwtKeyId !== undefined);
        });
    });

    describe("a router: /api to PostgREST, the rest to a FastAPI Cloud Run service", () => {
        let run: ProgramRun;
        before(
            async () =>
                (run = await runProgram({
                    config: gcpStack({ loadBalancer: { domain: "app.example.com", pathPrefix: "/api", defaultCloudRunService: "fastapi" } }),
                })),
        );

        it("keeps the invariants", () => assertInvariants(run));

        it("makes a serverless NEG and backend for the FastAPI service and sends every other path there", () => {
            const negs = run.byType(TYPES.neg);
            const fastapiNeg = negs.find((n) => n.inputs.cloudRun.service === "fastapi")!;
            assert.deepStrictEqual([fastapiNeg.inputs.networkEndpointType, fastapiNeg.inputs.region], ["SERVERLESS", "us-central1"]);
            const backends = run.byType(TYPES.backend);
            const fastapiBackend = backends.find((b) => b.inputs.backends[0].group === fastapiNeg.id)!;
            const postgrestBackend = backends.find((b) => b !== fastapiBackend)!;
            assert.strictEqual(fastapiBackend.inputs.loadBalancingScheme, "EXTERNAL_MANAGED");
            const urlMap = run.byType(TYPES.urlMap).find((m) => !m.inputs.defaultUrlRedirect)!;
            assert.strictEqual(urlMap.inputs.defaultService, fastapiBackend.id);
            const [matcher] = urlMap.inputs.pathMatchers;
            assert.strictEqual(matcher.defaultService, fastapiBackend.id);
            assert.strictEqual(matcher.routeRules[0].service, postgrestBackend.id);
            assert.deepStrictEqual(matcher.routeRules[0].matchRules, [{ prefixMatch: "/api/" }, { fullPathMatch: "/api" }]);
            assert.strictEqual(run.outputs.url, "https://app.example.com/api");
        });

        it("takes a service of another region or project by its path", async () => {
            const other = await runProgram({
                config: gcpStack({
                    loadBalancer: {
                        domain: "app.example.com",
                        pathPrefix: "/api",
                        defaultCloudRunService: "projects/web-project/locations/europe-west1/services/fastapi",
                    },
                }),
            });
            const neg = other.byType(TYPES.neg).find((n) => n.inputs.cloudRun.service === "fastapi")!;
            assert.deepStrictEqual([neg.inputs.project, neg.inputs.region], ["web-project", "europe-west1"]);
        });
    });

    describe("HTTPS load balancer: /rest to PostgREST, the rest to the user's backend", () => {
        const defaultBackend = "projects/my-project/global/backendServices/web-frontend";
        let run: ProgramRun;
        before(
            async () =>
                (run = await runProgram({ config: gcpStack({ loadBalancer: { domain: "app.example.com", pathPrefix: "/rest", defaultBackend } }) })),
        );

        it("keeps the invariants", () => assertInvariants(run));

        it("restricts Cloud Run ingress to internal and load balancer traffic", () => {
            assert.strictEqual(run.one(TYPES.service).inputs.ingress, "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER");
        });

        it("chains address, forwarding rules, proxies, URL maps, backend and serverless NEG for the service", () => {
            const service = run.one(TYPES.service);
            const neg = run.one(TYPES.neg);
            assert.deepStrictEqual(
                [neg.inputs.networkEndpointType, neg.inputs.region, neg.inputs.cloudRun.service],
                ["SERVERLESS", "us-central1", service.name],
            );
            const backend = run.one(TYPES.backend);
            assert.deepStrictEqual(backend.inputs.backends, [{ group: neg.id }]);
            assert.strictEqual(backend.inputs.healthChecks, undefined);
            const certificate = run.one(TYPES.certificate);
            assert.deepStrictEqual(certificate.inputs.managed.domains, ["app.example.com"]);
            const httpsProxy = run.one(TYPES.httpsProxy);
            assert.deepStrictEqual(httpsProxy.inputs.sslCertificates, [certificate.id]);
            const address = run.one(TYPES.address);
            const rules = run.byType(TYPES.forwardingRule);
            assert.deepStrictEqual(rules.map((r) => r.inputs.portRange).sort(), ["443", "80"]);
            for (const rule of rules)
                assert.deepStrictEqual([rule.inputs.ipAddress, rule.inputs.loadBalancingScheme], [address.id, "EXTERNAL_MANAGED"]);
            assert.strictEqual(backend.inputs.loadBalancingScheme, "EXTERNAL_MANAGED");
            assert.strictEqual(rules.find((r) => r.inputs.portRange === "443")!.inputs.target, httpsProxy.id);
        });

        it("routes /rest and /rest/* to PostgREST with the prefix stripped, everything else to the default backend", () => {
            const backend = run.one(TYPES.backend);
            const urlMap = run.byType(TYPES.urlMap).find((m) => !m.inputs.defaultUrlRedirect)!;
            assert.strictEqual(urlMap.inputs.defaultService, defaultBackend);
            assert.deepStrictEqual(urlMap.inputs.hostRules, [{ hosts: ["app.example.com"], pathMatcher: "postgrest" }]);
            const [matcher] = urlMap.inputs.pathMatchers;
            assert.strictEqual(matcher.defaultService, defaultBackend);
            assert.deepStrictEqual(matcher.routeRules, [
                {
                    priority: 1,
                    matchRules: [{ prefixMatch: "/rest/" }, { fullPathMatch: "/rest" }],
                    service: backend.id,
                    routeAction: { urlRewrite: { pathPrefixRewrite: "/" } },
                },
            ]);
        });

        it("accepts TLS 1.2 or later only, with the MODERN profile, as AWS's listener does", () => {
            const policy = run.one(TYPES.sslPolicy);
            assert.deepStrictEqual([policy.inputs.profile, policy.inputs.minTlsVersion], ["MODERN", "TLS_1_2"]);
            assert.strictEqual(run.one(TYPES.httpsProxy).inputs.sslPolicy, policy.id);
        });

        it("redirects HTTP to HTTPS, keeping the query", () => {
            const redirect = run.byType(TYPES.urlMap).find((m) => m.inputs.defaultUrlRedirect)!;
            assert.deepStrictEqual(redirect.inputs.defaultUrlRedirect, {
                httpsRedirect: true,
                stripQuery: false,
                redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT",
            });
            assert.strictEqual(run.one(TYPES.httpProxy).inputs.urlMap, redirect.id);
            assert.strictEqual(run.byType(TYPES.forwardingRule).find((r) => r.inputs.portRange === "80")!.inputs.target, run.one(TYPES.httpProxy).id);
        });

        it("exports the https URL under the prefix, the address for DNS, and tells PostgREST its public URL", () => {
            assert.strictEqual(run.outputs.url, "https://app.example.com/rest");
            assert.strictEqual((run.outputs.details as any).loadBalancerIp, MOCK_LOAD_BALANCER_IP);
            const envs = Object.fromEntries(container(run).envs.map((e: any) => [e.name, e.value]));
            assert.strictEqual(envs.PGRST_OPENAPI_SERVER_PROXY_URI, "https://app.example.com/rest");
        });
    });

    describe("HTTPS load balancer for PostgREST alone", () => {
        let run: ProgramRun;
        before(async () => (run = await runProgram({ config: gcpStack({ loadBalancer: { domain: "api.example.com" } }) })));

        it("keeps the invariants", () => assertInvariants(run));

        it("sends every path to PostgREST unchanged", () => {
            const urlMap = run.byType(TYPES.urlMap).find((m) => !m.inputs.defaultUrlRedirect)!;
            assert.strictEqual(urlMap.inputs.defaultService, run.one(TYPES.backend).id);
            assert.strictEqual(urlMap.inputs.pathMatchers, undefined);
            assert.strictEqual(run.outputs.url, "https://api.example.com");
        });
    });

    describe("small and pinned down: 0.5 vCPU, 256 MiB, deletion protection, warm instance", () => {
        let run: ProgramRun;
        before(
            async () =>
                (run = await runProgram({
                    config: gcpStack({}, { deletionProtection: true, service: { cpu: 0.5, memory: 256, minInstances: 1, maxInstances: 2 } }),
                })),
        );

        it("keeps the invariants", () => assertInvariants(run));

        it("runs gen1 with one request at a time, as Cloud Run requires below 1 vCPU", () => {
            const service = run.one(TYPES.service).inputs;
            assert.strictEqual(service.template.executionEnvironment, "EXECUTION_ENVIRONMENT_GEN1");
            assert.strictEqual(service.template.maxInstanceRequestConcurrency, 1);
            assert.deepStrictEqual(container(run).resources.limits, { cpu: "500m", memory: "256Mi" });
            assert.strictEqual(service.scaling.minInstanceCount, 1);
            assert.strictEqual(service.deletionProtection, true);
        });
    });

    it("takes the provider's gcp:region when gcp.region is not set", async () => {
        const run = await runProgram({ config: gcpStack({ region: undefined }), providerConfig: { "gcp:region": "asia-northeast1" } });
        assert.strictEqual(run.one(TYPES.service).inputs.location, "asia-northeast1");
    });
});
