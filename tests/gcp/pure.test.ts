import * as assert from "assert";
import { GcpLoadBalancer } from "../../components/config/gcp-load-balancer";
import { subnetCidrProblem } from "../../components/config/gcp-network";
import { requiredApis } from "../../components/gcp/apis";
import { connectionOverrides, resolveRegion } from "../../components/gcp/index";
import { loadBalancerUrl, urlMapRouting } from "../../components/gcp/load-balancer";
import { cloudSqlProject } from "../../components/gcp/identity";
import { cpuLimit, secretWiring } from "../../components/gcp/service";

describe("gcp: pure parts", () => {
    it("wires secrets as @/path files or as secretKeyRefs, never as values", () => {
        const refs = { PGRST_DB_URI: { secret: "db-uri", version: "3" }, PGRST_JWT_SECRET: { secret: "jwt", version: "7" } };
        const files = secretWiring("files", refs);
        assert.deepStrictEqual(files.envs, [
            { name: "PGRST_DB_URI", value: "@/etc/postgrest/db-uri/value" },
            { name: "PGRST_JWT_SECRET", value: "@/etc/postgrest/jwt-secret/value" },
        ]);
        assert.deepStrictEqual(
            files.volumes.map((v) => v.secret),
            [
                { secret: "db-uri", defaultMode: 0o444, items: [{ path: "value", version: "3" }] },
                { secret: "jwt", defaultMode: 0o444, items: [{ path: "value", version: "7" }] },
            ],
        );
        // Every @/path names the file its volume exposes.
        for (const env of files.envs) {
            const mount = files.volumeMounts.find((m) => String(env.value).startsWith(`@${m.mountPath}/`))!;
            const volume = files.volumes.find((v) => v.name === mount.name)!;
            assert.strictEqual(env.value, `@${mount.mountPath}/${(volume.secret as any).items[0].path}`);
        }
        const env = secretWiring("env", refs);
        assert.deepStrictEqual(env.envs, [
            { name: "PGRST_DB_URI", valueSource: { secretKeyRef: { secret: "db-uri", version: "3" } } },
            { name: "PGRST_JWT_SECRET", valueSource: { secretKeyRef: { secret: "jwt", version: "7" } } },
        ]);
        assert.deepStrictEqual([env.volumes, env.volumeMounts], [[], []]);
    });

    it("gives Cloud Run cpu in millicores", () => {
        assert.deepStrictEqual([0.08, 0.5, 1, 2, 8].map(cpuLimit), ["80m", "500m", "1000m", "2000m", "8000m"]);
    });

    it("routes a prefix to PostgREST with the prefix rewritten to /, or everything when the prefix is /", () => {
        const lb: GcpLoadBalancer = { domain: "app.example.com", pathPrefix: "/api/data" };
        const routing = urlMapRouting(lb, "postgrest-backend") as any;
        assert.strictEqual(routing.defaultService, "postgrest-backend");
        assert.deepStrictEqual(routing.pathMatchers[0].routeRules[0].matchRules, [{ prefixMatch: "/api/data/" }, { fullPathMatch: "/api/data" }]);
        assert.deepStrictEqual(routing.pathMatchers[0].routeRules[0].routeAction, { urlRewrite: { pathPrefixRewrite: "/" } });
        assert.strictEqual(urlMapRouting({ ...lb, defaultBackend: "web" }, "postgrest-backend").defaultService, "web");
        assert.deepStrictEqual(urlMapRouting({ domain: "a.example.com", pathPrefix: "/" }, "pb"), { defaultService: "pb" });
        assert.strictEqual(loadBalancerUrl(lb), "https://app.example.com/api/data");
        assert.strictEqual(loadBalancerUrl({ domain: "a.example.com", pathPrefix: "/" }), "https://a.example.com");
    });

    it("takes gcp.region, else the provider's, else us-central1", () => {
        assert.strictEqual(resolveRegion("europe-west1", "asia-east1"), "europe-west1");
        assert.strictEqual(resolveRegion(undefined, "asia-east1"), "asia-east1");
        assert.strictEqual(resolveRegion(undefined, undefined), "us-central1");
    });

    it("connects through the Cloud SQL socket directory without TLS, and grants on the instance's own project", () => {
        assert.deepStrictEqual(connectionOverrides({ cloudSqlInstance: "p-1:us-east1:db" }), { host: "/cloudsql/p-1:us-east1:db", sslMode: "disable" });
        assert.deepStrictEqual(connectionOverrides({}), {});
        assert.strictEqual(cloudSqlProject("p-123:us-east1:db"), "p-123");
        assert.strictEqual(cloudSqlProject("example.com:p-123:us-east1:db"), "example.com:p-123");
    });

    it("enables Compute only for a network or load balancer, Cloud SQL Admin only for Cloud SQL", () => {
        const base = ["cloudresourcemanager.googleapis.com", "run.googleapis.com", "secretmanager.googleapis.com", "iam.googleapis.com"];
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" } }), base);
        assert.deepStrictEqual(requiredApis({ network: { mode: "existing", subnetwork: "s" } }), [...base, "compute.googleapis.com"]);
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" }, loadBalancer: { domain: "a.example.com", pathPrefix: "/" } }), [...base, "compute.googleapis.com"]);
        assert.deepStrictEqual(requiredApis({ network: { mode: "none" }, cloudSqlInstance: "p-1:r:i" }), [...base, "sqladmin.googleapis.com"]);
    });

    it("takes private, aligned /8 to /26 subnetwork ranges only", () => {
        for (const ok of ["10.8.0.0/24", "10.0.0.0/8", "172.16.4.0/26", "192.168.0.0/16"]) assert.strictEqual(subnetCidrProblem(ok), undefined, ok);
        for (const bad of ["10.8.0.0/27", "11.0.0.0/24", "172.32.0.0/24", "10.8.0.1/24", "10.8.0.0", "10.300.0.0/24"]) assert.ok(subnetCidrProblem(bad), bad);
    });
});
