/**
 * How the roles/grants provider reaches the database (database.adminAccess): from the machine that runs Pulumi, or
 * through the function the program built inside the database's network, on the cloud that function runs on.
 */
export type AdminTransport = { kind: "direct" } | { kind: "lambda"; functionArn: string } | { kind: "cloud-run"; url: string };

export const DIRECT: AdminTransport = { kind: "direct" };
