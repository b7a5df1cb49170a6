import * as assert from "assert";
import { connectionOverrides } from "../../components/gcp";

describe("gcp: where PostgREST connects", () => {
    it("connects through the Cloud SQL socket directory without TLS", () => {
        assert.deepStrictEqual(connectionOverrides({ cloudSqlInstance: "p-1:us-east1:db" }), {
            host: "/cloudsql/p-1:us-east1:db",
            sslMode: "disable",
        });
        assert.deepStrictEqual(connectionOverrides({}), {});
    });

    it("connects to the Auth Proxy sidecar on localhost without TLS with IAM authentication, not through the socket", () => {
        assert.deepStrictEqual(connectionOverrides({ cloudSqlInstance: "p-1:us-east1:db", cloudSqlIamAuthentication: true }), {
            host: "127.0.0.1",
            port: 5432,
            sslMode: "disable",
        });
    });
});
