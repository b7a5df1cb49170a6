/** Entry point Pulumi runs for `--policy-pack policy`; the policies themselves are in policies.ts (tested under mocks). */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("postgrest-security", { policies });
