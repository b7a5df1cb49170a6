import { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";

/** Extra outputs a mocked resource type returns, and results of mocked invokes, keyed by type token. */
export interface MockTable {
    newResource: Record<string, (args: MockResourceArgs) => Record<string, unknown>>;
    call: Record<string, (args: MockCallArgs) => Record<string, unknown>>;
}
