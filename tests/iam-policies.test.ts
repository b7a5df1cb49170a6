/**
 * The documented policies of the preview, plan and deploy identities (docs/iam/) against the threat model's claims
 * (docs/team-workflow.md): evaluated with IAM's rules (an explicit Deny wins over any Allow, wildcards in actions and
 * resources, the kms:ResourceAliases condition), and the preview's claims hold even next to an Allow of everything,
 * so a managed policy such as ReadOnlyAccess attached beside it cannot undo them.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { BUILD_PROJECT_ROLES } from "../components/gcp/in-network-admin";
import { CLOUD_SQL_CLIENT_ROLE } from "../components/gcp/identity";

const iamDir = path.resolve(__dirname, "../docs/iam");
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(iamDir, file), "utf8"));

interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}
interface Request {
    action: string;
    resource: string;
    /** The aliases of the KMS key the request uses. */
    aliases?: string[];
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
/** IAM's wildcard match: `*` any run of characters, `?` one; actions case-insensitively. */
const matches = (pattern: string, value: string, ignoreCase = false) =>
    new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        ignoreCase ? "i" : "",
    ).test(value);

function applies(statement: Statement, request: Request): boolean {
    if (!list(statement.Action).some((a) => matches(a, request.action, true))) return false;
    if (!list(statement.Resource).some((r) => matches(r, request.resource))) return false;
    for (const [operator, conditions] of Object.entries(statement.Condition ?? {})) {
        for (const [key, expected] of Object.entries(conditions)) {
            if (operator !== "ForAnyValue:StringEquals" || key !== "kms:ResourceAliases")
                throw new Error(`condition ${operator} ${key} not modelled`);
            if (!(request.aliases ?? []).some((alias) => list(expected).includes(alias))) return false;
        }
    }
    return true;
}

/** Whether the statements allow `request`: some Allow applies and no Deny does. */
function allows(statements: Statement[], request: Request): boolean {
    if (statements.some((s) => s.Effect === "Deny" && applies(s, request))) return false;
    return statements.some((s) => s.Effect === "Allow" && applies(s, request));
}

const EVERYTHING: Statement = { Effect: "Allow", Action: "*", Resource: "*" };
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const key = (alias: string, action = "kms:Decrypt"): Request => ({ action, resource: KEY, aliases: [alias] });
const object = (bucket: string, action: string, key = ".pulumi/stacks/postgrest/prod.json"): Request => ({
    action,
    resource: `arn:aws:s3:::${bucket}/${key}`,
});

