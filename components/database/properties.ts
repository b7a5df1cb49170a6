/**
 * The dynamic resource's input and output properties, shared by the provider
 * and its pure diff.
 */
import { ApiConfig } from "../config/api";
import { TlsDefaults } from "./tls";

export interface AccessInputs {
    /** Secret. */
    adminUrl: string;
    /** How to connect when the admin URL names no sslmode: database.sslMode and database.sslRootCert. */
    adminTls: TlsDefaults;
    /** ARN of the in-network function that applies for this resource (database.adminAccess in-network); undefined: this process connects directly. */
    adminFunction?: string;
    authenticatorRole: string;
    /** Secret. */
    authenticatorPassword: string;
    api: ApiConfig;
    /** declaredItems(api): shown by preview, compared by diff. */
    state: Record<string, string>;
}

export interface AccessOutputs extends AccessInputs {
    /** Roles and schemas this resource created: the only ones delete may drop. */
    createdRoles: string[];
    createdSchemas: string[];
}
