/**
 * Guards every deployed resource's URN: each stack file and main variant runs once, and each URN in
 * tests/urns.snapshot.json must still be produced, or be named by an alias of the resource that replaces it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { ProgramRun, runProgram, runUnderMocks } from "../testing/harness";
import { GCP_CREATED_NETWORK, awsCreatedDatabaseConfig, awsStack, gcpCreatedDatabaseConfig, gcpStack } from "../testing/stack-configs";
import { URN_SNAPSHOT_FILE, UrnSnapshot, removedUrnsMessage, runVariants, snapshotUrns, urnDrift, urnVariants } from "../testing/urn-snapshot";

const snapshot = JSON.parse(fs.readFileSync(URN_SNAPSHOT_FILE, "utf8")) as UrnSnapshot;

describe("URN snapshot (tests/urns.snapshot.json)", function () {
    this.timeout(300_000);
    let runs: Record<string, ProgramRun>;
    before(async () => {
        runs = await runVariants();
    });

    it("holds every stack file and variant the program is run with, and no other", () => {
        const variants = Object.keys(urnVariants());
        const missing = variants.filter((variant) => !(variant in snapshot));
        assert.deepStrictEqual(missing, [], "variants without a snapshot: run `npm run urns:update` and commit tests/urns.snapshot.json");
        const dropped = Object.keys(snapshot).filter((variant) => !variants.includes(variant));
        assert.deepStrictEqual(
            dropped,
            [],
            "the snapshot holds variants no longer run, whose URNs nothing guards: restore them in testing/urn-snapshot.ts",
        );
    });

    for (const variant of Object.keys(urnVariants())) {
        it(`${variant}: keeps every URN, or an alias to it`, () => {
            const drift = urnDrift(snapshot[variant] ?? [], runs[variant].resources);
            assert.ok(drift.removed.length === 0, removedUrnsMessage(variant, drift));
            if (drift.added.length > 0)
                console.log(
                    `      ${variant}: ${drift.added.length} new URN(s), not in the snapshot yet: run \`npm run urns:update\`\n${drift.added.map((urn) => `        + ${urn}`).join("\n")}`,
                );
        });
    }
});

/** A component or resource of a made-up type, to see which URNs the harness says the engine would match. */
class Component extends pulumi.ComponentResource {
    constructor(type: string, name: string, opts?: pulumi.ComponentResourceOptions) {
        super(type, name, {}, opts);
        this.registerOutputs({});
    }
}
class Thing extends pulumi.CustomResource {
    constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, {}, opts);
    }
}

const URN = "urn:pulumi:test::postgrest::";

describe("URN snapshot: the aliased URNs the harness records, as the engine computes them", () => {
    const cases: { name: string; build: () => void; thing: string; urn: string; alias: string }[] = [
        {
            name: "a renamed child: the alias names its former name under the same parent",
            build: () => new Thing("app-new", { parent: new Component("test:index:Outer", "app"), aliases: [{ name: "app-old" }] }),
            thing: "app-new",
            urn: `${URN}test:index:Outer$test:index:Thing::app-new`,
            alias: `${URN}test:index:Outer$test:index:Thing::app-old`,
        },
        {
            name: "a child moved into a new component: the alias names its former parent",
            build: () => {
                const outer = new Component("test:index:Outer", "app");
                new Thing("app-thing", { parent: new Component("test:index:Middle", "app-middle", { parent: outer }), aliases: [{ parent: outer }] });
            },
            thing: "app-thing",
            urn: `${URN}test:index:Outer$test:index:Middle$test:index:Thing::app-thing`,
            alias: `${URN}test:index:Outer$test:index:Thing::app-thing`,
        },
        {
            name: "a component's type renamed: its children inherit the alias, with the whole former type chain",
            build: () => {
                const outer = new Component("test:index:Outer", "app");
                const middle = new Component("test:index:NewMiddle", "app-middle", { parent: outer, aliases: [{ type: "test:index:OldMiddle" }] });
                new Thing("app-middle-thing", { parent: middle });
            },
            thing: "app-middle-thing",
            urn: `${URN}test:index:Outer$test:index:NewMiddle$test:index:Thing::app-middle-thing`,
            alias: `${URN}test:index:Outer$test:index:OldMiddle$test:index:Thing::app-middle-thing`,
        },
        {
            name: "a component renamed: its children inherit the alias, their names' prefix renamed with it",
            build: () => {
                const middle = new Component("test:index:Middle", "new-middle", { aliases: [{ name: "old-middle" }] });
                new Thing("new-middle-thing", { parent: middle });
            },
            thing: "new-middle-thing",
            urn: `${URN}test:index:Middle$test:index:Thing::new-middle-thing`,
            alias: `${URN}test:index:Middle$test:index:Thing::old-middle-thing`,
        },
    ];
    for (const { name, build, thing, urn, alias } of cases)
        it(name, async () => {
            const run = await runUnderMocks(() => {
                build();
                return {};
            });
            const registered = run.resources.find((r) => r.type === "test:index:Thing" && r.name === thing)!;
            assert.strictEqual(registered.urn, urn);
            assert.ok(registered.aliases?.includes(alias), `aliases: ${registered.aliases?.join(", ")}`);
            assert.deepStrictEqual(urnDrift([alias], run.resources).removed, [], "the snapshot check accepts the alias");
            assert.deepStrictEqual(urnDrift([`${alias}-gone`], run.resources).removed, [`${alias}-gone`], "and refuses a URN no alias names");
        });
});