describe("documented IAM policies against the threat model", () => {
    const preview: Statement[] = load("aws-preview.json").Statement;
    const plan: Statement[] = load("aws-plan.json").Statement;
    const deploy: Statement[] = load("aws-deploy-production.json").Statement;

    it("AWS preview identity: never decrypts production secrets, reads no production state, writes no state, reads no credential", () => {
        for (const statements of [preview, [...preview, EVERYTHING]]) {
            for (const action of ["kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKeyWithoutPlaintext", "kms:CreateGrant"])
                assert.ok(!allows(statements, key("alias/pulumi-postgrest-prod", action)), action);
            for (const action of ["s3:GetObject", "s3:ListBucket", "s3:GetObjectVersion"])
                assert.ok(!allows(statements, object("acme-pulumi-state-prod", action)), action);
            for (const bucket of ["acme-pulumi-state", "acme-pulumi-state-prod", "acme-pulumi-preview-copies"])
                for (const action of ["s3:PutObject", "s3:DeleteObject"])
                    assert.ok(!allows(statements, object(bucket, action, ".pulumi/locks/x.json")), `${action} ${bucket}`);
            const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:postgrest-secrets-db-uri-AbCdEf";
            assert.ok(!allows(statements, { action: "secretsmanager:GetSecretValue", resource: secret }));
            assert.ok(
                !allows(statements, { action: "lambda:InvokeFunction", resource: "arn:aws:lambda:us-east-1:123456789012:function:postgrest-admin" }),
            );
        }
        // What a preview needs: the non-production state and key, the redacted copies and their key.
        assert.ok(allows(preview, object("acme-pulumi-state", "s3:GetObject", ".pulumi/stacks/postgrest/dev.json")));
        assert.ok(allows(preview, object("acme-pulumi-preview-copies", "s3:GetObject")));
        assert.ok(allows(preview, key("alias/pulumi-postgrest")) && allows(preview, key("alias/pulumi-postgrest-preview")));
    });

    it("AWS plan identity: decrypts and reads every stack to refresh, a created database's master secret too, writes no state", () => {
        assert.ok(allows(plan, key("alias/pulumi-postgrest-prod")) && allows(plan, object("acme-pulumi-state-prod", "s3:GetObject")));
        // The refresh of a stack that creates its database reads the secret RDS keeps its master password in (rds!db-...).
        const masterSecret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf";
        assert.ok(allows(plan, { action: "secretsmanager:GetSecretValue", resource: masterSecret }));
        for (const bucket of ["acme-pulumi-state", "acme-pulumi-state-prod", "acme-pulumi-preview-copies"])
            assert.ok(!allows([...plan, EVERYTHING], object(bucket, "s3:PutObject")), bucket);
    });

    it("AWS production deploy identity: its state and key, the copy, and only this product's roles", () => {
        assert.ok(
            allows(deploy, object("acme-pulumi-state-prod", "s3:PutObject")) && allows(deploy, key("alias/pulumi-postgrest-prod", "kms:Encrypt")),
        );
        assert.ok(
            allows(deploy, object("acme-pulumi-preview-copies", "s3:PutObject")) &&
                allows(deploy, key("alias/pulumi-postgrest-preview", "kms:Encrypt")),
        );
        assert.ok(
            !allows([...deploy, EVERYTHING], object("acme-pulumi-state", "s3:PutObject", ".pulumi/stacks/postgrest/dev.json")),
            "not the dev state",
        );
        assert.ok(allows(deploy, { action: "iam:PassRole", resource: "arn:aws:iam::123456789012:role/postgrest-task-role" }));
        for (const role of ["arn:aws:iam::123456789012:role/admin", "*"]) {
            assert.ok(!allows(deploy, { action: "iam:PassRole", resource: role }), role);
            assert.ok(!allows(deploy, { action: "iam:PutRolePolicy", resource: role }), role);
        }
    });

    it("the evaluator applies IAM's rules (a Deny wins, wildcards, alias conditions)", () => {
        const deny: Statement = { Effect: "Deny", Action: "s3:Put*", Resource: "arn:aws:s3:::b/*" };
        assert.ok(!allows([EVERYTHING, deny], { action: "S3:PutObject", resource: "arn:aws:s3:::b/k" }));
        assert.ok(allows([EVERYTHING, deny], { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }));
        assert.ok(!allows([], { action: "s3:GetObject", resource: "arn:aws:s3:::b/k" }));
        const aliasOnly = preview.find((s) => s.Sid === "DecryptNonProductionAndCopySecrets")!;
        assert.ok(!allows([aliasOnly], key("alias/other")));
    });

    describe("GCP bindings", () => {
        const bindings: Record<string, { resource: string; role: string; condition?: string }[]> = load("gcp-bindings.json");
        const WRITES_OBJECTS = [
            "roles/storage.objectCreator",
            "roles/storage.objectUser",
            "roles/storage.objectAdmin",
            "roles/storage.admin",
            "roles/owner",
            "roles/editor",
        ];
        const DECRYPTS = [
            "roles/cloudkms.cryptoKeyDecrypter",
            "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            "roles/cloudkms.admin",
            "roles/owner",
            "roles/editor",
        ];
        const SETS_PROJECT_IAM = ["roles/owner", "roles/editor", "roles/resourcemanager.projectIamAdmin", "roles/iam.securityAdmin"];

        it("preview: no decrypt on the production key, no write to any bucket, nothing on the production state", () => {
            for (const b of bindings.preview) {
                assert.ok(!(b.resource === "key pulumi/postgrest-prod" && DECRYPTS.includes(b.role)), JSON.stringify(b));
                assert.ok(!(b.resource.startsWith("bucket ") && WRITES_OBJECTS.includes(b.role)), JSON.stringify(b));
                // roles/viewer holds no storage.objects.create, cloudkms decrypt nor secretmanager.versions.access.
                if (b.resource.startsWith("project ")) assert.strictEqual(b.role, "roles/viewer");
                assert.notStrictEqual(b.resource, "bucket acme-pulumi-state-prod");
                assert.ok(!b.role.startsWith("roles/secretmanager.") && !b.role.startsWith("roles/run.invoker"), JSON.stringify(b));
            }
        });

        it("plan: reads and decrypts, writes no bucket", () => {
            for (const b of bindings.plan) assert.ok(!(b.resource.startsWith("bucket ") && WRITES_OBJECTS.includes(b.role)), JSON.stringify(b));
            assert.ok(bindings.plan.some((b) => b.resource === "key pulumi/postgrest-prod" && DECRYPTS.includes(b.role)));
            // The refresh of dev-gcp, which creates its database, reads the Cloud SQL admin secret (components/gcp/database.ts).
            assert.ok(bindings.plan.some((b) => b.resource === "secret postgrest-database-admin" && b.role === "roles/secretmanager.secretAccessor"));
        });

        it("deploy: project IAM only under a condition naming exactly the roles the program grants at project level", () => {
            const projectIam = bindings["deploy-production"].filter((b) => b.resource.startsWith("project ") && SETS_PROJECT_IAM.includes(b.role));
            assert.strictEqual(projectIam.length, 1, JSON.stringify(projectIam));
            const granted = /hasOnly\(\[([^\]]*)\]\)/
                .exec(projectIam[0].condition ?? "")?.[1]
                .split(",")
                .map((r) => r.trim().replace(/'/g, ""));
            // Cloud SQL has no instance-level IAM and the build's log writer is a project role, so these two stay project-level.
            assert.deepStrictEqual(granted?.sort(), [CLOUD_SQL_CLIENT_ROLE, ...BUILD_PROJECT_ROLES].sort());
        });
    });
});
