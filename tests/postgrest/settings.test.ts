import * as assert from "assert";
import { databaseUri, postgrestEnvironment } from "../../components/postgrest/settings";
import { baseConfig, parseStackConfig as parse } from "../../testing/harness";

const aws = baseConfig("aws");

describe("PostgREST settings", () => {
    it("puts only non-secret settings in the plain environment", () => {
        const config = parse(aws);
        const env = postgrestEnvironment(config.api, config.service);
        assert.deepStrictEqual(env, {
            PGRST_DB_SCHEMAS: "api",
            PGRST_DB_ANON_ROLE: "web_anon",
            PGRST_JWT_ROLE_CLAIM_KEY: "$.role",
            PGRST_DB_POOL: "10",
            PGRST_DB_CHANNEL_ENABLED: "true",
            PGRST_SERVER_PORT: "3000",
            PGRST_ADMIN_SERVER_PORT: "3001",
            PGRST_ADMIN_SERVER_HOST: "0.0.0.0",
            PGRST_LOG_LEVEL: "error",
        });
    });

    it("builds a connection URI that survives any password", () => {
        const database = parse(aws).database;
        const password = "p@ss:w/rd?#%&=ü";
        const uri = databaseUri(database, "authenticator", password);
        assert.strictEqual(uri, `postgresql://authenticator:${encodeURIComponent(password)}@db.example.com:5432/startup?sslmode=require`);
        assert.strictEqual(decodeURIComponent(new URL(uri).password), password);
    });

    it("puts a socket directory in the host parameter", () => {
        const database = parse(aws).database;
        const uri = databaseUri(database, "authenticator", "pw", { host: "/cloudsql/proj:us-central1:db", sslMode: "disable" });
        assert.strictEqual(uri, "postgresql://authenticator:pw@/startup?sslmode=disable&host=%2Fcloudsql%2Fproj%3Aus-central1%3Adb");
    });
});