describe("URN snapshot: database.create moves a created network to the root, under an alias to where it was", function () {
    this.timeout(120_000);
    const clouds = [
        {
            cloud: "aws",
            without: awsStack({}),
            with: awsCreatedDatabaseConfig(),
            service: "postgrest:aws:PostgrestOnAws",
            network: "postgrest:aws:Network::postgrest-network",
            children: ["awsx:ec2:Vpc::postgrest-network-vpc"],
        },
        {
            cloud: "gcp",
            without: gcpStack({ network: GCP_CREATED_NETWORK }),
            with: gcpCreatedDatabaseConfig(),
            service: "postgrest:gcp:PostgrestOnGcp",
            network: "postgrest:gcp:Network::postgrest-network",
            children: ["gcp:compute/network:Network::postgrest-network", "gcp:compute/subnetwork:Subnetwork::postgrest-network"],
        },
    ];
    for (const c of clouds)
        describe(c.cloud, () => {
            let without: ProgramRun;
            let created: ProgramRun;
            before(async () => {
                without = await runProgram({ config: c.without });
                created = await runProgram({ config: c.with, secretKeys: ["jwtSecret"] });
            });
            const [networkType] = c.network.split("::");
            const formerUrn = (rest: string) => `${URN}${c.service}$${rest}`;
            const formerNetwork = formerUrn(c.network);
            const formerChild = (child: string) => formerUrn(`${networkType}$${child}`);

            it("without database.create, the network is the service component's child", () => {
                const urns = without.resources.map((r) => r.urn);
                for (const urn of [formerNetwork, ...c.children.map(formerChild)])
                    assert.ok(urns.includes(urn), `${urn} not among\n${urns.join("\n")}`);
            });

            it("with database.create, the network and its children are at the root, each aliased to its former URN", () => {
                const network = created.resources.find((r) => r.urn === `${URN}${c.network}`);
                assert.ok(network, `no ${URN}${c.network}`);
                assert.ok(network.aliases?.includes(formerNetwork), `aliases: ${network.aliases?.join(", ")}`);
                for (const child of c.children) {
                    const resource = created.resources.find((r) => r.urn === `${URN}${networkType}$${child}`);
                    assert.ok(resource, `no ${URN}${networkType}$${child}`);
                    assert.ok(resource.aliases?.includes(formerChild(child)), `aliases of ${child}: ${resource.aliases?.join(", ")}`);
                }
            });

            it("turning database.create on deletes no resource of the stack: each URN is kept, or aliased", () => {
                const drift = urnDrift(snapshotUrns(without), created.resources);
                assert.deepStrictEqual(drift.removed, [], removedUrnsMessage(`${c.cloud} with database.create`, drift));
                assert.deepStrictEqual(
                    drift.aliased.map((a) => a.former).sort(),
                    [formerNetwork, ...c.children.map(formerChild)].sort(),
                    "only the network moves",
                );
            });
        });
});
