import * as assert from "assert";
import { GcpLoadBalancer } from "../../components/gcp/config/load-balancer";
import { loadBalancerUrl, urlMapRouting } from "../../components/gcp/load-balancer";

describe("gcp: load balancer routing", () => {
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
});
