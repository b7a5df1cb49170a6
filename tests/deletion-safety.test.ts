/**
 * Deletion safety, through the whole program on both clouds: `deletionProtection` protects what carries the API's
 * identity (the generated JWT secret, the stored secrets, the roles resource) with Pulumi's `protect` and turns on the
 * cloud's own deletion protection; `database.retainOnDelete` keeps the roles in the database on destroy. Neither
 * changes a URN, so switching them on an existing stack replaces nothing.
 */
import * as assert from "assert";
import { ProgramRun, ROLES_AND_GRANTS, RegisteredResource, baseConfig, configProblems, runProgram } from "../testing/harness";

const JWT_SECRET = { type: "random:index/randomPassword:RandomPassword", name: "postgrest-jwt-secret" };
const SECRET_TYPES: Record<"aws" | "gcp", string[]> = {
    aws: ["aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion"],
    gcp: ["gcp:secretmanager/secret:Secret", "gcp:secretmanager/secretVersion:SecretVersion"],
};

function find(run: ProgramRun, { type, name }: { type: string; name: string }): RegisteredResource {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`${type} ${name} not registered`);
    return found;
}

/** What makes a resource's URN: type, name and parent chain. */
function urns(run: ProgramRun): string[] {
    return run.resources.map((r) => `${r.parent ?? ""}>${r.type}::${r.name}`).sort();
}

function identityBearing(run: ProgramRun, cloud: "aws" | "gcp"): RegisteredResource[] {
    return [find(run, JWT_SECRET), find(run, ROLES_AND_GRANTS), ...SECRET_TYPES[cloud].flatMap((type) => run.byType(type))];
}

for (const cloud of ["aws", "gcp"] as const) {
    describe(`${cloud}: deletion safety`, function () {
        // Two whole-program runs.
        this.timeout(240_000);
        let plain: ProgramRun;
        let safe: ProgramRun;
        before(async () => {
            plain = await runProgram({ config: baseConfig(cloud) });
            const base = baseConfig(cloud);
            safe = await runProgram({
                config: { ...base, deletionProtection: true, database: { ...(base.database as object), retainOnDelete: true } },
            });
        });

        it("protects the JWT secret, every stored secret and version, and the roles resource", () => {
            const protectedOnes = identityBearing(safe, cloud);
            assert.ok(protectedOnes.length >= 6, `${protectedOnes.length} identity-bearing resources`);
            for (const resource of protectedOnes) assert.strictEqual(resource.options?.protect, true, `${resource.type} ${resource.name}`);
        });

        it("protects nothing else with Pulumi's protect: the rest can be replaced and destroyed as before", () => {
            const protectedOnes = new Set(identityBearing(safe, cloud));
            for (const resource of safe.resources) {
                if (!protectedOnes.has(resource)) assert.notStrictEqual(resource.options?.protect, true, `${resource.type} ${resource.name}`);
            }
        });

        it("keeps the roles in the database on destroy", () => {
            assert.strictEqual(find(safe, ROLES_AND_GRANTS).options?.retainOnDelete, true);
            assert.strictEqual(find(plain, ROLES_AND_GRANTS).options?.retainOnDelete, false);
        });

        it("protects nothing by default, so a dev stack can be destroyed", () => {
            for (const resource of plain.resources) assert.notStrictEqual(resource.options?.protect, true, `${resource.type} ${resource.name}`);
        });

        it("changes no URN: the same types, names and parents either way", () => {
            assert.deepStrictEqual(urns(safe), urns(plain));
        });

        if (cloud === "aws") {
            it("turns on the load balancer's deletion protection with the same switch", () => {
                assert.strictEqual(safe.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, true);
                assert.strictEqual(plain.one("aws:lb/loadBalancer:LoadBalancer").inputs.enableDeletionProtection, false);
            });
        } else {
            it("turns on Cloud Run's deletion protection with the same switch", () => {
                assert.strictEqual(safe.one("gcp:cloudrunv2/service:Service").inputs.deletionProtection, true);
                assert.strictEqual(plain.one("gcp:cloudrunv2/service:Service").inputs.deletionProtection, false);
            });
        }
    });
}

describe("deletion safety: config", () => {
    it("refuses a deletionProtection that is not a boolean, naming the key", () => {
        const problems = configProblems({ ...baseConfig("aws"), deletionProtection: "yes" });
        assert.ok(
            problems.some((p) => p.startsWith("postgrest:deletionProtection") && p.includes("must be true or false")),
            problems.join("\n"),
        );
    });

    it("refuses a retainOnDelete that is not a boolean, naming the key", () => {
        const base = baseConfig("gcp");
        const problems = configProblems({ ...base, database: { ...(base.database as object), retainOnDelete: "always" } });
        assert.ok(
            problems.some((p) => p.startsWith("postgrest:database.retainOnDelete")),
            problems.join("\n"),
        );
    });
});
