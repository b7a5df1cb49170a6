import * as assert from "assert";
import { spawnSync } from "child_process";
import { natInstanceUserData } from "../../components/aws/nat-instance";

describe("aws: NAT instance user data", () => {
    const script = natInstanceUserData("10.0.0.0/16");

    it("passes shellcheck (which must be installed: .ci/run installs it)", () => {
        const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], { input: script, encoding: "utf8" });
        if (result.error) assert.fail(`shellcheck could not run (${result.error.message}); install it: apt-get install shellcheck`);
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
    });

    it("shellcheck does catch a broken script (the check is live)", () => {
        const broken = script.replace('-o "$iface"', "-o $iface");
        const result = spawnSync("shellcheck", ["--shell=bash", "-"], { input: broken, encoding: "utf8" });
        assert.notStrictEqual(result.status, 0, "shellcheck accepted an unquoted expansion");
    });

    it("forwards, masquerades the VPC on the default-route interface, and persists both", () => {
        const lines = script.split("\n");
        const at = (pattern: RegExp) => {
            const index = lines.findIndex((line) => pattern.test(line));
            assert.ok(index >= 0, `missing: ${pattern}`);
            return index;
        };
        assert.ok(lines[0] === "#!/bin/bash" && at(/^set -euo pipefail$/) > 0);
        at(/^echo 'net\.ipv4\.ip_forward = 1' > \/etc\/sysctl\.d\/[\w-]+\.conf$/);
        at(/^sysctl -q -p \/etc\/sysctl\.d\//);
        const service = at(/^systemctl enable --now iptables$/);
        const iface = at(/^iface="\$\(ip -4 route show default/);
        const masquerade = at(/^iptables -t nat -A POSTROUTING -o "\$iface" -s 10\.0\.0\.0\/16 -j MASQUERADE$/);
        const flush = at(/^iptables -F FORWARD$/);
        const save = at(/^iptables-save > \/etc\/sysconfig\/iptables$/);
        // The service loads its stock rules when it starts, so ours come after it, and are saved last.
        assert.ok(service < masquerade && iface < masquerade && masquerade < save && flush < save, "set-up steps out of order");
    });
});
