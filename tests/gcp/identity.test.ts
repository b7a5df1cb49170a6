import * as assert from "assert";
import { cloudSqlInstanceName, cloudSqlProject, iamDatabaseUserName } from "../../components/gcp/identity";
import { ProgramRun, runProgram } from "../../testing/harness";
import { gcpStack } from "../../testing/stack-configs";
import { TYPES } from "../../testing/gcp-fixtures";

/** What a stack deployed before the Identity component knows the account and its grant by: children of Secrets. */
const FORMER_URN_PREFIX = "urn:pulumi:test::postgrest::postgrest:gcp:PostgrestOnGcp$postgrest:gcp:Secrets$";

describe("gcp: the service's identity", () => {
    let run: ProgramRun;
    before(async () => (run = await runProgram({ config: gcpStack({ cloudSqlInstance: "data-project:us-central1:trees-db" }) })));

    it("is its own component: the account and its Cloud SQL grant, nothing else", () => {
        const identity = run.one("postgrest:gcp:Identity");
        const children = run.resources.filter((r) => r.parent?.endsWith(`postgrest:gcp:Identity::${identity.name}`));
        assert.deepStrictEqual(children.map((r) => r.type).sort(), [TYPES.projectIam, TYPES.account].sort());
        assert.strictEqual(run.resources.filter((r) => r.parent?.includes("postgrest:gcp:Secrets::") && r.type === TYPES.account).length, 0);
    });

    // Without the alias, `pulumi up` on a stack made before the move would delete the account and create a new one,
    // and replace the Cloud Run service that runs as it.
    it("keeps the account and the grant of stacks made when Secrets held them, by aliasing their former URNs", () => {
        assert.ok(
            run.one(TYPES.account).aliases?.includes(`${FORMER_URN_PREFIX}${TYPES.account}::postgrest-secrets-run`),
            `account aliases: ${run.one(TYPES.account).aliases?.join(", ")}`,
        );
        assert.deepStrictEqual(run.one(TYPES.projectIam).aliases, [`${FORMER_URN_PREFIX}${TYPES.projectIam}::postgrest-secrets-cloudsql-client`]);
    });

    it("grants Cloud SQL's connect on the instance's own project, domain-scoped or not", () => {
        assert.strictEqual(cloudSqlProject("p-123:us-east1:db"), "p-123");
        assert.strictEqual(cloudSqlProject("example.com:p-123:us-east1:db"), "example.com:p-123");
    });

    it("names the IAM database user as Cloud SQL does for a service account: its email without .gserviceaccount.com", () => {
        assert.strictEqual(iamDatabaseUserName("run-1a2b3c4@my-project.iam.gserviceaccount.com"), "run-1a2b3c4@my-project.iam");
        // Only the suffix: a project whose id holds the words keeps them.
        assert.strictEqual(iamDatabaseUserName("run@gserviceaccount-com-p.iam.gserviceaccount.com"), "run@gserviceaccount-com-p.iam");
        assert.strictEqual(cloudSqlInstanceName("example.com:p-123:us-east1:trees-db"), "trees-db");
    });
});
